"""The MariaDB oracle: apply SQL files to a real server, then read ``information_schema``.

`apply_files` feeds each file to the ``mariadb``/``mysql`` command-line client with
``--force`` -- exactly how ``mysql db < file.sql`` runs a migration, DELIMITER handling and
line numbering included -- and records every statement MariaDB refused with the line the
client reports ("ERROR 1146 (42S02) at line 12: ...").  `introspect` reads the resulting
database into exactly the shape of `tests.oracle.compare.project`.

Choices both sides agree on (the replay documents the same ones):

- a MySQL table has no schema name: the projection's key is the bare table name;
- ``AUTO_INCREMENT`` is ``Column.identity == "auto_increment"``;
- ``COLUMN_DEFAULT`` is taken as MariaDB prints it, except the bare text ``NULL`` (MariaDB's
  spelling of "the default is NULL", with or without ``DEFAULT NULL``), which is ``None``;
  a string default ``'NULL'`` is reported quoted and stays as it is;
- every unique index is a `Unique` (MariaDB lists each one as a UNIQUE constraint too); the
  other indexes, the ones InnoDB adds behind foreign keys included, are `Index`es.

Nothing here uses dbdrift: the oracle must not share the code it judges.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest

from oracle.compare import key_name  # tests/ is on sys.path under pytest

HOST = os.environ.get("DBDRIFT_TEST_MARIADB_HOST", "127.0.0.1")
PORT = int(os.environ.get("DBDRIFT_TEST_MARIADB_PORT", "3306"))
USER = os.environ.get("DBDRIFT_TEST_MARIADB_USER", "root")
PASSWORD = os.environ.get("DBDRIFT_TEST_MARIADB_PASSWORD", "")
CONNECT_TIMEOUT = 3
CLIENT_TIMEOUT = 300

_CLIENT_ERROR = re.compile(r"^ERROR (\d+) \(([0-9A-Z]{5})\) at line (\d+)[^:]*: (.*)$")


@dataclass(frozen=True, slots=True)
class MariaError:
    """A statement MariaDB refused: the file, the line the client reported, and why."""

    file: str
    line: int
    code: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: [{self.code}] {self.message}"


@dataclass(frozen=True, slots=True)
class Server:
    """Where the MariaDB server is, and the client program that talks to it."""

    host: str
    port: int
    user: str
    password: str
    client: str


def _unavailable(reason: str) -> NoReturn:
    """Skip a test that needs MariaDB, or fail it when running under CI."""
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and {reason}", pytrace=False)
    pytest.skip(reason)


def connect(server: Server, database: str | None = None) -> Any:
    import pymysql

    return pymysql.connect(
        host=server.host,
        port=server.port,
        user=server.user,
        password=server.password,
        database=database,
        autocommit=True,
        connect_timeout=CONNECT_TIMEOUT,
        charset="utf8mb4",
    )


def find_server() -> Server:
    """The server on 127.0.0.1:3306 (or $DBDRIFT_TEST_MARIADB_*) and its client.

    This is what a test module's ``mariadb`` fixture returns: without a server or a client
    the test is skipped, and fails instead when the environment variable CI is set.
    """
    try:
        import pymysql
    except ImportError:
        _unavailable("pymysql is not installed (pip install pymysql)")
    client = shutil.which("mariadb") or shutil.which("mysql")
    if client is None:
        _unavailable("neither the `mariadb` nor the `mysql` command-line client is installed")
    server = Server(HOST, PORT, USER, PASSWORD, client)
    try:
        conn = connect(server)
    except pymysql.Error as exc:
        _unavailable(f"no MariaDB server answers at {HOST}:{PORT} as {USER!r}: {exc}")
    conn.close()
    return server


@contextmanager
def scratch_database(server: Server) -> Iterator[str]:
    """A fresh, uniquely named empty database, dropped afterwards."""
    name = f"dbdrift_scratch_{uuid.uuid4().hex[:16]}"
    _execute(server, f"CREATE DATABASE `{name}`")
    try:
        yield name
    finally:
        _execute(server, f"DROP DATABASE IF EXISTS `{name}`")


def _execute(server: Server, sql: str) -> None:
    conn = connect(server)
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
    finally:
        conn.close()


def apply_files(
    server: Server, database: str, root: Path, files: tuple[str, ...]
) -> list[MariaError]:
    """Run each file through the command-line client, in order, going on after errors."""
    refused: list[MariaError] = []
    env = {**os.environ, "MYSQL_PWD": server.password} if server.password else dict(os.environ)
    for relative in files:
        done = subprocess.run(
            [
                server.client,
                f"--host={server.host}",
                f"--port={server.port}",
                f"--user={server.user}",
                "--force",
                "--batch",
                "--default-character-set=utf8mb4",
                f"--database={database}",
            ],
            input=(root / relative).read_bytes(),
            capture_output=True,
            timeout=CLIENT_TIMEOUT,
            env=env,
            check=False,
        )
        # With --force the client also echoes each failing statement between dashes;
        # only its ERROR lines matter.
        found = [
            MariaError(relative, int(m[3]), int(m[1]), m[4].strip())
            for m in map(_CLIENT_ERROR.match, done.stderr.decode("utf-8", "replace").splitlines())
            if m
        ]
        if done.returncode != 0 and not found:
            raise RuntimeError(f"the client failed on {relative}: {done.stderr!r}")
        refused.extend(found)
    return refused


def introspect(server: Server, database: str) -> dict[str, Any]:
    """The database as `tests.oracle.compare.project` shapes dbdrift's schema."""
    conn = connect(server, database)
    try:
        with conn.cursor() as cur:
            return _introspect(cur, database)
    finally:
        conn.close()


def _rows(cur: Any, sql: str, database: str) -> list[tuple[Any, ...]]:
    cur.execute(sql, (database,))
    return list(cur.fetchall())


def _introspect(cur: Any, db: str) -> dict[str, Any]:
    tables: dict[str, dict[str, Any]] = {}
    for (name,) in _rows(
        cur,
        "SELECT TABLE_NAME FROM information_schema.TABLES "
        "WHERE TABLE_SCHEMA = %s AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
        db,
    ):
        tables[name] = {
            "columns": [],
            "primary_key": None,
            "foreign_keys": [],
            "uniques": [],
            "indexes": [],
            "checks": [],
        }
    for table, column, ctype, nullable, default, extra in _rows(
        cur,
        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA "
        "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = %s "
        "ORDER BY TABLE_NAME, ORDINAL_POSITION",
        db,
    ):
        if table not in tables:
            continue  # a view
        tables[table]["columns"].append(
            [
                column,
                ctype,
                nullable == "YES",
                None if default == "NULL" else default,
                "auto_increment" if "auto_increment" in (extra or "").lower() else None,
                "generated" in (extra or "").lower(),
            ]
        )
    _keys(cur, db, tables)
    _foreign_keys(cur, db, tables)
    for table, name in _rows(
        cur,
        "SELECT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.TABLE_CONSTRAINTS "
        "WHERE TABLE_SCHEMA = %s AND CONSTRAINT_TYPE = 'CHECK'",
        db,
    ):
        tables[table]["checks"].append(name)
    for t in tables.values():
        for kind in ("foreign_keys", "uniques", "indexes", "checks"):
            t[kind].sort()
    return {"tables": {key_name(None, n): t for n, t in tables.items()}, "enums": {}}


def _keys(cur: Any, db: str, tables: dict[str, dict[str, Any]]) -> None:
    """Primary key, unique constraints and plain indexes, from STATISTICS and constraints."""
    columns: dict[tuple[str, str], list[str]] = {}
    unique: dict[tuple[str, str], bool] = {}
    for table, index, non_unique, column in _rows(
        cur,
        "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME FROM information_schema.STATISTICS "
        "WHERE TABLE_SCHEMA = %s ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
        db,
    ):
        columns.setdefault((table, index), []).append(column)
        unique[(table, index)] = int(non_unique) == 0
    constraints = {
        (table, name): kind
        for table, name, kind in _rows(
            cur,
            "SELECT TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE "
            "FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = %s "
            "AND CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE')",  # a CHECK may share a name
            db,
        )
    }
    for (table, index), cols in columns.items():
        if table not in tables:
            continue
        kind = constraints.get((table, index))
        if kind == "PRIMARY KEY":
            tables[table]["primary_key"] = [index, cols]
        elif kind == "UNIQUE":
            tables[table]["uniques"].append([index, cols])
        else:
            tables[table]["indexes"].append([index, cols, unique[(table, index)], False])


def _foreign_keys(cur: Any, db: str, tables: dict[str, dict[str, Any]]) -> None:
    rules = {
        (table, name): (ref_table, delete, update)
        for table, name, ref_table, delete, update in _rows(
            cur,
            "SELECT TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME, DELETE_RULE, UPDATE_RULE "
            "FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = %s",
            db,
        )
    }
    parts: dict[tuple[str, str], list[tuple[str, str | None, str]]] = {}
    for table, name, column, ref_schema, ref_column in _rows(
        cur,
        "SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, "
        "REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
        "WHERE TABLE_SCHEMA = %s AND REFERENCED_TABLE_NAME IS NOT NULL "
        "ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
        db,
    ):
        parts.setdefault((table, name), []).append((column, ref_schema, ref_column))
    for (table, name), (ref_table, delete, update) in rules.items():
        cols = parts.get((table, name), [])
        ref_schema = cols[0][1] if cols and cols[0][1] != db else None
        tables[table]["foreign_keys"].append(
            [
                name,
                [c for c, _, _ in cols],
                ref_schema,
                ref_table,
                [r for _, _, r in cols],
                delete,
                update,
            ]
        )
