"""Shared fixtures: a PostgreSQL server for the oracle tests, and scratch databases on it.

The oracle tests prove the SQL replay against the real database, so they need a server.
`pg_dsn` uses the one on 127.0.0.1:5432 (or $DBDRIFT_TEST_PG_DSN) when it answers,
otherwise starts a throwaway cluster from the PostgreSQL binaries on this machine, otherwise
skips -- except under CI, where a missing server is a failure, never a silent skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import NoReturn

import pytest

from dbdrift.scratch import LocalPostgres, ScratchError, find_bindir

LOCAL_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=test"
CONNECT_TIMEOUT = 3


def _unavailable(reason: str) -> NoReturn:
    """Skip a test that needs a server, or fail it when running under CI."""
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and {reason}", pytrace=False)
    pytest.skip(reason)


def _answers(dsn: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(dsn, connect_timeout=CONNECT_TIMEOUT) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


@pytest.fixture(scope="session")
def pg_dsn() -> Iterator[str]:
    """A DSN for a PostgreSQL server: the local one, or a throwaway cluster started here."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install 'psycopg[binary]')")
    local = os.environ.get("DBDRIFT_TEST_PG_DSN", LOCAL_DSN)
    if _answers(local):
        yield local
        return
    bindir = find_bindir()
    if bindir is None:
        _unavailable(
            f"no PostgreSQL server answers at {local!r} and no PostgreSQL binaries "
            "(initdb, pg_ctl) to start one"
        )
    cluster = LocalPostgres(bindir)
    try:
        cluster.start()
        dsn = cluster.conninfo
    except ScratchError as exc:
        cluster.stop()
        _unavailable(f"could not start a throwaway PostgreSQL cluster: {exc}")
    try:
        yield dsn
    finally:
        cluster.stop()


@pytest.fixture
def pg_scratch(pg_dsn: str) -> Iterator[str]:
    """A fresh, uniquely named empty database on the server; dropped (forcibly) afterwards."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    name = f"dbdrift_scratch_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(pg_dsn, autocommit=True, connect_timeout=CONNECT_TIMEOUT) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    try:
        yield make_conninfo(pg_dsn, dbname=name)
    finally:
        with psycopg.connect(pg_dsn, autocommit=True, connect_timeout=CONNECT_TIMEOUT) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture
def pg_url(pg_dsn: str) -> str:
    """The server of `pg_dsn` as a ``postgresql://`` URL, as ``--db`` takes it."""
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(pg_dsn)
    host, port = parts.get("host", "127.0.0.1"), parts.get("port", 5432)
    return f"postgresql://{parts.get('user', 'postgres')}@{host}:{port}/{parts['dbname']}"


@pytest.fixture
def scratch_made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the scratch databases `dbdrift.scratch` creates during the test, so a
    test can check its own are gone while other runs use the same server."""
    from dbdrift import scratch

    made: list[str] = []
    real = scratch.new_name

    def new_name(now: float | None = None) -> str:
        name = real(now)
        made.append(name)
        return name

    monkeypatch.setattr(scratch, "new_name", new_name)
    return made
