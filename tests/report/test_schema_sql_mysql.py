"""Convergence of the MySQL DDL that ``dbdrift schema --format sql`` prints, on MariaDB.

For each MySQL fixture, the normalized DDL is applied to a scratch MariaDB database with
the ``mariadb`` client: nothing may be refused, and what MariaDB then reports must equal
dbdrift's reading of the original stream (and of the rendered DDL itself).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dbdrift.discover import discover
from dbdrift.readers.sql import read
from dbdrift.report.schema_sql import render
from dbdrift.source import Source
from oracle.compare import project
from oracle.mariadb import Server, apply_files, find_server, introspect, scratch_database

FIXTURES = Path(__file__).parents[1] / "fixtures"
CASES = ["streams/mysql_shop", "streams/mysql_errors", "schemas/mysql_dump"]


@pytest.fixture(scope="module")
def mariadb() -> Server:
    return find_server()


@pytest.fixture
def scratch(mariadb: Server) -> Iterator[tuple[Server, str]]:
    with scratch_database(mariadb) as name:
        yield mariadb, name


@pytest.mark.mariadb
@pytest.mark.parametrize("case", CASES)
def test_rendered_mysql_ddl_converges(
    case: str, scratch: tuple[Server, str], tmp_path: Path
) -> None:
    server, database = scratch
    (source,) = [s for s in discover(FIXTURES / case).sources if s.dialect == "mysql"]
    original = read(source)
    (tmp_path / "rendered.sql").write_text(render(original))
    refused = apply_files(server, database, tmp_path, ("rendered.sql",))
    assert refused == []
    assert introspect(server, database) == project(original)
    again = read(Source("rendered.sql", "sql-schema", "mysql", tmp_path, ("rendered.sql",)))
    assert again.errors == ()
    assert project(again) == project(original)
