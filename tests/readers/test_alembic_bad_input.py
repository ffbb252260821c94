"""Bad Alembic histories through the whole scan: located findings, never a traceback."""

from __future__ import annotations

from pathlib import Path

from alembic_project import project, revision

from dbdrift.scan import scan

TABLE = 'op.create_table("{0}", sa.Column("id", sa.Integer(), primary_key=True))'


def test_bad_revisions_become_located_findings(tmp_path: Path) -> None:
    broken = revision("b", "a", TABLE.format("x")).replace("def upgrade():", "def upgrade(:")
    project(
        tmp_path,
        {
            "a.py": revision("a", None, TABLE.format("base")),
            "b.py": broken,
            "c.py": revision("c", "zzz", TABLE.format("orphan")),
            "d.py": revision("d", "e", TABLE.format("d")),
            "e.py": revision("e", "d", TABLE.format("e")),
        },
    )
    findings = [f for f in scan(tmp_path).findings if f.rule == "DBD505"]
    located = sorted((e.path, e.line) for f in findings for e in f.evidence)
    assert located == [
        ("migrations/versions/b.py", 8),
        ("migrations/versions/c.py", 5),
        ("migrations/versions/d.py", 5),
        ("migrations/versions/e.py", 5),
    ]
    messages = " ".join(f.title for f in findings)
    assert "syntax" in messages and "zzz does not exist" in messages and "cycle" in messages


def test_unreadable_ini_and_empty_versions_are_not_a_source(tmp_path: Path) -> None:
    (tmp_path / "alembic.ini").write_bytes(b"[alembic\nscript_location = nowhere\n")
    assert [s for s in scan(tmp_path).discovery.sources if s.kind == "alembic"] == []
