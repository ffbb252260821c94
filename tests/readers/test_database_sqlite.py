"""The SQLite database reader against the static replay, on the SQLite fixture streams.

Each stream is applied to a database file by Python's sqlite3 (tests/oracle/sqlite.py),
read back by `dbdrift.readers.database.introspect`, and the projection must equal the
projection of dbdrift's static reading of the same files.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dbdrift.readers.database import DatabaseError, introspect
from dbdrift.readers.sql import read as read_sql
from dbdrift.schema import Schema
from dbdrift.types import Type
from oracle.compare import project
from oracle.sqlite import apply_stream
from test_oracle_sqlite import SQLITE_STREAMS, make_source


def _to_file(name: str, path: Path) -> None:
    source = make_source(name)
    memory, _refused = apply_stream(source.root, source.files)
    target = sqlite3.connect(path)
    memory.backup(target)
    target.close()
    memory.close()


@pytest.mark.parametrize("name", SQLITE_STREAMS)
def test_introspection_equals_static_replay(name: str, tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    _to_file(name, path)
    before = path.read_bytes()
    live = introspect(f"sqlite:///{path}", source_id="live")
    static = read_sql(make_source(name))
    assert live.tables
    assert project(live) == project(static)
    assert column_types(live) == column_types(static)
    assert path.read_bytes() == before


def test_missing_file_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    with pytest.raises(DatabaseError) as caught:
        introspect(f"sqlite:///{path}", source_id="local")
    assert "\n" not in str(caught.value)
    assert not path.exists()


def column_types(schema: Schema) -> dict[tuple[str | None, str, str], Type]:
    return {(t.schema, t.name, c.name): c.type for t in schema.tables for c in t.columns}
