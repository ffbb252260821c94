"""Oracle test of the PostgreSQL replay: each fixture stream, replayed vs really applied.

For every fixture under tests/fixtures/streams/ (PostgreSQL ones), the same files go to
dbdrift's SQL reader and to a scratch PostgreSQL database; the catalog PostgreSQL reports
must equal dbdrift's projection, and the statements PostgreSQL refused must be exactly
the ones dbdrift reports as errors, at the same file and line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from dbdrift.source import Source
from oracle.compare import project
from oracle.postgres import PgError, apply_stream, dbmate_up, introspect, statements

STREAMS = Path(__file__).parent / "fixtures" / "streams"

# The PostgreSQL fixtures, each a small repository; a new one must be listed here.
POSTGRES_STREAMS = (
    "prisma_style",
    "flyway",
    "golang_migrate",
    "dbmate",
    "handwritten",
    "supabase",
    "enums",
    "renames_drops",
    "schemas",
    "rejected",
)

MIN_STATEMENTS = 260

_FLYWAY = re.compile(r"^(?P<kind>[VR])(?P<version>[0-9][0-9._]*)?__", re.IGNORECASE)


def natural_key(relative: str) -> tuple[object, ...]:
    """`2_x` before `10_x`: digit runs compare as numbers, the rest as text."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", relative)
        if part
    )


def flyway_key(relative: str) -> tuple[object, ...] | None:
    """Flyway's order: versioned by numeric version (1 < 1.1 < 2 < 10), repeatables last."""
    match = _FLYWAY.match(Path(relative).name)
    if match is None:
        return None
    if match["kind"].upper() == "R":
        return (1, (), relative)
    if match["version"] is None:
        return None
    parts = tuple(int(p) for p in re.split(r"[._]", match["version"].strip("._")) if p)
    return (0, parts, relative)


def apply_order(root: Path) -> list[str]:
    """The stream's files in the order its migration tool applies them.

    Every ``.sql`` file under `root` except golang-migrate's ``.down.sql``: Flyway files by
    version with ``R__`` last, everything else (numbered files, timestamps, Prisma's
    ``<timestamp>_name/migration.sql`` folders) in natural order of the relative path.
    """
    files = [
        p.relative_to(root).as_posix()
        for p in root.rglob("*.sql")
        if p.is_file() and not p.name.endswith(".down.sql")
    ]
    flyway = [f for f in files if flyway_key(f) is not None]
    if flyway and len(flyway) == len(files):
        return sorted(files, key=lambda f: flyway_key(f) or ())
    return sorted(files, key=natural_key)


def make_source(name: str) -> Source:
    """The fixture as discovery would hand it to the reader: one sql-migrations stream."""
    root = STREAMS / name
    files = apply_order(root)
    return Source(
        id=_common_folder(files),
        kind="sql-migrations",
        dialect="postgresql",
        root=root,
        files=tuple(files),
    )


def _common_folder(files: list[str]) -> str:
    """The deepest folder holding every file (Prisma's per-migration folders share a parent)."""
    folders = [Path(f).parent.parts for f in files]
    common: list[str] = []
    for parts in zip(*folders, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return "/".join(common) or "."


def explain(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Every difference between PostgreSQL's catalog and dbdrift's projection, one per line.

    Only a readable account for the failure message; the test itself compares with ``==``.
    """
    lines: list[str] = []
    want, got = expected["tables"], actual["tables"]
    for name in sorted(want.keys() - got.keys()):
        lines.append(f"table {name}: in postgres, missing from dbdrift")
    for name in sorted(got.keys() - want.keys()):
        lines.append(f"table {name}: in dbdrift, not in postgres")
    for name in sorted(want.keys() & got.keys()):
        lines.extend(_explain_table(name, want[name], got[name]))
    for name in sorted(expected["enums"].keys() | actual["enums"].keys()):
        a, b = expected["enums"].get(name), actual["enums"].get(name)
        if a != b:
            lines.append(f"enum {name}: postgres {a} != dbdrift {b}")
    return lines


_COLUMN_FIELDS = ("type", "nullable", "default", "identity")
_SINGULAR = {"foreign_keys": "foreign key", "uniques": "unique", "indexes": "index"}


def _explain_table(name: str, want: dict[str, Any], got: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    wcols = {c[0]: c for c in want["columns"]}
    gcols = {c[0]: c for c in got["columns"]}
    for col in wcols.keys() - gcols.keys():
        lines.append(f"column {name}.{col}: in postgres {wcols[col][1:]}, missing from dbdrift")
    for col in gcols.keys() - wcols.keys():
        lines.append(f"column {name}.{col}: in dbdrift {gcols[col][1:]}, not in postgres")
    for col in wcols.keys() & gcols.keys():
        for i, field in enumerate(_COLUMN_FIELDS, start=1):
            if wcols[col][i] != gcols[col][i]:
                lines.append(
                    f"column {name}.{col} {field}: postgres {wcols[col][i]!r} "
                    f"!= dbdrift {gcols[col][i]!r}"
                )
    wnames = [c[0] for c in want["columns"] if c[0] in gcols]
    gnames = [c[0] for c in got["columns"] if c[0] in wcols]
    if wnames != gnames:
        lines.append(f"table {name} column order: postgres {wnames} != dbdrift {gnames}")
    if want["primary_key"] != got["primary_key"]:
        lines.append(
            f"table {name} primary key: postgres {want['primary_key']} "
            f"!= dbdrift {got['primary_key']}"
        )
    for kind in ("foreign_keys", "uniques", "indexes"):
        wk = {_item_key(i): i for i in want[kind]}
        gk = {_item_key(i): i for i in got[kind]}
        for key in sorted(wk.keys() | gk.keys(), key=str):
            if wk.get(key) != gk.get(key):
                lines.append(
                    f"table {name} {_SINGULAR[kind]} {key}: postgres {wk.get(key)} "
                    f"!= dbdrift {gk.get(key)}"
                )
    wc, gc = want["checks"], got["checks"]
    if wc != gc:
        lines.append(f"table {name} checks: postgres {wc} != dbdrift {gc}")
    return lines


def _item_key(item: list[Any]) -> str:
    return repr(item[0]) if item[0] is not None else repr(item[1:])


def explain_errors(refused: list[PgError], replayed: list[Any]) -> list[str]:
    """The refusals that only one side reports, keyed by (file, line)."""
    theirs = {(e.file, e.line): e for e in refused}
    ours = {(e.origin.path, e.origin.line): e for e in replayed}
    lines = [
        f"error {e}: refused by postgres, not reported by dbdrift"
        for key, e in sorted(theirs.items())
        if key not in ours
    ]
    lines += [
        f"error {key[0]}:{key[1]}: {e.message}: reported by dbdrift, postgres accepted it"
        for key, e in sorted(ours.items())
        if key not in theirs
    ]
    return lines


@pytest.mark.postgres
@pytest.mark.parametrize("name", POSTGRES_STREAMS)
def test_replay_matches_postgres(name: str, pg_scratch: str) -> None:
    from dbdrift.readers.sql import read

    source = make_source(name)
    refused = apply_stream(pg_scratch, source.root, source.files)
    expected = introspect(pg_scratch)
    schema = read(source)
    actual = project(schema)
    replayed = {(e.origin.path, e.origin.line) for e in schema.errors}
    problems = explain(expected, actual) + explain_errors(refused, list(schema.errors))
    if problems:
        pytest.fail(f"{len(problems)} differences:\n" + "\n".join(problems), pytrace=False)
    # `explain` is only the account: these two are the comparison itself.
    assert actual == expected
    assert replayed == {(e.file, e.line) for e in refused}


@pytest.mark.parametrize("name", POSTGRES_STREAMS)
def test_fixture_is_a_stream(name: str) -> None:
    """Each fixture exists and yields at least two files in a decided order."""
    files = apply_order(STREAMS / name)
    assert len(files) >= 2, files
    assert len(set(files)) == len(files)


def test_apply_order_follows_the_tools() -> None:
    assert apply_order(STREAMS / "flyway")[-1].endswith("R__views.sql")
    versions = [Path(f).name.split("__")[0] for f in apply_order(STREAMS / "flyway")]
    assert versions.index("V2") < versions.index("V10")
    assert versions.index("V1.1") < versions.index("V2")
    assert not any(f.endswith(".down.sql") for f in apply_order(STREAMS / "golang_migrate"))
    assert natural_key("sql/2_x.sql") < natural_key("sql/10_x.sql")


def test_fixture_statement_count() -> None:
    """The PostgreSQL fixtures hold at least MIN_STATEMENTS statements, so they cannot shrink."""
    total = 0
    for name in POSTGRES_STREAMS:
        root = STREAMS / name
        for relative in apply_order(root):
            text = (root / relative).read_text(encoding="utf-8").removeprefix("\ufeff")
            total += len(statements(dbmate_up(text)))
    assert total >= MIN_STATEMENTS


@pytest.mark.postgres
def test_oracle_itself(pg_scratch: str, tmp_path: Path) -> None:
    """The oracle's own promises, on a stream small enough to check by hand."""
    (tmp_path / "1_a.sql").write_text(
        "-- leading comment\n"
        "CREATE TABLE t (\n"
        "    id  serial PRIMARY KEY,\n"
        "    n   int DEFAULT -1 CHECK (n <> 0),\n"
        "    g   int GENERATED ALWAYS AS (n * 2) STORED\n"
        ");\n"
        "/* no position */ ALTER TABLE missing ADD COLUMN x int;\n"
        "CREATE TABLE u (\n"
        "    a  no_such_type\n"
        ");\n"
        "CREATE INDEX ON t (lower(n::text)) WHERE n > 0;\n",
        encoding="utf-8",
    )
    (tmp_path / "2_b.sql").write_text(
        "-- migrate:up\nCREATE TYPE e AS ENUM ('x', 'y');\n-- migrate:down\nDROP TABLE t;\n",
        encoding="utf-8",
    )
    refused = apply_stream(pg_scratch, tmp_path, ["1_a.sql", "2_b.sql"])
    assert [(e.file, e.line, e.sqlstate) for e in refused] == [
        ("1_a.sql", 7, "42P01"),
        ("1_a.sql", 9, "42704"),
    ]
    assert introspect(pg_scratch) == {
        "tables": {
            "public.t": {
                "columns": [
                    ["id", "integer", False, "nextval('t_id_seq'::regclass)", None, False],
                    ["n", "integer", True, "'-1'::integer", None, False],
                    ["g", "integer", True, None, None, True],
                ],
                "primary_key": ["t_pkey", ["id"]],
                "foreign_keys": [],
                "uniques": [],
                "indexes": [["t_lower_idx", ["<expr>"], False, True]],
                "checks": ["t_n_check"],
            }
        },
        "enums": {"public.e": ["x", "y"]},
    }
