"""Oracle tests of the SQLAlchemy reader: the real SQLAlchemy, then the real PostgreSQL.

Each fixture under tests/fixtures/sqlalchemy/<name>/ holds one importable model module or
package named ``sa_*``.  For each one:

1. the fixture imports cleanly with the real SQLAlchemy / SQLModel / Flask-SQLAlchemy;
2. discovery finds exactly one ``sqlalchemy`` source in it;
3. dbdrift's static reading equals SQLAlchemy's own metadata (`project_metadata`), with
   defaults and constraint names blanked on both sides (see tests/oracle/sqlalchemy.py);
4. after ``metadata.create_all`` on a scratch PostgreSQL database, the catalog equals
   dbdrift's reading exactly: names, defaults and all;
5. the oracle itself is consistent: SQLAlchemy's projection equals the catalog on every fact
   it knows, which proves the type-spelling map of the oracle.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dbdrift.discover import discover
from dbdrift.readers import read
from oracle.compare import project
from oracle.postgres import introspect
from oracle.sqlalchemy import create_all, load_metadata, project_metadata, unnamed

FIXTURES = Path(__file__).parent / "fixtures" / "sqlalchemy"
NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def _module(name: str) -> str:
    """The fixture's importable module: its one ``sa_*`` file or package."""
    found = [p.name.removesuffix(".py") for p in (FIXTURES / name).iterdir()]
    modules = [m for m in found if m.startswith("sa_")]
    assert len(modules) == 1, f"{name} must hold exactly one sa_* module, found {modules}"
    return modules[0]


def _metadata(name: str) -> list:
    return load_metadata(FIXTURES / name, _module(name))


def _source(name: str):
    sources = [s for s in discover(FIXTURES / name).sources if s.kind == "sqlalchemy"]
    assert len(sources) == 1, [s.id for s in sources]
    return sources[0]


def test_there_are_enough_fixtures() -> None:
    assert len(NAMES) >= 15


def test_fixture_modules_are_unique() -> None:
    modules = [_module(n) for n in NAMES]
    assert len(set(modules)) == len(modules)


@pytest.mark.parametrize("name", NAMES)
def test_fixture_imports(name: str) -> None:
    metadatas = _metadata(name)
    assert metadatas, f"{name} defines no MetaData with tables"
    assert all(m.tables for m in metadatas)


@pytest.mark.parametrize("name", NAMES)
def test_discovered_as_one_source(name: str) -> None:
    source = _source(name)
    assert source.dialect == "postgresql"
    assert source.id.split("/")[0] == _module(name) or source.id == f"{_module(name)}.py"


@pytest.mark.parametrize("name", NAMES)
def test_reader_agrees_with_sqlalchemy(name: str) -> None:
    expected = project_metadata(_metadata(name))
    schema = read(_source(name))
    assert not schema.errors, schema.errors
    assert unnamed(project(schema)) == expected


@pytest.mark.postgres
@pytest.mark.parametrize("name", NAMES)
def test_oracle_agrees_with_postgres(name: str, pg_scratch: str) -> None:
    metadatas = _metadata(name)
    create_all(pg_scratch, metadatas)
    assert unnamed(introspect(pg_scratch)) == project_metadata(metadatas)


@pytest.mark.postgres
@pytest.mark.parametrize("name", NAMES)
def test_reader_agrees_with_postgres(name: str, pg_scratch: str) -> None:
    create_all(pg_scratch, _metadata(name))
    schema = read(_source(name))
    assert project(schema) == introspect(pg_scratch)
