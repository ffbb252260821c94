"""Oracle tests of the SQLAlchemy reader on MySQL / MariaDB and SQLite sources.

A source whose repository says it runs on MySQL or SQLite (discovery's evidence: an engine
URL) is read as SQLAlchemy's DDL for that dialect.  Each fixture under
tests/fixtures/sqlalchemy_dialects/<dialect>_<name>/ holds one ``sa_*`` module or package:

1. discovery gives it the dialect its engine URL names;
2. every column's type, as the reader spells it before the replay, is exactly what the real
   SQLAlchemy compiles for that dialect (``column.type.compile(dialect=mysql.dialect())``);
3. after ``metadata.create_all`` on the real MariaDB (or sqlite3), the catalog equals the
   reading: types as ``COLUMN_TYPE`` (or the declared type), defaults, keys, index names.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from dbdrift.discover import discover
from dbdrift.readers import read
from dbdrift.readers.sql.text import load_text
from dbdrift.readers.sqlalchemy import Context, Index, collect
from dbdrift.readers.sqlalchemy.ddl import resolve_targets
from dbdrift.source import Source
from oracle import mariadb
from oracle import sqlite as sqlite_oracle
from oracle.compare import project
from oracle.sqlalchemy import load_metadata

FIXTURES = Path(__file__).parent / "fixtures" / "sqlalchemy_dialects"
NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
MYSQL = [n for n in NAMES if n.startswith("mysql_")]
SQLITE = [n for n in NAMES if n.startswith("sqlite_")]


def _dialect(name: str) -> str:
    return name.partition("_")[0]


def _module(name: str) -> str:
    found = [p.name.removesuffix(".py") for p in (FIXTURES / name).iterdir()]
    modules = [m for m in found if m.startswith("sa_")]
    assert len(modules) == 1, modules
    return modules[0]


def _metadata(name: str) -> list:
    return load_metadata(FIXTURES / name, _module(name))


def _source(name: str) -> Source:
    sources = [s for s in discover(FIXTURES / name).sources if s.kind == "sqlalchemy"]
    assert len(sources) == 1, [s.id for s in sources]
    return sources[0]


def _spelled(source: Source) -> dict[tuple[str, str], str]:
    """(table, column) -> the type as the reader spells it for the source's dialect."""
    index = Index(dialect=source.dialect)
    for relative in source.files:
        text, _ = load_text(source.root, relative)
        assert text is not None
        index.add(relative, text)
    ctx = Context(index)
    resolve_targets(ctx, collect(ctx))
    return {(t.name, c.name or ""): c.type.sql for t in ctx.tables for c in t.columns if c.type}


def test_each_dialect_has_a_fixture() -> None:
    assert MYSQL and SQLITE


@pytest.mark.parametrize("name", NAMES)
def test_discovered_with_its_dialect(name: str) -> None:
    assert _source(name).dialect == _dialect(name)


@pytest.mark.parametrize("name", NAMES)
def test_types_are_spelled_as_sqlalchemy_compiles_them(name: str) -> None:
    from sqlalchemy.dialects import mysql, sqlite

    dialect = mysql.dialect() if _dialect(name) == "mysql" else sqlite.dialect()
    expected = {
        (table.name, column.name): str(column.type.compile(dialect=dialect))
        for metadata in _metadata(name)
        for table in metadata.tables.values()
        for column in table.columns
    }
    assert _spelled(_source(name)) == expected


@pytest.fixture(scope="module")
def maria() -> mariadb.Server:
    return mariadb.find_server()


@pytest.fixture
def maria_scratch(maria: mariadb.Server) -> Iterator[tuple[mariadb.Server, str]]:
    with mariadb.scratch_database(maria) as database:
        yield maria, database


@pytest.mark.parametrize("name", MYSQL)
def test_reader_agrees_with_mariadb(name: str, maria_scratch: tuple) -> None:
    from sqlalchemy import create_engine

    server, database = maria_scratch
    url = f"mysql+pymysql://{server.user}:{server.password}@{server.host}:{server.port}/{database}"
    engine = create_engine(url)
    try:
        for metadata in _metadata(name):
            metadata.create_all(engine)
    finally:
        engine.dispose()
    schema = read(_source(name))
    assert not schema.errors, schema.errors
    assert project(schema) == mariadb.introspect(server, database)


@pytest.mark.parametrize("name", SQLITE)
def test_reader_agrees_with_sqlite(name: str, tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    path = tmp_path / "oracle.db"
    engine = create_engine(f"sqlite:///{path}")
    try:
        for metadata in _metadata(name):
            metadata.create_all(engine)
    finally:
        engine.dispose()
    schema = read(_source(name))
    assert not schema.errors, schema.errors
    conn = sqlite3.connect(path)
    try:
        assert project(schema) == sqlite_oracle.introspect(conn)
    finally:
        conn.close()
