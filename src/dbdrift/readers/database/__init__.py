"""Live databases as sources: read-only introspection of PostgreSQL, MySQL/MariaDB and SQLite.

A database source is a `Source` of kind ``"database"`` whose id is the name the user gave it
(``--db prod=...``).  Its URL may hold a password, so the URL itself never goes into the
`Source` (which reports render): `database_source` keeps it in `_URLS`, a registry private
to this module keyed by source id, and puts only the redacted URL in ``details``.

Safety: every connection reads inside a read-only transaction that is rolled back, and
issues only catalog queries: ``SET TRANSACTION READ ONLY`` on PostgreSQL (in a session whose
``default_transaction_read_only`` is on), a read-only session and ``START TRANSACTION READ
ONLY`` on MySQL/MariaDB, a ``mode=ro`` connection with ``PRAGMA query_only`` on SQLite.

Every failure (driver missing, connection refused, timeout, authentication, permission) is a
`DatabaseError` with one line that holds no password.
"""

from __future__ import annotations

import math
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from dbdrift.readers.database.urls import (
    DRIVER_PACKAGES,
    DatabaseError,
    dialect_of,
    engine_url,
    password_of,
    redact,
    resolve_url,
)
from dbdrift.schema import Error, Note, Origin, Schema, SourceRef
from dbdrift.source import Source

KIND = "database"
DEFAULT_TIMEOUT = 10.0
"""Seconds to wait for a connection (and, on PostgreSQL, for each catalog query)."""

# dialect -> the module whose `read_catalog` reads it.
CATALOGS = {
    "postgresql": "dbdrift.readers.database.postgres",
    "mysql": "dbdrift.readers.database.mysql",
    "sqlite": "dbdrift.readers.database.sqlite",
}

# dialect -> the statements that make the session and its transaction read-only.  MariaDB
# commits a transaction implicitly before DDL, so its session is made read-only first: DDL is
# then refused too ("Cannot execute statement in a READ ONLY transaction").
READ_ONLY = {
    "postgresql": ("SET TRANSACTION READ ONLY",),
    "mysql": ("SET SESSION TRANSACTION READ ONLY", "START TRANSACTION READ ONLY"),
    "sqlite": ("PRAGMA query_only = ON",),
}

HISTORY_TABLES = {
    "schema_migrations": "golang-migrate, dbmate or Rails",
    "flyway_schema_history": "Flyway",
    "schema_version": "Flyway (before 5)",
    "_prisma_migrations": "Prisma Migrate",
    "alembic_version": "Alembic",
    "django_migrations": "Django",
    "goose_db_version": "goose",
    "knex_migrations": "Knex",
    "knex_migrations_lock": "Knex",
    "SequelizeMeta": "Sequelize",
    "ar_internal_metadata": "Rails",
    "__drizzle_migrations": "Drizzle",
}
"""Tables a migration tool keeps its own history in: no repository schema declares them, so a
scan leaves them out (with a note) instead of reporting them as tables only the database has."""

_URLS: dict[str, str] = {}
"""Source id -> the real URL; never rendered, logged or put in a `Source`."""

__all__ = [
    "DatabaseError",
    "database_source",
    "introspect",
    "read",
    "redact",
    "resolve_url",
]


def database_source(
    name: str, url: str | None, root: Path, *, timeout: float = DEFAULT_TIMEOUT, error: str = ""
) -> Source:
    """The `Source` for database `name` at `url`, its URL kept out of it.

    `error` (or a URL dbdrift cannot use) makes a source that reads as that one error, so a
    bad ``--db`` is reported like any unreadable source and the scan goes on.
    """
    dialect = "postgresql"
    details = {"timeout": str(timeout)}
    if url is not None and not error:
        try:
            dialect = dialect_of(url)
        except DatabaseError as exc:
            error = str(exc)
        details["url"] = redact(url)
        _URLS[name] = url
    if error:
        details["error"] = error
    return Source(
        id=name,
        kind=KIND,
        dialect=dialect,
        root=root,
        files=(),
        dialect_evidence=f"database URL {details.get('url', '(none)')}",
        details=details,
    )


def read(source: Source) -> Schema:
    """The schema of a database source; a failure is the schema's one error, never raised."""
    ref = source.ref()
    url = _URLS.get(source.id)
    message = source.details.get("error") or ("" if url else "no URL was given")
    if url and not message:
        timeout = float(source.details.get("timeout", DEFAULT_TIMEOUT))
        try:
            return _for_scan(introspect(url, source_id=source.id, timeout=timeout), ref)
        except DatabaseError as exc:
            message = str(exc)
    return Schema(ref, errors=(Error(message, Origin(source.id, 1)),))


def _for_scan(schema: Schema, ref: SourceRef) -> Schema:
    """`schema` under the source's own ref, without migration tools' history tables."""
    kept = tuple(t for t in schema.tables if t.name not in HISTORY_TABLES)
    notes = tuple(
        Note(
            "skipped",
            f"table {t.qualified_name} is {HISTORY_TABLES[t.name]}'s migration history: "
            "not compared",
            t.origin or Origin(ref.id, 1),
        )
        for t in schema.tables
        if t.name in HISTORY_TABLES
    )
    return Schema(ref, kept, schema.enums, schema.notes + notes, schema.errors)


def introspect(
    url: str,
    *,
    source_id: str,
    timeout: float = DEFAULT_TIMEOUT,
    schemas: list[str] | None = None,
) -> Schema:
    """The IR of the live database at `url`, read in a read-only transaction.

    `schemas` limits a PostgreSQL database to those schemas (default: all but the system
    ones).  Raises `DatabaseError` with a one-line, password-free message on any failure.
    """
    dialect = dialect_of(url)
    ref = SourceRef(source_id, KIND, dialect, ())
    engine = _engine(url, dialect, timeout)
    try:
        reader = import_module(CATALOGS[dialect])
        with engine.connect() as conn:
            transaction = conn.begin()
            try:
                for statement in READ_ONLY[dialect]:
                    conn.exec_driver_sql(statement)
                if dialect == "postgresql":
                    return reader.read_catalog(conn, ref, schemas)
                if dialect == "mysql":
                    return reader.read_catalog(conn, ref, _database_name(url))
                return reader.read_catalog(conn, ref)
            finally:
                transaction.rollback()
    except DatabaseError:
        raise
    except Exception as exc:
        if not _is_database_error(exc):
            raise
        raise DatabaseError(_message(exc, url, source_id)) from None
    finally:
        engine.dispose()


def _engine(url: str, dialect: str, timeout: float) -> Any:
    """A SQLAlchemy engine without a pool, whose connections give up after `timeout`."""
    try:
        import sqlalchemy
        from sqlalchemy.pool import NullPool
    except ImportError:
        raise DatabaseError("reading a database needs SQLAlchemy: pip install sqlalchemy") from None
    seconds = max(1, math.ceil(timeout))
    if dialect == "sqlite":
        path = sqlalchemy.engine.make_url(url).database or ""
        return sqlalchemy.create_engine(
            "sqlite://", poolclass=NullPool, creator=lambda: _sqlite_connect(path, timeout)
        )
    if dialect == "postgresql":
        connect_args: dict[str, Any] = {
            "connect_timeout": seconds,
            "options": f"-c default_transaction_read_only=on -c statement_timeout={seconds}s",
        }
    else:
        connect_args = {
            "connect_timeout": seconds,
            "read_timeout": seconds,
            "write_timeout": seconds,
        }
    try:
        engine = sqlalchemy.create_engine(
            engine_url(url), poolclass=NullPool, connect_args=connect_args
        )
    except ImportError:
        package = DRIVER_PACKAGES[dialect]
        raise DatabaseError(
            f"the {dialect} driver is not installed: pip install '{package}'"
        ) from None
    except sqlalchemy.exc.ArgumentError:
        raise DatabaseError(f"not a usable database URL: {redact(url)}") from None
    return engine


def _sqlite_connect(path: str, timeout: float) -> Any:
    """A read-only connection: SQLite refuses to create a missing file or write to it."""
    import sqlite3

    if not path or path == ":memory:":
        raise sqlite3.OperationalError("a SQLite URL must name a database file")
    if not Path(path).is_file():
        raise sqlite3.OperationalError(f"no database file {path}")
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    return sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)


def _database_name(url: str) -> str:
    from sqlalchemy.engine import make_url

    name = make_url(engine_url(url)).database
    if not name:
        raise DatabaseError(f"the URL names no database: {redact(url)}")
    return name


def _is_database_error(exc: Exception) -> bool:
    """Whether `exc` comes from the database or its driver, not from a bug of dbdrift."""
    import sqlite3

    try:
        from sqlalchemy.exc import SQLAlchemyError
    except ImportError:  # pragma: no cover - _engine already required SQLAlchemy
        return False
    return isinstance(exc, (SQLAlchemyError, sqlite3.Error, OSError))


def _message(exc: Exception, url: str, source_id: str) -> str:
    """One line saying which database failed and why, without the password."""
    original = getattr(exc, "orig", None) or exc
    text = " ".join(str(original).split()) or type(original).__name__
    secret = password_of(url)
    for hidden in {secret, unquote(secret)} if secret else ():
        text = text.replace(hidden, "***")
    return f"cannot read database {source_id} ({redact(url)}): {text}"
