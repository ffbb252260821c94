"""Scratch databases and the throwaway PostgreSQL, against the real servers on this machine."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dbdrift import scratch
from dbdrift.scratch import ScratchError

pytestmark = pytest.mark.postgres


def databases(dsn: str) -> set[str]:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        rows = conn.execute("SELECT datname FROM pg_database").fetchall()
    return {r[0] for r in rows}


def scratch_names(dsn: str) -> set[str]:
    return {n for n in databases(dsn) if n.startswith(scratch.PREFIX)}


@pytest.fixture
def url(pg_url: str) -> str:
    return pg_url


def test_scratch_database_exists_inside_and_is_dropped_after(pg_dsn: str, url: str) -> None:
    with scratch.scratch_database(url) as server:
        assert server.database.startswith(scratch.PREFIX)
        assert server.database in databases(pg_dsn)
        conn = scratch.connect(server)  # a connection left open does not stop the drop
        conn.execute("CREATE TABLE t (id int)")
    assert server.database not in databases(pg_dsn)
    conn.close()


def test_scratch_database_is_dropped_when_the_body_raises(pg_dsn: str, url: str) -> None:
    seen = []
    with pytest.raises(RuntimeError, match="boom"), scratch.scratch_database(url) as server:
        seen.append(server.database)
        assert server.database in databases(pg_dsn)
        raise RuntimeError("boom")
    assert seen and seen[0] not in databases(pg_dsn)


def test_leftovers_of_a_crashed_run_are_dropped_and_recent_ones_kept(pg_dsn: str, url: str) -> None:
    import psycopg

    old = scratch.new_name(now=time.time() - 3600)
    recent = scratch.new_name()
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        for name in (old, recent):
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        with scratch.scratch_database(url) as server:
            present = databases(pg_dsn)
            assert old not in present  # left over by a crashed run: dropped
            assert recent in present  # perhaps another verify's: kept
            assert server.database in present
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            for name in (old, recent):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_a_leftover_in_use_is_kept(pg_dsn: str, url: str) -> None:
    import psycopg
    from psycopg.conninfo import make_conninfo

    old = scratch.new_name(now=time.time() - 3600)
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{old}"')
    try:
        with psycopg.connect(make_conninfo(pg_dsn, dbname=old)):
            server = scratch.parse(url)
            admin = scratch.connect(server)
            try:
                assert old not in scratch.cleanup(server, admin)
            finally:
                admin.close()
            assert old in databases(pg_dsn)
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')


@pytest.fixture
def no_createdb_role(pg_dsn: str) -> Iterator[str]:
    """A role that may log in and nothing else (NOCREATEDB)."""
    import psycopg

    role = f"dbdrift_nocreate_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE \"{role}\" LOGIN NOCREATEDB PASSWORD 's3cret-pw'")
    try:
        yield role
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_without_create_privilege_one_clear_error_and_nothing_left(
    pg_dsn: str, no_createdb_role: str, scratch_made: list[str]
) -> None:
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(pg_dsn)
    url = (
        f"postgresql://{no_createdb_role}:s3cret-pw@{parts['host']}:{parts.get('port', 5432)}"
        f"/{parts['dbname']}"
    )
    with pytest.raises(ScratchError) as raised, scratch.scratch_database(url):
        pytest.fail("the scratch database should not have been created")
    message = str(raised.value)
    assert "cannot create a scratch database" in message
    assert "permission denied" in message
    assert "\n" not in message
    assert "s3cret-pw" not in message and ":***@" in message
    assert len(scratch_made) == 1 and not set(scratch_made) & scratch_names(pg_dsn)


def test_unreachable_server_is_one_line_without_the_password() -> None:
    port = scratch.free_port()
    url = f"postgresql://someone:hunter2@127.0.0.1:{port}/db"
    with pytest.raises(ScratchError) as raised, scratch.scratch_database(url, timeout=2):
        pass
    message = str(raised.value)
    assert message.startswith(f"cannot connect to postgresql://someone:***@127.0.0.1:{port}/db")
    assert "hunter2" not in message and "\n" not in message


def test_parse_and_redact() -> None:
    server = scratch.parse("postgresql+psycopg://u:p%40ss@h:5433/db?sslmode=disable")
    assert server.dialect == "postgresql"
    assert server.password == "p@ss"
    assert server.database == "db"
    assert server.redacted == "postgresql+psycopg://u:***@h:5433/db?sslmode=disable"
    assert server.scrub("auth failed for p@ss and p%40ss") == "auth failed for *** and ***"
    assert server.with_database("x").url == "postgresql+psycopg://u:p%40ss@h:5433/x?sslmode=disable"
    assert scratch.parse("mariadb://root@127.0.0.1/test").dialect == "mysql"
    with pytest.raises(ScratchError, match="expected a postgresql:// or mysql://"):
        scratch.parse("sqlite:///tmp/x.db")


def test_throwaway_postgres_starts_answers_and_is_removed() -> None:
    import psycopg

    assert scratch.find_bindir() is not None, "Debian's postgresql package should be installed"
    with scratch.throwaway_postgres() as url:
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT current_user").fetchone() == ("postgres",)
        clusters = [p for p in Path("/tmp").glob("dbdrift-pg-*") if (p / "data").exists()]
        assert clusters
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres", connect_timeout=2)


def test_without_binaries_the_message_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scratch, "find_bindir", lambda: None)
    with (
        pytest.raises(ScratchError, match=r"apt install postgresql"),
        scratch.throwaway_postgres(),
    ):
        pass


def test_mariadb_scratch_database_is_dropped() -> None:
    from oracle.mariadb import connect, find_server

    server = find_server()
    url = f"mysql://{server.user}@{server.host}:{server.port}/"

    def names() -> set[str]:
        conn = connect(server)
        try:
            with conn.cursor() as cur:
                cur.execute("SHOW DATABASES")
                return {r[0] for r in cur.fetchall()}
        finally:
            conn.close()

    with scratch.scratch_database(url) as made:
        assert made.database in names()
    assert made.database not in names()
