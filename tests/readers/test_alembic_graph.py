"""The revision graph: merges, dependencies, labels, heads, and the located errors Alembic
would stop on (cycle, missing down revision, a script that does not parse)."""

from __future__ import annotations

from pathlib import Path

from alembic_project import project, revision

from dbdrift.readers import read
from dbdrift.readers.alembic import generate


def _table(name: str) -> str:
    return f'op.create_table("{name}", sa.Column("id", sa.Integer(), primary_key=True))'


def _tables(schema) -> list[str]:
    return sorted(t.name for t in schema.tables)


def test_merge_revision_applies_after_both_parents(tmp_path: Path) -> None:
    source = project(
        tmp_path,
        {
            "a.py": revision("a", None, _table("base")),
            "b.py": revision("b", "a", 'op.add_column("base", sa.Column("x", sa.Integer()))'),
            "c.py": revision("c", "a", _table("other")),
            "d.py": revision(
                "d", ("b", "c"), 'op.drop_column("base", "x")\nop.drop_table("other")'
            ),
        },
    )
    schema = read(source)
    assert not schema.errors and not schema.notes
    assert _tables(schema) == ["base"]
    assert [c.name for c in schema.tables[0].columns] == ["id"]


def test_order_is_deterministic_whatever_the_file_order(tmp_path: Path) -> None:
    scripts = {
        "z1.py": revision("r1", None, _table("t1")),
        "a2.py": revision("r2", "r1", 'op.rename_table("t1", "t2")'),
        "m3.py": revision("r3", "r2", 'op.add_column("t2", sa.Column("y", sa.Text()))'),
    }
    source = project(tmp_path, scripts)
    reordered = source.__class__(**{**_fields(source), "files": tuple(reversed(source.files))})
    first, again = generate(source)[0], generate(reordered)[0]
    assert [g.sql for g in first] == [g.sql for g in again]
    assert [g.origin.path for g in first][-2:] == [
        "migrations/versions/a2.py",
        "migrations/versions/m3.py",
    ]


def _fields(source) -> dict:
    return {f: getattr(source, f) for f in ("id", "kind", "dialect", "root", "files")}


def test_depends_on_and_branch_labels_order_a_second_base(tmp_path: Path) -> None:
    fk = (
        'op.create_table("child", sa.Column("id", sa.Integer(), primary_key=True), '
        'sa.Column("p", sa.Integer(), sa.ForeignKey("parent.id")))'
    )
    source = project(
        tmp_path,
        {
            # sorts first by path, but depends on the "core" label of the other base
            "0_billing.py": revision(
                "b1", None, fk, 'branch_labels = ("billing",)\ndepends_on = "core"\n'
            ),
            "9_core.py": revision("c1", None, _table("parent"), 'branch_labels = ("core",)\n'),
        },
    )
    schema = read(source)
    assert not schema.errors
    child = schema.table("child")
    assert child is not None and child.foreign_keys[0].ref_table == "parent"
    heads = [n for n in schema.notes if n.kind == "alembic-heads"]
    assert sorted(n.origin.path for n in heads) == [
        "migrations/versions/0_billing.py",
        "migrations/versions/9_core.py",
    ]


def test_multiple_heads_are_noted_and_all_replayed(tmp_path: Path) -> None:
    source = project(
        tmp_path,
        {
            "a.py": revision("a", None, _table("base")),
            "b.py": revision("b", "a", _table("left")),
            "c.py": revision("c", "a", _table("right")),
        },
    )
    schema = read(source)
    assert _tables(schema) == ["base", "left", "right"]
    heads = [n for n in schema.notes if n.kind == "alembic-heads"]
    assert [(n.origin.path, n.origin.line) for n in heads] == [
        ("migrations/versions/b.py", 4),
        ("migrations/versions/c.py", 4),
    ]
    assert "2 heads" in heads[0].message


def test_missing_down_revision_is_a_located_error(tmp_path: Path) -> None:
    source = project(
        tmp_path,
        {
            "a.py": revision("a", None, _table("base")),
            "b.py": revision("b", "nothere", _table("orphan")),
        },
    )
    schema = read(source)
    assert [(e.origin.path, e.origin.line) for e in schema.errors] == [
        ("migrations/versions/b.py", 5)
    ]
    assert "nothere does not exist" in schema.errors[0].message
    assert _tables(schema) == ["base", "orphan"]


def test_cycle_is_a_located_error_and_the_rest_is_read(tmp_path: Path) -> None:
    source = project(
        tmp_path,
        {
            "a.py": revision("a", None, _table("base")),
            "b.py": revision("b", "c", _table("loop_b")),
            "c.py": revision("c", "b", _table("loop_c")),
        },
    )
    schema = read(source)
    assert _tables(schema) == ["base"]
    assert sorted((e.origin.path, e.origin.line) for e in schema.errors) == [
        ("migrations/versions/b.py", 5),
        ("migrations/versions/c.py", 5),
    ]
    assert all("cycle" in e.message for e in schema.errors)


def test_syntax_error_is_located_and_descendants_still_read(tmp_path: Path) -> None:
    broken = revision("b", "a", _table("never")).replace("def upgrade():", "def upgrade(:")
    source = project(
        tmp_path,
        {
            "a.py": revision("a", None, _table("base")),
            "b.py": broken,
            "c.py": revision("c", "b", _table("after")),
        },
    )
    schema = read(source)
    assert _tables(schema) == ["after", "base"]
    assert len(schema.errors) == 1
    error = schema.errors[0]
    assert error.origin.path == "migrations/versions/b.py" and error.origin.line == 8
    assert "syntax" in error.message.lower()


def test_duplicate_revision_id_is_an_error(tmp_path: Path) -> None:
    source = project(
        tmp_path,
        {"a.py": revision("a", None, _table("one")), "b.py": revision("a", None, _table("two"))},
    )
    schema = read(source)
    assert [e.origin.path for e in schema.errors] == ["migrations/versions/b.py"]
    assert _tables(schema) == ["one"]
