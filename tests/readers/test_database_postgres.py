"""The PostgreSQL database reader against the static replay, on every PostgreSQL fixture stream.

Each stream is applied to a scratch database the way a migration runner would
(tests/oracle/postgres.py), then read back by `dbdrift.readers.database.introspect`; the
projection of what it read must equal the projection of dbdrift's static reading of the
same files.  Then the safety promises: a read-only role reads the same schema, a role that
may not connect gets one line, and the reader leaves the database exactly as it was.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from dbdrift.readers.database import DatabaseError, introspect
from dbdrift.readers.sql import read as read_sql
from dbdrift.schema import Schema
from dbdrift.types import Type
from oracle.compare import project
from oracle.postgres import apply_stream
from test_oracle_postgres import POSTGRES_STREAMS, explain, make_source

pytestmark = pytest.mark.postgres


def _url(dsn: str) -> str:
    """A psycopg conninfo (``host=... dbname=...``) as a postgresql:// URL."""
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(dsn)
    user = parts.get("user", "postgres")
    password = f":{parts['password']}" if parts.get("password") else ""
    host = parts.get("host", "127.0.0.1")
    port = parts.get("port", "5432")
    return f"postgresql://{user}{password}@{host}:{port}/{parts['dbname']}"


@pytest.mark.parametrize("name", POSTGRES_STREAMS)
def test_introspection_equals_static_replay(name: str, pg_scratch: str) -> None:
    source = make_source(name)
    apply_stream(pg_scratch, source.root, source.files)
    schema = introspect(_url(pg_scratch), source_id="live")
    live = project(schema)
    static_schema = read_sql(source)
    static = project(static_schema)
    problems = explain(static, live)
    assert not problems, "\n".join(problems)
    assert live == static
    # not only the spelling: family and parameters too, which the checks compare
    assert column_types(schema) == column_types(static_schema)


def _catalog_fingerprint(dsn: str) -> list[tuple[object, ...]]:
    """Every user relation with its modification counters and size: changes on any write."""
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute(
            "SELECT c.relname, c.relkind, pg_relation_size(c.oid), "
            "coalesce(s.n_tup_ins + s.n_tup_upd + s.n_tup_del, 0) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') "
            "ORDER BY 1"
        ).fetchall()


@pytest.fixture
def reader_role(pg_scratch: str) -> Iterator[tuple[str, str]]:
    """A login role that may only connect and read (no write privilege at all), its sessions
    read-only by default; yields (role, password) and drops the role afterwards."""
    import psycopg
    from psycopg import sql

    role = f"dbdrift_reader_{uuid.uuid4().hex[:12]}"
    password = uuid.uuid4().hex
    with psycopg.connect(pg_scratch, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} NOSUPERUSER NOCREATEDB NOCREATEROLE").format(
                sql.Identifier(role), sql.Literal(password)
            )
        )
        conn.execute(
            sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(
                sql.Identifier(role)
            )
        )
        conn.execute(sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
        conn.execute(
            sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}").format(
                sql.Identifier(role)
            )
        )
    try:
        yield role, password
    finally:
        with psycopg.connect(pg_scratch, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def test_read_only_role_reads_everything_and_changes_nothing(
    pg_scratch: str, reader_role: tuple[str, str]
) -> None:
    import psycopg

    source = make_source("prisma_style")
    apply_stream(pg_scratch, source.root, source.files)
    role, password = reader_role
    with psycopg.connect(pg_scratch, autocommit=True) as conn:
        can_write = conn.execute(
            "SELECT bool_or(has_table_privilege(%s, c.oid, 'INSERT,UPDATE,DELETE,TRUNCATE')) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r'",
            (role,),
        ).fetchone()[0]
        may_create = conn.execute(
            "SELECT has_schema_privilege(%s, 'public', 'CREATE')", (role,)
        ).fetchone()[0]
    assert can_write is False and may_create is False
    before = _catalog_fingerprint(pg_scratch)
    url = _url(pg_scratch).replace("postgres@", f"{role}:{password}@", 1)
    live = introspect(url, source_id="live")
    assert project(live) == project(read_sql(source))
    assert _catalog_fingerprint(pg_scratch) == before


def test_reader_transaction_is_read_only(pg_scratch: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalog queries run in a transaction PostgreSQL itself reports as read-only."""
    from dbdrift.readers.database import postgres

    seen: list[str] = []
    original = postgres._rows

    def spy(conn, sql, params):  # type: ignore[no-untyped-def]
        if not seen:
            seen.append(conn.exec_driver_sql("SHOW transaction_read_only").scalar())
        return original(conn, sql, params)

    monkeypatch.setattr(postgres, "_rows", spy)
    introspect(_url(pg_scratch), source_id="live")
    assert seen == ["on"]


def test_role_without_connect_gives_one_line(pg_scratch: str, reader_role: tuple[str, str]) -> None:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict

    role, password = reader_role
    dbname = conninfo_to_dict(pg_scratch)["dbname"]
    with psycopg.connect(pg_scratch, autocommit=True) as conn:
        conn.execute(
            sql.SQL("REVOKE CONNECT ON DATABASE {} FROM PUBLIC").format(sql.Identifier(dbname))
        )
    url = _url(pg_scratch).replace("postgres@", f"{role}:{password}@", 1)
    with pytest.raises(DatabaseError) as caught:
        introspect(url, source_id="prod")
    message = str(caught.value)
    assert "\n" not in message
    assert "permission denied" in message and "prod" in message
    assert password not in message and "***" in message


def column_types(schema: Schema) -> dict[tuple[str | None, str, str], Type]:
    return {(t.schema, t.name, c.name): c.type for t in schema.tables for c in t.columns}


def test_schemas_limit_what_is_read(pg_scratch: str) -> None:
    source = make_source("schemas")
    apply_stream(pg_scratch, source.root, source.files)
    every = introspect(_url(pg_scratch), source_id="live")
    billing = introspect(_url(pg_scratch), source_id="live", schemas=["billing"])
    assert len({t.schema for t in every.tables}) > 1
    assert billing.tables and {t.schema for t in billing.tables} == {"billing"}
    assert [t.name for t in billing.tables] == [
        t.name for t in every.tables if t.schema == "billing"
    ]
