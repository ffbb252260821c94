"""`dbdrift verify` and `dbdrift scan --verify` against the real PostgreSQL and MariaDB.

A fixture stream applied to a scratch database agrees with dbdrift's reading (exit 0); a
static reading broken on purpose (a column dropped) is caught (exit 1); failures (no
permission, a connection killed mid-apply, a bug) exit 2 and leave no scratch database.
"""

from __future__ import annotations

import io
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from dbdrift import readers, scratch
from dbdrift.cli import run
from dbdrift.compare import differences
from dbdrift.schema import Column, Schema, SourceRef, Table
from dbdrift.types import other

pytestmark = pytest.mark.postgres

FIXTURES = Path(__file__).parent / "fixtures"
STREAMS = FIXTURES / "streams"

# fixture -> the id discovery gives its stream
PG_STREAMS = {
    "flyway": "db/migration",
    "handwritten": "sql",
    "enums": "migrations",
    "schemas": "migrations",
    "rejected": "migrations",
    "dbmate": "db/migrations",
    "supabase": "supabase/migrations",
    "prisma_style": "prisma/migrations",
}
MYSQL_STREAMS = {"mysql_shop": "db/migrations", "mysql_errors": "migrations"}


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def scratch_names(dsn: str) -> set[str]:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        rows = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'dbdrift_verify%'")
        return {r[0] for r in rows.fetchall()}


def drop_a_column(schema: Schema) -> tuple[Schema, str]:
    """`schema` without the last column of its first table that has two or more."""
    tables = list(schema.tables)
    for k, table in enumerate(tables):
        if len(table.columns) >= 2:
            tables[k] = replace(table, columns=table.columns[:-1])
            return replace(schema, tables=tuple(tables)), f"{table.name}.{table.columns[-1].name}"
    raise AssertionError("no table with two columns")


@pytest.fixture
def broken_reader(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every static reading loses a column; the list receives `table.column` of the lost one."""
    real = readers.read
    dropped: list[str] = []

    def read(source: Any) -> Schema:
        schema, column = drop_a_column(real(source))
        dropped.append(column)
        return schema

    monkeypatch.setattr(readers, "read", read)
    return dropped


@pytest.fixture(scope="module")
def mariadb_url() -> str:
    from oracle.mariadb import find_server

    server = find_server()
    auth = f"{server.user}:{server.password}" if server.password else server.user
    return f"mysql://{auth}@{server.host}:{server.port}/"


# --- agreement and disagreement -------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PG_STREAMS))
def test_fixture_stream_agrees_with_postgres(
    name: str, pg_url: str, pg_dsn: str, scratch_made: list[str]
) -> None:
    code, out, err = cli(
        "verify", str(STREAMS / name), "--source", PG_STREAMS[name], "--db", pg_url
    )
    assert (code, err) == (0, ""), out
    assert "the database agrees with dbdrift's reading" in out
    assert len(scratch_made) == 1 and not set(scratch_made) & scratch_names(pg_dsn)


def test_refused_statements_are_listed_with_file_and_line(pg_url: str) -> None:
    code, out, _ = cli("verify", str(STREAMS / "rejected"), "-s", "migrations", "--db", pg_url)
    assert code == 0
    assert 'migrations/001_init.sql:8: relation "members" does not exist' in out
    assert "migrations/002_more.sql:5: syntax error at or near" in out


@pytest.mark.parametrize("name", ["flyway", "enums"])
def test_a_broken_static_reading_is_reported(
    name: str, pg_url: str, broken_reader: list[str]
) -> None:
    code, out, err = cli(
        "verify", str(STREAMS / name), "--source", PG_STREAMS[name], "--db", pg_url
    )
    assert (code, err) == (1, "")
    (dropped,) = broken_reader
    assert "1 difference from dbdrift's reading" in out
    assert f"column {dropped}: in database, not in dbdrift" in out


def test_json_output(pg_url: str, broken_reader: list[str]) -> None:
    import json

    code, out, _ = cli(
        "verify", str(STREAMS / "enums"), "-s", "migrations", "--db", pg_url, "-f", "json"
    )
    document = json.loads(out)
    assert code == 1 and document["agrees"] is False
    assert document["differences"] == [f"column {broken_reader[0]}: in database, not in dbdrift"]


@pytest.mark.parametrize("name", sorted(MYSQL_STREAMS))
def test_mysql_stream_agrees_with_mariadb(name: str, mariadb_url: str) -> None:
    code, out, err = cli(
        "verify", str(STREAMS / name), "--source", MYSQL_STREAMS[name], "--db", mariadb_url
    )
    assert (code, err) == (0, ""), out
    assert "agrees" in out


def test_mysql_broken_static_reading_is_reported(
    mariadb_url: str, broken_reader: list[str]
) -> None:
    code, out, _ = cli(
        "verify", str(STREAMS / "mysql_shop"), "-s", "db/migrations", "--db", mariadb_url
    )
    assert code == 1
    assert f"column {broken_reader[0]}: in database, not in dbdrift" in out


SQLITE_STREAMS = {"sqlite_app": "migrations", "sqlite_quirks": "db/migrations"}


@pytest.mark.parametrize("name", sorted(SQLITE_STREAMS))
def test_sqlite_stream_agrees_with_sqlite_in_a_temporary_file(name: str) -> None:
    code, out, err = cli("verify", str(STREAMS / name), "--source", SQLITE_STREAMS[name])
    assert (code, err) == (0, ""), out
    assert "temporary SQLite file" in out and "agrees" in out


def test_sqlite_refusals_are_compared_line_by_line(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "migrations").mkdir(parents=True)
    (repo / "migrations" / "001_a.sql").write_text(
        "CREATE TABLE a (id integer PRIMARY KEY, name text) WITHOUT ROWID;\n"  # SQLite
        "CREATE TABLE a (x int);\n"  # refused: already exists (line 2)
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;\n"
    )
    code, out, err = cli("verify", str(repo), "-s", "migrations", "-f", "json")
    assert (code, err) == (0, "")
    import json

    report = json.loads(out)
    assert report["server"] == "a temporary SQLite file"
    assert [(r["path"], r["line"]) for r in report["refused"]] == [("migrations/001_a.sql", 2)]


def test_sqlite_broken_static_reading_is_reported(broken_reader: list[str]) -> None:
    code, out, _ = cli("verify", str(STREAMS / "sqlite_app"), "-s", "migrations")
    assert code == 1
    assert f"column {broken_reader[0]}: in database, not in dbdrift" in out


def test_prisma_and_sqlalchemy_go_through_the_generated_ddl(pg_url: str, mariadb_url: str) -> None:
    for path, source, url in (
        (FIXTURES / "prisma" / "blog", "schema.prisma", pg_url),
        (FIXTURES / "repos" / "sqlalchemy_postgres", "app/models", pg_url),
        (FIXTURES / "prisma" / "mysql_shop", "schema.prisma", mariadb_url),
    ):
        code, out, err = cli("verify", str(path), "--source", source, "--db", url)
        assert (code, err) == (0, ""), (source, out)


# --- failures ---------------------------------------------------------------------------------


def test_without_create_privilege_one_clear_message_and_nothing_left(
    pg_dsn: str, pg_url: str, scratch_made: list[str]
) -> None:
    import psycopg

    role = f"dbdrift_nocreate_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE \"{role}\" LOGIN NOCREATEDB PASSWORD 'pa55word'")
    try:
        url = pg_url.replace("postgres@", f"{role}:pa55word@", 1)
        code, out, err = cli("verify", str(STREAMS / "enums"), "-s", "migrations", "--db", url)
        assert (code, out) == (2, "")
        assert err.count("\n") == 1
        assert err.startswith("dbdrift: cannot create a scratch database on postgresql://")
        assert "permission denied to create database" in err
        assert "pa55word" not in err
        assert len(scratch_made) == 1  # named, then refused: nothing was made
        assert not set(scratch_made) & scratch_names(pg_dsn)
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_unreachable_server_does_not_print_the_password() -> None:
    port = scratch.free_port()
    url = f"postgresql://me:t0p-secret@127.0.0.1:{port}/x"
    code, out, err = cli("verify", str(STREAMS / "enums"), "-s", "migrations", "--db", url)
    assert (code, out) == (2, "")
    assert "t0p-secret" not in err and "me:***@" in err


def _stream(tmp_path: Path, second: str) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "001_a.sql").write_text("CREATE TABLE a (id int PRIMARY KEY);\n", encoding="utf-8")
    (folder / "002_b.sql").write_text(second, encoding="utf-8")
    return tmp_path


def _terminate_when(dsn: str, query_prefix: str, done: threading.Event) -> Callable[[], None]:
    """A thread body: wait for a verify session running `query_prefix`, then kill it."""
    import psycopg

    def body() -> None:
        with psycopg.connect(dsn, autocommit=True) as conn:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                row = conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname LIKE 'dbdrift\\_verify\\_%%' "
                    "AND query LIKE %s",
                    (query_prefix + "%",),
                ).fetchone()
                if row:
                    conn.execute("SELECT pg_terminate_backend(%s)", (row[0],))
                    done.set()
                    return
                time.sleep(0.05)

    return body


def test_connection_killed_mid_verify_leaves_no_scratch_database(
    tmp_path: Path, pg_dsn: str, pg_url: str, scratch_made: list[str]
) -> None:
    repo = _stream(tmp_path, "SELECT pg_sleep(30);\nCREATE TABLE b (id int);\n")
    killed = threading.Event()
    killer = threading.Thread(target=_terminate_when(pg_dsn, "SELECT pg_sleep", killed))
    killer.start()
    started = time.monotonic()
    code, out, err = cli("verify", str(repo), "-s", "migrations", "--db", pg_url)
    killer.join()
    assert killed.is_set()
    assert time.monotonic() - started < 25  # the sleep was cut short
    assert (code, out) == (2, "")
    assert "lost the connection to the scratch database at migrations/002_b.sql:1" in err
    assert len(scratch_made) == 1 and not set(scratch_made) & scratch_names(pg_dsn)


def test_an_exception_midway_leaves_no_scratch_database(
    tmp_path: Path,
    pg_dsn: str,
    pg_url: str,
    monkeypatch: pytest.MonkeyPatch,
    scratch_made: list[str],
) -> None:
    from dbdrift import verify

    repo = _stream(tmp_path, "CREATE TABLE b (id int);\n")
    real = verify._apply_file
    calls: list[str] = []

    def apply_file(conn: Any, scratch_server: Any, path: str, text: str) -> Any:
        calls.append(path)
        if len(calls) == 2:
            raise RuntimeError("simulated crash")
        return real(conn, scratch_server, path, text)

    monkeypatch.setattr(verify, "_apply_file", apply_file)
    code, _, err = cli("verify", str(repo), "-s", "migrations", "--db", pg_url)
    assert code == 2 and "simulated crash" in err
    assert calls == ["migrations/001_a.sql", "migrations/002_b.sql"]
    assert len(scratch_made) == 1 and not set(scratch_made) & scratch_names(pg_dsn)


def test_the_next_verify_removes_what_a_crashed_run_left(pg_dsn: str, pg_url: str) -> None:
    import psycopg

    leftover = scratch.new_name(now=time.time() - 600)
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{leftover}"')
    code, _, _ = cli("verify", str(STREAMS / "enums"), "-s", "migrations", "--db", pg_url)
    assert code == 0
    assert leftover not in scratch_names(pg_dsn)


def test_files_the_database_never_sees_are_not_differences(tmp_path: Path, pg_url: str) -> None:
    """A file that is not UTF-8 is dbdrift's error and never sent; psql's own lines (a
    meta-command, COPY data) are blanked as the reader blanks them."""
    repo = _stream(
        tmp_path,
        "\\set ON_ERROR_STOP on\n"
        "CREATE TABLE b (id int, name text);\n"
        "COPY b (id, name) FROM stdin;\n1\tx\n2\ty\n\\.\n"
        "ALTER TABLE b ADD COLUMN n int;\n",
    )
    (repo / "migrations" / "003_c.sql").write_bytes(b"CREATE TABLE c (x text DEFAULT '\xff');\n")
    code, out, err = cli("verify", str(repo), "-s", "migrations", "--db", pg_url)
    assert (code, err) == (0, ""), out


def test_unknown_source_and_unverifiable_sources_exit_2(pg_url: str) -> None:
    code, _, err = cli("verify", str(STREAMS / "enums"), "-s", "nope", "--db", pg_url)
    assert code == 2 and "unknown source 'nope'" in err
    code, _, err = cli("verify", str(STREAMS / "sqlite_app"), "-s", "migrations", "--db", pg_url)
    assert code == 2 and "is sqlite: it is verified in a temporary SQLite file" in err
    code, _, err = cli("verify", str(STREAMS / "mysql_shop"), "-s", "db/migrations", "--db", pg_url)
    assert code == 2 and "is mysql but" in err


# --- the throwaway PostgreSQL ---------------------------------------------------------------


def test_without_db_a_throwaway_postgres_is_used() -> None:
    clusters = set(Path("/tmp").glob("dbdrift-pg-*"))
    code, out, err = cli("verify", str(STREAMS / "schemas"), "-s", "migrations")
    assert (code, err) == (0, ""), out
    assert "on a throwaway local PostgreSQL: the database agrees" in out
    assert set(Path("/tmp").glob("dbdrift-pg-*")) <= clusters


def test_without_db_and_without_binaries_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(scratch, "find_bindir", lambda: None)
    code, _, err = cli("verify", str(STREAMS / "schemas"), "-s", "migrations")
    assert code == 2
    assert "apt install postgresql" in err and err.count("\n") == 1


# --- scan --verify ------------------------------------------------------------------------------


REPO = FIXTURES / "repos" / "sqlalchemy_postgres"


def test_scan_verify_agrees_on_a_clean_repository(pg_url: str) -> None:
    code, out, _ = cli("scan", str(REPO), "--verify-db", pg_url, "-f", "json", "--fail-on", "none")
    assert code == 0
    assert '"DBD905"' not in out


def test_scan_verify_reports_a_disagreement_without_the_password(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    real = readers.read

    def read(source: Any) -> Schema:
        schema = real(source)
        return drop_a_column(schema)[0] if source.kind == "sql-migrations" else schema

    monkeypatch.setattr(readers, "read", read)
    url = pg_url.replace("postgres@", "postgres:Zq9-secret@", 1)  # trust: any password logs in
    code, out, _ = cli(
        "scan", str(REPO), "--verify", "--verify-db", url, "-f", "json", "--fail-on", "medium"
    )
    assert code == 1
    found = [f for f in json.loads(out)["findings"] if f["rule"] == "DBD905"]
    assert len(found) == 1
    assert found[0]["severity"] == "medium"
    assert "in database, not in dbdrift" in found[0]["message"]
    for fmt in ("json", "text", "markdown"):
        _, shown, err = cli("scan", str(REPO), "--verify-db", url, "-f", fmt)
        assert "DBD905" in shown
        assert "Zq9-secret" not in shown + err


def test_scan_verify_without_a_server_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    monkeypatch.setattr(scratch, "find_bindir", lambda: None)
    code, out, _ = cli("scan", str(REPO), "--verify", "-f", "json", "--fail-on", "none")
    found = [f for f in json.loads(out)["findings"] if f["rule"] == "DBD905"]
    assert code == 0 and len(found) == 1
    assert found[0]["severity"] == "info"
    assert "not verified" in found[0]["title"] and "apt install postgresql" in found[0]["title"]


# --- the comparison itself ------------------------------------------------------------------


def _schema(*tables: Table) -> Schema:
    return Schema(SourceRef("s", "sql-schema", "postgresql"), tables=tables)


def test_differences_name_table_and_column_sorted() -> None:
    a = _schema(
        Table("t", "public", (Column("id", other("integer"), False), Column("x", other("text")))),
        Table("gone", "public", (Column("id", other("integer")),)),
    )
    b = _schema(
        Table("t", None, (Column("id", other("bigint"), False), Column("y", other("text")))),
        Table("new", "billing", ()),
    )
    assert differences(a, b, ("dbdrift", "database")) == [
        "column t.id type: dbdrift 'integer' != database 'bigint'",
        "column t.x: in dbdrift, not in database",
        "column t.y: in database, not in dbdrift",
        "table billing.new: in database, not in dbdrift",
        "table gone: in dbdrift, not in database",
    ]
    assert differences(a, a) == []


def test_postgres_files_are_split_as_the_reader_splits_them() -> None:
    """The verify split of a PostgreSQL file is the reader's: a dollar-quoted body with
    semicolons stays one statement, comment-only slices are dropped, lines are the file's."""
    from dbdrift.verify import _pg_pieces

    text = (
        "-- only a comment;\n"
        "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n"
        "\n"
        "/* c */ CREATE TABLE t (id int);\n"
        "CREATE TABLE broken (\n"
    )
    pieces = _pg_pieces(text)
    assert [p.line for p in pieces] == [2, 4, 5]
    assert pieces[0].text.endswith("LANGUAGE sql")
    assert pieces[2].text == "CREATE TABLE broken ("
