"""`dbdrift schema --format sql` on SQLite sources, proven by convergence (migra's way).

Each SQLite fixture stream is read, rendered, and the rendered DDL is applied to an empty
in-memory database through Python's own ``sqlite3``: SQLite must accept every statement,
what SQLite then reports (the oracle's introspection) must be the projection of what was
read, and reading the rendered DDL back must give the same projection again.  The smaller
cases below pin each SQLite spelling the renderer has to get right, the same way.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dbdrift.readers.sql import read
from dbdrift.report.schema_sql import render
from dbdrift.schema import Schema
from dbdrift.source import Source
from oracle.compare import project
from oracle.sqlite import introspect

STREAMS = Path(__file__).parent.parent / "fixtures" / "streams"
SQLITE_STREAMS = sorted(p.name for p in STREAMS.glob("sqlite_*") if p.is_dir())

# What the intermediate representation cannot carry, so no rendering can bring back:
# (stream, table, part of the projection) -> why.  The part is left out of the comparison
# for that table only, and `test_known_losses_are_still_lost` fails once it converges.
KNOWN_LOSSES = {
    # UNIQUE (Code COLLATE NOCASE) and UNIQUE (Code) are two autoindexes to SQLite; the
    # representation keeps no collation, so the rendered DDL declares UNIQUE ("Code")
    # twice, and SQLite gives two equal keys one index.
    ("sqlite_quirks", "depots", "uniques"): "collations are not in the IR",
}


def stream_source(name: str) -> Source:
    """A fixture stream as discovery would give it: every .sql file, in name order."""
    root = STREAMS / name
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.sql"))
    return Source(id=name, kind="sql-migrations", dialect="sqlite", root=root, files=tuple(files))


def read_text(directory: Path, text: str) -> Schema:
    """Read `text` as a lone SQLite schema file."""
    (directory / "schema.sql").write_text(text, encoding="utf-8")
    return read(
        Source(
            id="schema.sql",
            kind="sql-schema",
            dialect="sqlite",
            root=directory,
            files=("schema.sql",),
        )
    )


def applied(ddl: str) -> dict:
    """What SQLite reports after running `ddl` on an empty database; raises if it refuses."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(ddl)
        return introspect(conn)
    finally:
        conn.close()


def without_losses(name: str, projection: dict) -> dict:
    for (stream, table, part), _why in KNOWN_LOSSES.items():
        if stream == name and table in projection["tables"]:
            projection["tables"][table].pop(part)
    return projection


def test_every_sqlite_fixture_is_covered() -> None:
    assert {"sqlite_app", "sqlite_quirks"} <= set(SQLITE_STREAMS)


@pytest.mark.parametrize("name", SQLITE_STREAMS)
def test_rendered_fixture_applies_and_converges(name: str, tmp_path: Path) -> None:
    original = read(stream_source(name))
    assert len(original.tables) >= 5
    rendered = render(original)

    expected = without_losses(name, project(original))
    assert without_losses(name, applied(rendered)) == expected
    reread = read_text(tmp_path, rendered)
    assert reread.errors == ()
    assert without_losses(name, project(reread)) == expected


@pytest.mark.parametrize(("name", "table", "part"), sorted(KNOWN_LOSSES))
def test_known_losses_are_still_lost(name: str, table: str, part: str, tmp_path: Path) -> None:
    """An entry of KNOWN_LOSSES that converges again must be removed from the list."""
    original = read(stream_source(name))
    reread = read_text(tmp_path, render(original))
    assert project(reread)["tables"][table][part] != project(original)["tables"][table][part]


# (SQLite DDL, a line the rendering must hold): each converges like the fixtures.
CASES = [
    # An expression default is parenthesised; SQLite reports it without the parentheses.
    (
        "CREATE TABLE t (at INTEGER NOT NULL DEFAULT (strftime('%s', 'now')));",
        "\"at\" INTEGER DEFAULT (strftime('%s', 'now')) NOT NULL",
    ),
    ("CREATE TABLE t (n TEXT DEFAULT ( 'a' || 'b' ));", "\"n\" TEXT DEFAULT ('a' || 'b')"),
    ("CREATE TABLE t (n INT DEFAULT (-'5'));", "\"n\" INT DEFAULT (-'5')"),
    # Literals, signed numbers and names stay bare: a name in parentheses is a column.
    ("CREATE TABLE t (n REAL DEFAULT -0.25);", '"n" REAL DEFAULT -0.25'),
    ("CREATE TABLE t (n INT DEFAULT 0x1F);", '"n" INT DEFAULT 0x1F'),
    ("CREATE TABLE t (n BLOB DEFAULT X'00FF');", "\"n\" BLOB DEFAULT X'00FF'"),
    ("CREATE TABLE t (n TEXT DEFAULT CURRENT_TIMESTAMP);", '"n" TEXT DEFAULT CURRENT_TIMESTAMP'),
    ("CREATE TABLE t (n BOOLEAN DEFAULT FALSE);", '"n" BOOLEAN DEFAULT FALSE'),
    ('CREATE TABLE t (n TEXT DEFAULT "north");', '"n" TEXT DEFAULT "north"'),
    # REFERENCES without columns means the parent's primary key: no empty column list.
    (
        "CREATE TABLE p (id INTEGER PRIMARY KEY);\n"
        "CREATE TABLE c (p_id INT REFERENCES p ON DELETE CASCADE);",
        'FOREIGN KEY ("p_id") REFERENCES "p" ON DELETE CASCADE',
    ),
    # INTEGER PRIMARY KEY DESC is a real key with an index, not the rowid.
    ("CREATE TABLE t (id INTEGER PRIMARY KEY DESC, v TEXT);", '"id" INTEGER PRIMARY KEY DESC'),
    # ... and a UNIQUE numbered before it goes on its column, to keep its number.
    (
        "CREATE TABLE t (u TEXT UNIQUE, id INTEGER PRIMARY KEY DESC);",
        '"u" TEXT UNIQUE,\n    "id" INTEGER PRIMARY KEY DESC',
    ),
    # Autoindex names are SQLite's own: not written, and keys declared in their order.
    (
        "CREATE TABLE t (a TEXT UNIQUE, b TEXT, id TEXT PRIMARY KEY, UNIQUE (b, a));",
        '    UNIQUE ("a"),\n    PRIMARY KEY ("id"),\n    UNIQUE ("b", "a")\n',
    ),
    ("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);", "INTEGER PRIMARY KEY AUTOINCREMENT"),
    # A declared type SQLite reports dequoted is written quoted again.
    ("CREATE TABLE t (c [big int](10, 2), d 'char'(3));", '"c" "big int](10, 2"'),
    ('CREATE TABLE t (c "select");', '"c" "select"'),
    ("CREATE TABLE t (c unsigned big int, d double   precision);", '"d" double   precision'),
    # A column without a declared type.
    ("CREATE TABLE t (a INT, c AS (a + 1));", '"c" GENERATED ALWAYS AS (a + 1) STORED'),
    # WITHOUT ROWID is not in the IR: its key columns come back NOT NULL, as it had them.
    (
        "CREATE TABLE t (k TEXT, v TEXT, PRIMARY KEY (k, v)) WITHOUT ROWID;",
        '"k" TEXT NOT NULL',
    ),
]


@pytest.mark.parametrize(("sql", "line"), CASES)
def test_rendered_case_converges(sql: str, line: str, tmp_path: Path) -> None:
    original = read_text(tmp_path, sql)
    assert original.errors == ()
    rendered = render(original)
    assert line in rendered

    assert applied(rendered) == project(original)
    reread = read_text(tmp_path, rendered)
    assert reread.errors == ()
    assert project(reread) == project(original)
