"""The MySQL/MariaDB database reader against the static replay, on the MySQL fixture streams.

Each stream (and the mysqldump-style schema) is applied to a scratch MariaDB database by the
``mariadb`` client (tests/oracle/mariadb.py), read back by
`dbdrift.readers.database.introspect`, and the projection must equal the projection of
dbdrift's static reading of the same files.
"""

from __future__ import annotations

import pytest

from dbdrift.readers.database import DatabaseError, introspect
from dbdrift.readers.sql import read as read_sql
from dbdrift.schema import Schema
from dbdrift.types import Type
from oracle.compare import project
from oracle.mariadb import Server, apply_files
from test_oracle_mysql import (  # noqa: F401  (fixtures)
    MYSQL_SCHEMAS,
    MYSQL_STREAMS,
    explain,
    make_source,
    mariadb,
    mariadb_scratch,
)

pytestmark = pytest.mark.mariadb


def url_of(server: Server, database: str) -> str:
    password = f":{server.password}" if server.password else ""
    return f"mysql://{server.user}{password}@{server.host}:{server.port}/{database}"


@pytest.mark.parametrize("name", MYSQL_STREAMS + MYSQL_SCHEMAS)
def test_introspection_equals_static_replay(
    name: str,
    mariadb_scratch: tuple[Server, str],  # noqa: F811
) -> None:
    server, database = mariadb_scratch
    source = make_source(name)
    apply_files(server, database, source.root, source.files)
    schema = introspect(url_of(server, database), source_id="live")
    live = project(schema)
    static_schema = read_sql(source)
    static = project(static_schema)
    problems = explain(static, live)
    assert not problems, "\n".join(problems)
    assert live == static
    # Not only the spelling: family and parameters too, which the checks compare (a
    # `longtext` column with its `json_valid` check is json on both sides, as MariaDB
    # stores `JSON` exactly so).
    assert column_types(schema) == column_types(static_schema)


def test_reads_in_a_read_only_transaction(
    mariadb_scratch: tuple[Server, str],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A write inside the reader's transaction is refused by MariaDB itself."""
    from dbdrift.readers.database import mysql

    server, database = mariadb_scratch
    apply_files(
        server, database, make_source("mysql_shop").root, ("db/migrations/001_create_users.sql",)
    )
    refused: list[str] = []
    original = mysql._rows

    def spy(conn, sql, db):  # type: ignore[no-untyped-def]
        if not refused:
            try:
                conn.exec_driver_sql("CREATE TABLE dbdrift_probe (id int)")
            except Exception as exc:  # the driver's error for a read-only transaction
                refused.append(" ".join(str(exc).split()))
        return original(conn, sql, db)

    monkeypatch.setattr(mysql, "_rows", spy)
    schema = introspect(url_of(server, database), source_id="live")
    assert refused and "READ ONLY" in refused[0].upper()
    assert schema.table("dbdrift_probe") is None and schema.table("users") is not None


def test_unknown_database_gives_one_line(mariadb_scratch: tuple[Server, str]) -> None:  # noqa: F811
    server, database = mariadb_scratch
    with pytest.raises(DatabaseError) as caught:
        introspect(url_of(server, database + "_missing"), source_id="shop")
    assert "\n" not in str(caught.value) and "shop" in str(caught.value)


def column_types(schema: Schema) -> dict[tuple[str | None, str, str], Type]:
    return {(t.schema, t.name, c.name): c.type for t in schema.tables for c in t.columns}
