"""Proving the static reading: apply a source to a real scratch database and compare.

`verify(source, url)` creates a scratch database on the server of `url` (`scratch`),
applies the source there the way its migration runner would -- SQL files statement by
statement, split exactly as the SQL readers split them (PostgreSQL's own scanner through
pglast, the ``mysql`` client's rules for MySQL), in autocommit, going on after a refused
statement; Prisma and SQLAlchemy sources through the DDL ``dbdrift schema --format sql``
prints for them --, reads the result back with `readers.database.introspect`, and compares
it with dbdrift's static reading (`compare.differences`).  A statement the database refused
where dbdrift reported no error, or the other way round, is a difference too.  The scratch
database is dropped whatever happens.

`attach(matrix)` verifies every SQL source of a scan before the checks run (rules never
touch a database) and records the results on each group, as `history.attach` does.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dbdrift import compare
from dbdrift.scratch import (
    CONNECT_TIMEOUT,
    ScratchError,
    Server,
    connect,
    one_line,
    parse,
    redact,
    scratch_database,
    throwaway_postgres,
)

if TYPE_CHECKING:
    from dbdrift.align import Matrix
    from dbdrift.schema import Schema
    from dbdrift.source import Source

log = logging.getLogger(__name__)

SQL_KINDS = frozenset({"sql-migrations", "sql-schema"})
GENERATED_KINDS = frozenset({"prisma", "sqlalchemy"})
"""Sources applied through the DDL dbdrift writes for them (`report.schema_sql`)."""
DIALECTS = frozenset({"postgresql", "mysql", "sqlite"})
SQLITE_SCRATCH = "a temporary SQLite file"
THROWAWAY = "a throwaway local PostgreSQL"

_ONLY_NOISE = re.compile(r"(?s)\A(;|\s|--[^\n]*|/\*.*?\*/)*\Z")
_COPY_STDIN = re.compile(r"(?is)copy\b[^;]*?\bfrom\s+stdin\b")


class VerifyError(Exception):
    """Verification could not be done; one line, no password."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """A statement the database refused: the file, the line, and the database's message."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class Verification:
    """What verifying one source found: the differences (empty when the static reading
    agrees with the database), the statements refused, or why it could not be done."""

    source: str
    server: str
    differences: tuple[str, ...] = ()
    refused: tuple[Refusal, ...] = ()
    error: str | None = None

    @property
    def agrees(self) -> bool:
        return self.error is None and not self.differences


def verifiable(source: Source) -> str | None:
    """Why `source` cannot be verified, or ``None`` when it can."""
    if source.kind not in SQL_KINDS | GENERATED_KINDS:
        return f"verify does not apply {source.kind} sources (only SQL, Prisma and SQLAlchemy)"
    if source.dialect not in DIALECTS:
        return (
            f"verify needs a PostgreSQL, MySQL/MariaDB or SQLite source; "
            f"{source.id} is {source.dialect}"
        )
    return None


def verify(
    source: Source,
    url: str | None = None,
    *,
    static: Schema | None = None,
    timeout: float = CONNECT_TIMEOUT,
) -> Verification:
    """Apply `source` to a scratch database on the server of `url` (a throwaway local
    PostgreSQL when ``None``) and compare what the database holds with `static` (read here
    when not given).  Raises `VerifyError` when it cannot be done."""
    reason = verifiable(source)
    if reason is not None:
        raise VerifyError(reason)
    if source.dialect == "sqlite":
        if url is not None:
            raise VerifyError(
                f"{source.id} is sqlite: it is verified in a temporary SQLite file, "
                "not on a server (leave out --db)"
            )
        return _verify_sqlite(source, static, timeout)
    if url is None:
        if source.dialect != "postgresql":
            raise VerifyError(
                f"{source.id} is {source.dialect}: pass --db with a MySQL/MariaDB server URL "
                "(a throwaway server is started only for PostgreSQL)"
            )
        try:
            with throwaway_postgres() as local:
                return _verify(source, local, static, timeout, THROWAWAY)
        except ScratchError as exc:
            raise VerifyError(str(exc)) from exc
    try:
        return _verify(source, url, static, timeout, redact(url))
    except ScratchError as exc:
        raise VerifyError(str(exc)) from exc


def _verify(
    source: Source, url: str, static: Schema | None, timeout: float, shown: str
) -> Verification:
    server = parse(url)
    if server.dialect != source.dialect:
        raise VerifyError(
            f"{source.id} is {source.dialect} but {shown} is a {server.dialect} server"
        )
    if static is None:
        from dbdrift import readers

        static = readers.read(source)
    texts = list(_texts(source, static))
    with scratch_database(url, timeout) as scratch:
        refused = apply(texts, scratch, timeout)
        live = introspect(scratch, source, timeout)
    return _compared(source, static, live, texts, refused, shown)


def _verify_sqlite(source: Source, static: Schema | None, timeout: float) -> Verification:
    """SQLite has no server: the scratch database is a file in a temporary folder, which
    goes away whatever happens."""
    import sqlite3
    import tempfile
    from pathlib import Path

    from dbdrift.readers.database import introspect as read_database
    from dbdrift.readers.database.urls import DatabaseError

    if static is None:
        from dbdrift import readers

        static = readers.read(source)
    texts = list(_texts(source, static))
    with tempfile.TemporaryDirectory(prefix="dbdrift_verify_") as folder:
        path = Path(folder) / "scratch.sqlite3"
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            refused = [r for name, text in texts for r in _apply_sqlite(conn, name, text)]
        finally:
            conn.close()
        try:
            live = read_database(f"sqlite:///{path}", source_id=source.id, timeout=timeout)
        except DatabaseError as exc:
            raise VerifyError(str(exc)) from exc
    return _compared(source, static, live, texts, refused, SQLITE_SCRATCH)


def _apply_sqlite(conn: Any, path: str, text: str) -> list[Refusal]:
    """One file, statement by statement: a statement ends at the first ``;`` that
    ``sqlite3.complete_statement`` (SQLite's own ``sqlite3_complete``) says completes it."""
    import sqlite3

    refused: list[Refusal] = []
    start = 0
    ends = [m.end() for m in re.finditer(";", text)] + [len(text)]
    for end in ends:
        chunk = text[start:end]
        if end < len(text) and not sqlite3.complete_statement(chunk):
            continue
        start = end
        if _ONLY_NOISE.match(chunk):
            continue
        lead = len(chunk) - len(_strip_noise(chunk))
        line = text.count("\n", 0, end - len(chunk) + lead) + 1
        try:
            conn.execute(chunk)
        except sqlite3.Error as exc:
            refused.append(Refusal(path, line, str(exc)))
    return refused


def _compared(
    source: Source,
    static: Schema,
    live: Schema,
    texts: list[tuple[str, str]],
    refused: list[Refusal],
    shown: str,
) -> Verification:
    """The differences between the static reading and the database, refusals included."""
    found = compare.differences(static, live, ("dbdrift", "database"))
    if source.kind in SQL_KINDS:
        found.extend(_refusal_differences(static, refused, {path for path, _ in texts}))
    else:
        found.extend(f"generated DDL refused: {r}" for r in refused)
    return Verification(source.id, shown, tuple(sorted(found)), tuple(refused))


def _refusal_differences(static: Schema, refused: list[Refusal], applied: set[str]) -> list[str]:
    """Refusals the static reading did not predict, and errors the database did not raise
    (in the files that were sent: one that is not UTF-8 never reaches the database)."""
    theirs = {(r.path, r.line): r for r in refused}
    ours = {(e.origin.path, e.origin.line): e for e in static.errors if e.origin.path in applied}
    lines = [
        f"statement {r.path}:{r.line}: refused by the database ({r.message}), "
        "dbdrift reported no error"
        for key, r in sorted(theirs.items())
        if key not in ours
    ]
    lines += [
        f"statement {path}:{line}: dbdrift reported an error ({e.message}), "
        "the database accepted it"
        for (path, line), e in sorted(ours.items())
        if (path, line) not in theirs
    ]
    return lines


def introspect(scratch: Server, source: Source, timeout: float) -> Schema:
    """The scratch database as dbdrift's intermediate representation."""
    from dbdrift.readers.database import introspect as read_database
    from dbdrift.readers.database.urls import DatabaseError

    try:
        return read_database(scratch.url, source_id=source.id, timeout=timeout)
    except DatabaseError as exc:
        raise VerifyError(scratch.scrub(str(exc))) from exc


# --- applying ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Piece:
    """One statement as the runner sends it, and the offset of its text in the file."""

    text: str
    start: int
    line: int  # where the statement's first token is


def apply(texts: list[tuple[str, str]], scratch: Server, timeout: float) -> list[Refusal]:
    """Apply the (path, text) pairs of `_texts` to the scratch database, in order; every
    statement the database refused.

    Sessions are the ones the reader models: one for a whole PostgreSQL stream (a
    ``SET search_path`` carries into the next file, as with Flyway or golang-migrate), a
    fresh one per file for MySQL (``mysql < file``).
    """
    refused: list[Refusal] = []
    with contextlib.ExitStack() as sessions:
        conn = None
        for path, text in texts:
            if conn is None or scratch.dialect == "mysql":
                sessions.close()
                conn = connect(scratch, timeout)
                sessions.callback(_close, conn)
            refused.extend(_apply_file(conn, scratch, path, text))
    return refused


def _close(conn: Any) -> None:
    with contextlib.suppress(Exception):
        conn.close()


def _texts(source: Source, static: Schema) -> Iterator[tuple[str, str]]:
    """(path, text) of what is applied, in order: the files of a SQL source (the
    ``migrate:up`` section of dbmate files), or the DDL dbdrift writes for the others."""
    if source.kind not in SQL_KINDS:
        from dbdrift.report.schema_sql import render

        yield f"{source.id} (generated DDL)", render(static)
        return
    from dbdrift.readers.sql.text import load_text, up_section

    for relative in source.files:
        text, error = load_text(source.root, relative)
        if error is None and text is not None:
            yield relative, up_section(text)


def _apply_file(conn: Any, scratch: Server, path: str, text: str) -> list[Refusal]:
    """One file, statement by statement, going on after a refused one."""
    pieces = _pg_pieces(text) if scratch.dialect == "postgresql" else _mysql_pieces(text)
    refused: list[Refusal] = []
    for piece in pieces:
        try:
            _execute(conn, piece.text)
        except Exception as exc:
            if not _driver_error(exc):
                raise
            if _lost(conn):
                raise VerifyError(
                    f"lost the connection to the scratch database at {path}:{piece.line}: "
                    f"{one_line(scratch, exc)}"
                ) from exc
            refused.append(Refusal(path, _error_line(text, piece, exc), one_line(scratch, exc)))
    if scratch.dialect == "postgresql":
        _rollback_open(conn)
    return refused


def _execute(conn: Any, statement: str) -> None:
    if hasattr(conn, "pgconn"):
        conn.execute(statement)
        return
    with conn.cursor() as cur:
        cur.execute(statement)


def _driver_error(exc: Exception) -> bool:
    return (type(exc).__module__ or "").startswith(("psycopg", "pymysql"))


def _lost(conn: Any) -> bool:
    """Whether the connection is gone (terminated, server down), not just a refusal."""
    if hasattr(conn, "pgconn"):
        return bool(conn.closed or conn.broken)
    try:
        conn.ping(reconnect=False)
    except Exception:
        return True
    return False


def _rollback_open(conn: Any) -> None:
    """A file that left a transaction open: the session ends, so does the transaction."""
    import psycopg

    if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        conn.execute("ROLLBACK")


def _error_line(text: str, piece: Piece, exc: Exception) -> int:
    """PostgreSQL points into the statement sent (1-based characters); MySQL reports the
    line where the client began the statement."""
    diag = getattr(exc, "diag", None)
    position = getattr(diag, "statement_position", None) if diag is not None else None
    if position:
        return text.count("\n", 0, piece.start + int(position) - 1) + 1
    return piece.line


def _pg_pieces(text: str) -> list[Piece]:
    """The statements psql would send, split by PostgreSQL's own scanner as the reader
    splits them (`readers.sql.postgres.statements`): psql's own lines blanked, slices with
    only comments dropped, an unterminated quote or an unclosed last statement sent as is
    (the server refuses it, and the reader reports it)."""
    from pglast.parser import ParseError, split

    from dbdrift.readers.sql.postgres.psql import blank

    text, _ = blank(text)
    broken_at: int | None = None
    try:
        slices = list(split(text, with_parser=False, only_slices=True))
    except ParseError as exc:
        offset = exc.args[1] if len(exc.args) > 1 else None
        broken_at = offset if isinstance(offset, int) else len(text)
        slices = list(split(text[:broken_at], with_parser=False, only_slices=True))
        if slices and ";" not in text[slices[-1].stop : broken_at]:
            slices.pop()
    pieces = [_piece(text, s.start, s.stop) for s in slices]
    tail_start = slices[-1].stop if slices else 0
    if not _ONLY_NOISE.match(text[tail_start:]):
        body = tail_start + len(text[tail_start:]) - len(_strip_noise(text[tail_start:]))
        pieces.append(_piece(text, body, len(text)))
    # COPY ... FROM stdin is psql's to feed; its rows were blanked and change no schema.
    return [p for p in pieces if p.text and not _COPY_STDIN.match(_strip_noise(p.text))]


def _piece(text: str, start: int, stop: int) -> Piece:
    body = text[start:stop]
    lead = len(body) - len(_strip_noise(body))
    if lead >= len(body):
        return Piece("", start, 0)
    return Piece(body.rstrip(), start, text.count("\n", 0, start + lead) + 1)


_LEADING_NOISE = re.compile(r"(?s)\A(;|\s|--[^\n]*|/\*.*?\*/)*")


def _strip_noise(body: str) -> str:
    return _LEADING_NOISE.sub("", body, count=1)


def _mysql_pieces(text: str) -> list[Piece]:
    """The statements the ``mysql`` client would send (`readers.sql.mysql.statements`)."""
    from dbdrift.readers.sql.mysql.statements import split

    return [Piece(st.text, st.start, st.client_line) for st in split(text) if st.text.strip()]


# --- a scan's SQL sources ------------------------------------------------------------------


def attach(matrix: Matrix, url: str | None = None, timeout: float = CONNECT_TIMEOUT) -> None:
    """Verify every SQL source of the scan and record the result on its group
    (`Group.verified`); a source that cannot be verified gets a result saying why.  One
    throwaway PostgreSQL serves every PostgreSQL source when no `url` is given."""
    targets = [
        (group, member)
        for group in matrix.groups
        for member in group.members
        if member.kind in SQL_KINDS
    ]
    if not targets:
        return
    with contextlib.ExitStack() as stack:
        local: dict[str, str] = {}
        for group, member in targets:
            source = member.source
            shown = redact(url) if url is not None else THROWAWAY
            try:
                reason = verifiable(source)
                if reason is not None:
                    raise VerifyError(reason)
                if source.dialect == "sqlite":
                    group.verified[member.id] = _verify_sqlite(source, member.schema, timeout)
                    continue
                target = url
                if target is None and source.dialect == "postgresql":
                    if "error" in local:
                        raise VerifyError(local["error"])
                    if "url" not in local:
                        try:
                            local["url"] = stack.enter_context(throwaway_postgres())
                        except ScratchError as exc:
                            local["error"] = str(exc)
                            raise
                    target = local["url"]
                if target is None:
                    raise VerifyError(
                        f"{source.id} is {source.dialect}: pass --verify-db with a "
                        "MySQL/MariaDB server URL"
                    )
                result = _verify(source, target, member.schema, timeout, shown)
            except (VerifyError, ScratchError) as exc:
                log.info("Could not verify %s: %s", member.id, exc)
                result = Verification(member.id, shown, error=str(exc))
            group.verified[member.id] = result
