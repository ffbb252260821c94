"""Live databases in `dbdrift scan`: the issue's scenario against real servers, and safety.

A database migrated with a fixture stream scans as drift-free against that stream; after the
test drops a column, changes a type, adds a table and leaves the last migration unapplied,
exactly four findings cite the database: DBD112 (column missing), DBD204 (type), DBD101
(table only in the database) and DBD507 naming the unapplied migration.  A password in a
URL appears in no output format; a refused connection, a timeout, a missing permission, an
unset variable and a missing driver each give one line on stderr while the rest of the scan
completes.
"""

from __future__ import annotations

import io
import json
import socket
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dbdrift.cli import EXIT_ERROR, EXIT_OK, run
from oracle.postgres import apply_stream
from test_oracle_postgres import make_source

STREAM = "golang_migrate"
UNAPPLIED = "000006_task_comments.up.sql"


def pg_url(dsn: str, user: str = "postgres", password: str | None = None) -> str:
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(dsn)
    secret = f":{password}" if password else ""
    host, port = parts.get("host", "127.0.0.1"), parts.get("port", "5432")
    return f"postgresql://{user}{secret}@{host}:{port}/{parts['dbname']}"


def scan(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["scan", *args, "--fail-on", "none"], out, err)
    return code, out.getvalue(), err.getvalue()


def scan_json(*args: str) -> tuple[dict[str, Any], str]:
    code, out, err = scan(*args, "--format", "json")
    assert code == EXIT_OK, err
    return json.loads(out), err


def citing(report: dict[str, Any], source: str) -> set[tuple[str, str | None, str | None]]:
    return {
        (f["rule"], f["table"], f["column"])
        for f in report["findings"]
        if any(e["source"] == source for e in f["evidence"])
    }


def not_citing(report: dict[str, Any], source: str) -> list[tuple[str, str]]:
    return sorted(
        (f["rule"], f["title"])
        for f in report["findings"]
        if not any(e["source"] == source for e in f["evidence"])
    )


@pytest.fixture
def stream_root() -> Path:
    return make_source(STREAM).root


@pytest.mark.postgres
def test_migrated_database_is_drift_free(pg_scratch: str, stream_root: Path) -> None:
    import psycopg

    source = make_source(STREAM)
    apply_stream(pg_scratch, source.root, source.files)
    with psycopg.connect(pg_scratch, autocommit=True) as conn:  # golang-migrate's own table
        conn.execute("CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean)")
    alone, _ = scan_json(str(stream_root))
    report, err = scan_json(str(stream_root), "--db", f"prod={pg_url(pg_scratch)}")
    assert err == ""
    prod = next(s for s in report["sources"] if s["id"] == "prod")
    assert prod["kind"] == "database" and prod["table_count"] == 6 and not prod["errors"]
    assert prod["notes"] == {"skipped": 1}  # schema_migrations, left out of the comparison
    assert prod["group"] == report["sources"][0]["group"]  # compared with the stream
    severe = [f for f in report["findings"] if f["severity"] not in ("low", "info")]
    assert severe == []
    assert citing(report, "prod") == {("DBD902", None, None)}  # the note on schema_migrations
    assert not_citing(report, "prod") == not_citing(alone, "prod")


@pytest.mark.postgres
def test_drift_and_an_unapplied_migration_give_exactly_four_findings(
    pg_scratch: str, stream_root: Path
) -> None:
    import psycopg

    source = make_source(STREAM)
    assert source.files[-1].endswith(UNAPPLIED)
    apply_stream(pg_scratch, source.root, source.files[:-1])
    with psycopg.connect(pg_scratch, autocommit=True) as conn:
        conn.execute("ALTER TABLE projects DROP COLUMN archived")
        conn.execute("ALTER TABLE tasks ALTER COLUMN title TYPE text")
        conn.execute("CREATE TABLE audit_log (id bigint PRIMARY KEY, note text)")
    alone, _ = scan_json(str(stream_root))
    report, err = scan_json(str(stream_root), "--db", f"prod={pg_url(pg_scratch)}")
    assert err == ""
    assert citing(report, "prod") == {
        ("DBD112", "projects", "archived"),
        ("DBD204", "tasks", "title"),
        ("DBD101", "audit_log", None),
        ("DBD507", None, None),
    }
    assert not_citing(report, "prod") == not_citing(alone, "prod")
    (unapplied,) = [f for f in report["findings"] if f["rule"] == "DBD507"]
    assert unapplied["title"] == f"migration {UNAPPLIED} has not been applied to prod"
    assert f"{UNAPPLIED} has not been applied here" in unapplied["message"]
    assert "3 other differences" in unapplied["message"]
    assert unapplied["severity"] == "high"
    assert any(e["path"].endswith(UNAPPLIED) for e in unapplied["evidence"])
    # the missing task_comments table (and DBD103's coverage count) follow from the migration
    assert "not listed separately" in unapplied["message"]
    assert not any(f["table"] == "task_comments" for f in report["findings"])


@pytest.mark.postgres
def test_database_exactly_one_migration_behind(pg_scratch: str, stream_root: Path) -> None:
    source = make_source(STREAM)
    apply_stream(pg_scratch, source.root, source.files[:-1])
    report, _ = scan_json(str(stream_root), "--db", pg_url(pg_scratch))
    assert citing(report, "db1") == {("DBD507", None, None)}
    (unapplied,) = [f for f in report["findings"] if f["rule"] == "DBD507"]
    assert "db1 equals the state of" in unapplied["message"]


@pytest.fixture
def password_role(pg_scratch: str) -> Iterator[tuple[str, str]]:
    """A login role with a password that reads the scratch database; dropped afterwards."""
    import psycopg
    from psycopg import sql

    role = f"dbdrift_pw_{uuid.uuid4().hex[:10]}"
    password = f"Pw{uuid.uuid4().hex}"
    with psycopg.connect(pg_scratch, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(role), sql.Literal(password)
            )
        )
    try:
        yield role, password
    finally:
        with psycopg.connect(pg_scratch, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


@pytest.mark.postgres
@pytest.mark.parametrize("format", ["text", "markdown", "json"])
def test_password_is_never_printed(
    format: str, pg_scratch: str, password_role: tuple[str, str], stream_root: Path
) -> None:
    role, password = password_role
    source = make_source(STREAM)
    apply_stream(pg_scratch, source.root, source.files)
    good = pg_url(pg_scratch, role, password)
    refused = f"postgresql://{role}:{password}@127.0.0.1:{closed_port()}/x"
    code, out, err = scan(
        str(stream_root), "--db", f"prod={good}", "--db", f"down={refused}", "--format", format
    )
    assert code == EXIT_OK
    assert "prod" in out and "down" in out and "***" in out + err
    assert password not in out and password not in err
    assert err.count("\n") == 1 and "cannot read database down" in err


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.postgres
def test_connection_refused_is_one_line_and_the_scan_completes(stream_root: Path) -> None:
    alone, _ = scan_json(str(stream_root))
    url = f"postgresql://postgres@127.0.0.1:{closed_port()}/app"
    report, err = scan_json(str(stream_root), "--db", f"prod={url}")
    assert err.count("\n") == 1
    assert err.startswith("dbdrift: cannot read database prod (") and "refused" in err
    assert citing(report, "prod") == {("DBD901", None, None)}
    [finding] = [f for f in report["findings"] if f["rule"] == "DBD901"]
    assert [(e["path"], e["line"]) for e in finding["evidence"]] == [("prod", None)]
    assert finding["fix"].startswith("Make prod reachable")
    assert not_citing(report, "prod") == not_citing(alone, "prod")


@pytest.fixture
def blackhole() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield server.getsockname()[1]


@pytest.mark.parametrize("scheme", ["postgresql", "mysql"])
def test_timeout_is_one_line_and_the_scan_completes(
    scheme: str, blackhole: int, stream_root: Path
) -> None:
    started = time.monotonic()
    report, err = scan_json(
        str(stream_root),
        "--db",
        f"prod={scheme}://u@127.0.0.1:{blackhole}/app",
        "--db-timeout",
        "1",
    )
    elapsed = time.monotonic() - started
    assert elapsed < 8, elapsed
    assert err.count("\n") == 1 and "cannot read database prod" in err
    assert "time" in err.lower()  # "timeout expired" / "timed out"
    expected = {("DBD901", None, None)}
    if scheme == "mysql":  # a MySQL database beside a PostgreSQL stream is a separate database
        expected.add(("DBD903", None, None))
    assert citing(report, "prod") == expected
    assert any(s["id"] == "migrations" and s["table_count"] == 6 for s in report["sources"])


@pytest.mark.postgres
def test_missing_permission_is_one_line(
    pg_scratch: str, password_role: tuple[str, str], stream_root: Path
) -> None:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict

    role, password = password_role
    dbname = conninfo_to_dict(pg_scratch)["dbname"]
    with psycopg.connect(pg_scratch, autocommit=True) as conn:
        conn.execute(
            sql.SQL("REVOKE CONNECT ON DATABASE {} FROM PUBLIC").format(sql.Identifier(dbname))
        )
    _report, err = scan_json(str(stream_root), "--db", f"prod={pg_url(pg_scratch, role, password)}")
    assert err.count("\n") == 1 and "permission denied" in err and password not in err


def test_env_url_and_config(
    tmp_path: Path, stream_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``env:VAR`` from --db and from dbdrift.toml; an unset variable is one line."""
    import shutil
    import sqlite3

    repo = tmp_path / "repo"
    shutil.copytree(stream_root, repo)
    db = tmp_path / "local.db"
    sqlite3.connect(db).close()
    (repo / "dbdrift.toml").write_text(
        'databases = { local = "env:DBDRIFT_TEST_LOCAL", prod = "env:DBDRIFT_TEST_UNSET" }\n'
    )
    monkeypatch.setenv("DBDRIFT_TEST_LOCAL", f"sqlite:///{db}")
    monkeypatch.delenv("DBDRIFT_TEST_UNSET", raising=False)
    report, err = scan_json(str(repo))
    ids = {s["id"]: s for s in report["sources"]}
    assert ids["local"]["kind"] == "database" and ids["local"]["dialect"] == "sqlite"
    assert not ids["local"]["errors"]
    assert (
        err == "dbdrift: cannot read database prod: "
        "environment variable DBDRIFT_TEST_UNSET is not set\n"
    )


def test_bad_config_and_bad_name_are_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.dbdrift]\ndatabases = ["x"]\n')
    code, _out, err = scan(str(tmp_path))
    assert code == EXIT_ERROR and err.count("\n") == 1 and "databases must be a table" in err
    code, _out, err = scan(str(tmp_path.parent), "--db", "bad name=sqlite:///x.db")
    assert code == EXIT_ERROR and "not a usable database name" in err


def test_missing_driver_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "pymysql", None)
    _report, err = scan_json(str(tmp_path), "--db", "prod=mysql://u:secret@127.0.0.1:1/app")
    assert err == "dbdrift: the mysql driver is not installed: pip install 'pymysql'\n"


@pytest.fixture
def mariadb_db() -> Iterator[tuple[Any, str]]:
    from oracle.mariadb import find_server, scratch_database

    server = find_server()
    with scratch_database(server) as name:
        yield server, name


def maria_url(server: Any, database: str) -> str:
    password = f":{server.password}" if server.password else ""
    return f"mariadb://{server.user}{password}@{server.host}:{server.port}/{database}"


@pytest.mark.mariadb
def test_mariadb_database_drift_free_then_one_migration_behind(
    mariadb_db: tuple[Any, str],
) -> None:
    import pymysql

    from oracle.mariadb import apply_files
    from test_oracle_mysql import make_source as make_mysql_source

    server, database = mariadb_db
    source = make_mysql_source("mysql_shop")
    *applied, last = source.files
    apply_files(server, database, source.root, tuple(applied))
    root = str(source.root)
    url = maria_url(server, database)
    behind, err = scan_json(root, "--db", f"shop={url}")
    assert err == ""
    assert citing(behind, "shop") == {("DBD507", None, None)}
    (unapplied,) = [f for f in behind["findings"] if f["rule"] == "DBD507"]
    assert Path(last).name in unapplied["title"]
    apply_files(server, database, source.root, (last,))
    report, err = scan_json(root, "--db", f"shop={url}")
    assert err == ""
    assert [f for f in report["findings"] if f["severity"] not in ("low", "info")] == [
        f for f in scan_json(root)[0]["findings"] if f["severity"] not in ("low", "info")
    ]
    assert {rule for rule, _t, _c in citing(report, "shop")} <= {"DBD306", "DBD402"}
    conn = pymysql.connect(
        host=server.host,
        port=server.port,
        user=server.user,
        password=server.password,
        database=database,
        autocommit=True,
    )
    with conn.cursor() as cur:
        cur.execute("ALTER TABLE users DROP COLUMN phone")
    conn.close()
    drifted, _ = scan_json(root, "--db", f"shop={url}")
    assert ("DBD112", "users", "phone") in citing(drifted, "shop")


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("last", "what"),
    [
        ("CREATE INDEX users_name_idx ON users (name);\n", "an index"),
        ("ALTER TABLE users ALTER COLUMN name SET DEFAULT 'anon';\n", "a default"),
        ("ALTER TABLE users ADD CONSTRAINT users_name_key UNIQUE (name);\n", "a unique"),
    ],
)
def test_a_migration_that_only_adds_an_index_or_a_default_is_named(
    pg_scratch: str, tmp_path: Path, last: str, what: str
) -> None:
    files = {
        "db/migrations/001_users.sql": "CREATE TABLE users (id int PRIMARY KEY, name text);\n",
        "db/migrations/002_more.sql": last,
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    apply_stream(pg_scratch, tmp_path, ["db/migrations/001_users.sql"])
    report, err = scan_json(str(tmp_path), "--db", f"prod={pg_url(pg_scratch)}")
    assert err == ""
    (unapplied,) = [f for f in report["findings"] if f["rule"] == "DBD507"]
    assert unapplied["title"] == "migration 002_more.sql has not been applied to prod", what
