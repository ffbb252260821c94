"""Oracle test of the SQLite replay: each fixture stream, replayed vs really applied.

For every SQLite fixture under tests/fixtures/streams/, the same files go to dbdrift's SQL
reader and to an in-memory database through Python's own ``sqlite3``; the schema SQLite
reports must equal dbdrift's projection, and the statements SQLite refused must be exactly
the ones dbdrift reports as errors, at the same file and line.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from oracle.compare import project
from oracle.sqlite import apply_stream, introspect, statements

STREAMS = Path(__file__).parent / "fixtures" / "streams"

# The SQLite fixtures; a new one must be listed here.
SQLITE_STREAMS = ("sqlite_app", "sqlite_quirks")

MIN_FILES = 6
MIN_STATEMENTS = 35


def natural_key(relative: str) -> tuple[tuple[int, int, str], ...]:
    """`2_x` before `10_x`: digit runs compare as numbers, the rest as text."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", relative)
        if part
    )


def sql_files(root: Path) -> list[str]:
    return sorted(
        (p.relative_to(root).as_posix() for p in root.rglob("*.sql") if p.is_file()),
        key=natural_key,
    )


def make_source(name: str):  # -> dbdrift.source.Source
    from dbdrift.source import Source

    root = STREAMS / name
    files = sql_files(root)
    folders = {Path(f).parent.as_posix() for f in files}
    return Source(
        id=folders.pop() if len(folders) == 1 else ".",
        kind="sql-migrations",
        dialect="sqlite",
        root=root,
        files=tuple(files),
    )


@pytest.mark.parametrize("name", SQLITE_STREAMS)
def test_replay_matches_sqlite(name: str) -> None:
    from dbdrift.readers.sql import read

    source = make_source(name)
    conn, refused = apply_stream(source.root, source.files)
    try:
        expected = introspect(conn)
    finally:
        conn.close()
    schema = read(source)
    assert project(schema) == expected
    replayed = {(e.origin.path, e.origin.line) for e in schema.errors}
    assert replayed == {(e.file, e.line) for e in refused}, "\n".join(map(str, refused))


@pytest.mark.parametrize("name", SQLITE_STREAMS)
def test_fixture_refuses_something(name: str) -> None:
    """Each fixture has at least one statement SQLite refuses, so error locations are tested."""
    source = make_source(name)
    conn, refused = apply_stream(source.root, source.files)
    conn.close()
    assert refused


def test_fixture_size() -> None:
    """The SQLite fixtures keep at least MIN_FILES files and MIN_STATEMENTS statements."""
    files = 0
    total = 0
    for name in SQLITE_STREAMS:
        root = STREAMS / name
        for relative in sql_files(root):
            files += 1
            total += len(statements((root / relative).read_text(encoding="utf-8")))
    assert files >= MIN_FILES
    assert total >= MIN_STATEMENTS


def test_oracle_splits_triggers_whole() -> None:
    text = "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  SELECT 1;\n  SELECT 2;\nEND;\nSELECT 3;"
    found = statements(text)
    assert [s.line for s in found] == [1, 5]
    assert found[0].text.endswith("END;") and sqlite3.complete_statement(found[0].text)
