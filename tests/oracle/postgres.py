"""The PostgreSQL oracle: apply a migration stream to a real server, then read its catalog.

`apply_stream` runs each file the way a migration runner would (statement by statement, in
autocommit, on one connection, going on after an error) and records what PostgreSQL refused,
with the file line PostgreSQL pointed at.  `introspect` reads the resulting catalog into
exactly the shape of `tests.oracle.compare.project`, so an oracle test is one equality.

Nothing here uses dbdrift: the oracle must not share the code it judges.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oracle.compare import EXPR, key_name  # tests/ is on sys.path under pytest

SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")

# pg_constraint.confdeltype / confupdtype -> the action as SQL spells it.
FK_ACTIONS = {
    "a": "NO ACTION",
    "r": "RESTRICT",
    "c": "CASCADE",
    "n": "SET NULL",
    "d": "SET DEFAULT",
}

# pg_attribute.attidentity -> Column.identity.
IDENTITY = {"a": "always", "d": "by default"}

_DBMATE_UP = re.compile(r"^--\s*migrate:up\b.*$", re.MULTILINE)
_DBMATE_DOWN = re.compile(r"^--\s*migrate:down\b.*$", re.MULTILINE)
_COMMENT_TOKENS = frozenset({"SQL_COMMENT", "C_COMMENT"})


@dataclass(frozen=True, slots=True)
class PgError:
    """A statement PostgreSQL refused: the file, the file line it pointed at, and why."""

    file: str
    line: int
    sqlstate: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: [{self.sqlstate}] {self.message}"


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of a file: its text and where it sits in the file."""

    text: str
    start: int  # character offset of the slice in the file
    first: int  # character offset of its first non-blank, non-comment character


def dbmate_up(text: str) -> str:
    """What ``dbmate up`` runs of a dbmate file: the ``-- migrate:up`` section only.

    Everything else is blanked (newlines kept), so offsets and lines stay those of the file.
    Files without a ``-- migrate:up`` marker are returned unchanged.
    """
    up = _DBMATE_UP.search(text)
    if up is None:
        return text
    down = _DBMATE_DOWN.search(text, up.end())
    end = down.start() if down else len(text)
    return _blank(text[: up.end()]) + text[up.end() : end] + _blank(text[end:])


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def statements(text: str) -> list[Statement]:
    """The statements of `text`, split by PostgreSQL's own scanner (not its parser).

    The scanner keeps going through syntax errors, which is what a runner that sends each
    statement on its own sees.  Slices holding only comments are dropped: a runner sending
    them would get an empty query, not an error.
    """
    from pglast import parser

    result: list[Statement] = []
    for piece in parser.split(text, with_parser=False, only_slices=True):
        body = text[piece]
        first = _first_token(body)
        if first is None:
            continue
        result.append(Statement(body, piece.start, piece.start + first))
    return result


def _first_token(body: str) -> int | None:
    """Offset in `body` of its first token that is not a comment; None if there is none."""
    from pglast import parser

    try:
        tokens = parser.scan(body)
    except Exception:  # the scanner chokes on e.g. an unterminated literal
        stripped = len(body) - len(body.lstrip())
        return stripped if body.strip() else None
    for token in tokens:
        if token.name not in _COMMENT_TOKENS:
            return int(token.start)
    return None


class _Lines:
    """Character offsets of a text to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self._ends = [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self._ends, offset) + 1


def apply_stream(dsn: str, root: Path, files: list[str] | tuple[str, ...]) -> list[PgError]:
    """Run every file of a stream, in order, on the database at `dsn`; return the refusals.

    One connection for the whole stream, autocommit, one statement at a time, going on after
    an error.  The line of an error is the file line of PostgreSQL's reported position
    (``statement_position``, 1-based characters into the statement sent), or, when it gives
    none, the line where the statement starts.
    """
    import psycopg

    errors: list[PgError] = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        for relative in files:
            raw = (Path(root) / relative).read_bytes().decode("utf-8").removeprefix("\ufeff")
            text = dbmate_up(raw)
            lines = _Lines(text)
            for stmt in statements(text):
                try:
                    conn.execute(stmt.text)  # type: ignore[call-overload]
                except psycopg.Error as exc:
                    errors.append(_refusal(relative, stmt, lines, exc))
            if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                conn.execute("ROLLBACK")  # a file that left a transaction open
    return errors


def _refusal(relative: str, stmt: Statement, lines: _Lines, exc: Any) -> PgError:
    diag = exc.diag
    position = diag.statement_position
    offset = stmt.start + int(position) - 1 if position else stmt.first
    message = diag.message_primary or str(exc)
    return PgError(relative, lines.line(offset), exc.sqlstate, message)


# --- introspection ------------------------------------------------------------------------

_TABLES = """
SELECT c.oid, n.nspname, c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND n.nspname <> ALL (%(system)s)
  AND n.nspname !~ '^pg_(toast_)?temp_'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                    AND d.deptype = 'e')
ORDER BY n.nspname, c.relname
"""

_COLUMNS = """
SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated
FROM pg_attribute a
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = ANY (%(oids)s) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
"""

_CONSTRAINTS = """
SELECT k.conrelid, k.conname, k.contype, k.conkey::int2[],
       rn.nspname, r.relname, k.confkey::int2[], k.confrelid, k.confdeltype, k.confupdtype
FROM pg_constraint k
LEFT JOIN pg_class r ON r.oid = k.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace
WHERE k.conrelid = ANY (%(oids)s) AND k.contype IN ('p', 'f', 'u', 'c')
ORDER BY k.conrelid, k.conname
"""

_INDEXES = """
SELECT i.indrelid, ic.relname, i.indkey::int2[], i.indnkeyatts, i.indisunique,
       i.indpred IS NOT NULL
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
WHERE i.indrelid = ANY (%(oids)s)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                  WHERE k.conrelid = i.indrelid AND k.conindid = i.indexrelid
                    AND k.contype IN ('p', 'u', 'x'))
ORDER BY i.indrelid, ic.relname
"""

_ATTNAMES = """
SELECT attrelid, attnum, attname FROM pg_attribute
WHERE attrelid = ANY (%(oids)s) AND attnum > 0
"""

_ENUMS = """
SELECT n.nspname, t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname <> ALL (%(system)s) AND n.nspname = ANY (%(schemas)s)
GROUP BY n.nspname, t.typname
ORDER BY n.nspname, t.typname
"""


def introspect(dsn: str, schemas: list[str] | None = None) -> dict[str, Any]:
    """The catalog of the user schemas of `dsn`, in the shape of `compare.project`.

    `schemas` limits it to those schemas; by default every schema but PostgreSQL's own.
    The connection keeps the default ``search_path``, so ``format_type`` and ``pg_get_expr``
    qualify names exactly as they would for an ordinary session.
    """
    import psycopg

    with psycopg.connect(dsn) as conn:
        params: dict[str, Any] = {"system": list(SYSTEM_SCHEMAS)}
        if schemas is None:
            schemas = [
                row[0]
                for row in conn.execute("SELECT nspname FROM pg_namespace").fetchall()
                if row[0] not in SYSTEM_SCHEMAS
            ]
        params["schemas"] = list(schemas)
        tables = {
            oid: key_name(nsp, name)
            for oid, nsp, name in conn.execute(_TABLES, params).fetchall()
            if nsp in schemas
        }
        oids = list(tables)
        params["oids"] = oids
        result: dict[str, Any] = {
            name: {
                "columns": [],
                "primary_key": None,
                "foreign_keys": [],
                "uniques": [],
                "indexes": [],
                "checks": [],
            }
            for name in tables.values()
        }
        _read_columns(conn, params, tables, result)
        attnames = _attnames(conn, params)
        _read_constraints(conn, params, tables, attnames, result)
        _read_indexes(conn, params, tables, attnames, result)
        for table in result.values():
            for key in ("foreign_keys", "uniques", "indexes", "checks"):
                table[key].sort()
        enums = {
            key_name(nsp, name): list(values)
            for nsp, name, values in conn.execute(_ENUMS, params).fetchall()
        }
    return {"tables": result, "enums": enums}


def _read_columns(conn: Any, params: dict[str, Any], tables: dict[int, str], out: dict) -> None:
    for relid, name, type_sql, notnull, default, identity, generated in conn.execute(
        _COLUMNS, params
    ).fetchall():
        # A stored generated column keeps its expression in pg_attrdef too: it is not a default.
        value = None if generated else default
        out[tables[relid]]["columns"].append(
            [name, type_sql, not notnull, value, IDENTITY.get(identity), bool(generated)]
        )


def _attnames(conn: Any, params: dict[str, Any]) -> dict[tuple[int, int], str]:
    """(relation oid, attnum) -> column name, for every table (referenced ones too)."""
    ref_oids = [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT confrelid FROM pg_constraint WHERE conrelid = ANY (%(oids)s) "
            "AND contype = 'f'",
            params,
        ).fetchall()
    ]
    every = {"oids": sorted({*params["oids"], *ref_oids})}
    return {(relid, num): name for relid, num, name in conn.execute(_ATTNAMES, every).fetchall()}


def _read_constraints(
    conn: Any,
    params: dict[str, Any],
    tables: dict[int, str],
    attnames: dict[tuple[int, int], str],
    out: dict,
) -> None:
    rows = conn.execute(_CONSTRAINTS, params).fetchall()
    for relid, name, kind, conkey, ref_nsp, ref_rel, confkey, ref_oid, on_del, on_upd in rows:
        table = out[tables[relid]]
        cols = [attnames[(relid, n)] for n in conkey or ()]
        if kind == "p":
            table["primary_key"] = [name, cols]
        elif kind == "u":
            table["uniques"].append([name, cols])
        elif kind == "c":
            table["checks"].append(name)
        elif kind == "f":
            ref_cols = [attnames[(ref_oid, n)] for n in confkey or ()]
            table["foreign_keys"].append(
                [name, cols, ref_nsp, ref_rel, ref_cols, FK_ACTIONS[on_del], FK_ACTIONS[on_upd]]
            )


def _read_indexes(
    conn: Any,
    params: dict[str, Any],
    tables: dict[int, str],
    attnames: dict[tuple[int, int], str],
    out: dict,
) -> None:
    for relid, name, indkey, nkey, unique, partial in conn.execute(_INDEXES, params).fetchall():
        keys = [EXPR if n == 0 else attnames[(relid, n)] for n in list(indkey)[:nkey]]
        out[tables[relid]]["indexes"].append([name, keys, unique, partial])
