"""The SQLite oracle: apply a migration stream to a real (in-memory) SQLite, then read it back.

`apply_stream` runs each file the way a migration runner would: statement by statement
(split where ``sqlite3.complete_statement`` says a statement ends, so a trigger body's
semicolons stay inside), in autocommit, on one connection, going on after an error, and
records what SQLite refused with the file and the first line of the statement.
`introspect` reads ``PRAGMA table_list``, ``table_xinfo``, ``index_list``, ``index_xinfo``
and ``foreign_key_list`` into exactly the shape of `oracle.compare.project`.

SQLite reports no CHECK constraints and no AUTOINCREMENT flag through a pragma; both are
read from the ``CREATE TABLE`` text SQLite keeps in ``sqlite_master`` (which ALTER TABLE
rewrites), with a scanner of SQLite's lexical rules written here.  Check names follow
SQLite's rule: a ``CONSTRAINT x`` names every CHECK after it up to the next comma.

Nothing here uses dbdrift: the oracle must not share the code it judges.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oracle import compare
from oracle.compare import EXPR  # tests/ is on sys.path under pytest

_LEADING = re.compile(r"(?:\s+|--[^\n]*(?:\n|\Z)|/\*.*?(?:\*/|\Z))*", re.DOTALL)

# SQLite's tokens, as far as finding keywords outside strings and names needs them.
_TOKEN = re.compile(
    r"""
      (?P<space>\s+|--[^\n]*|/\*.*?(?:\*/|\Z))
    | (?P<string>'(?:[^']|'')*')
    | (?P<quoted>"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\])
    | (?P<word>[A-Za-z_0-9$\x80-\U0010ffff]+)
    | (?P<op>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class SqliteError:
    """A statement SQLite refused: the file, the line the statement starts on, and why."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of a file as sqlite3.complete_statement delimits it."""

    text: str
    line: int  # 1-based line of its first character that is not blank or comment


def statements(text: str) -> list[Statement]:
    """The statements of `text`: each ends at the first ``;`` completing it."""
    result: list[Statement] = []
    start = 0
    for end in (m.end() for m in re.finditer(";", text)):
        if end <= start or not sqlite3.complete_statement(text[start:end]):
            continue
        _add(result, text, start, end)
        start = end
    _add(result, text, start, len(text))
    return result


def _add(result: list[Statement], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    skipped = _LEADING.match(chunk)
    first = skipped.end() if skipped else 0
    if not chunk[first:].strip() or chunk[first:].strip() == ";":
        return
    line = text.count("\n", 0, start + first) + 1
    result.append(Statement(chunk, line))


def apply_stream(root: Path, files: tuple[str, ...] | list[str]) -> tuple[Any, list[SqliteError]]:
    """Apply every file to a fresh in-memory database; the connection and what failed."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    refused: list[SqliteError] = []
    for relative in files:
        text = (root / relative).read_bytes().decode("utf-8")  # no newline translation
        for st in statements(text):
            try:
                conn.execute(st.text)
            except sqlite3.Error as exc:
                refused.append(SqliteError(relative, st.line, str(exc)))
    return conn, refused


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def introspect(conn: Any) -> dict[str, Any]:
    """The ordinary tables of ``main`` in the shape of `oracle.compare.project`."""
    tables: dict[str, Any] = {}
    for schema, name, kind, *_ in conn.execute("PRAGMA table_list").fetchall():
        if schema != "main" or kind != "table" or name.lower().startswith("sqlite_"):
            continue
        tables[name] = _table(conn, name)
    return {"tables": tables, "enums": {}}


def _table(conn: Any, name: str) -> dict[str, Any]:
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    words = [value.upper() for kind, value in _tokens(sql) if kind == "word"]
    xinfo = conn.execute(f"PRAGMA table_xinfo({_quote(name)})").fetchall()
    primary, uniques, indexes = _indexes(conn, name)
    pk_columns = [row[1] for row in sorted((r for r in xinfo if r[5]), key=lambda r: r[5])]
    rowid_alias = primary is None and len(pk_columns) == 1
    columns = [
        [
            col,
            declared,
            not notnull,
            default,
            "autoincrement" if rowid_alias and pk and "AUTOINCREMENT" in words else None,
            hidden in (2, 3),  # 2: virtual generated, 3: stored generated
        ]
        for _cid, col, declared, notnull, default, pk, hidden in xinfo
    ]
    if primary is None and pk_columns:
        primary = [None, pk_columns]
    return {
        "columns": columns,
        "primary_key": primary,
        "foreign_keys": sorted(_foreign_keys(conn, name)),
        "uniques": sorted(uniques),
        "indexes": sorted(indexes),
        "checks": compare.check_names(check_names(sql)),
    }


def _indexes(conn: Any, table: str) -> tuple[list[Any] | None, list[Any], list[Any]]:
    """The primary key's index, the UNIQUE constraints' and the created indexes."""
    primary: list[Any] | None = None
    uniques: list[Any] = []
    indexes: list[Any] = []
    for _seq, name, unique, origin, partial in conn.execute(
        f"PRAGMA index_list({_quote(table)})"
    ).fetchall():
        keys = [
            EXPR if cid == -2 else col
            for _n, cid, col, _desc, _coll, key in conn.execute(
                f"PRAGMA index_xinfo({_quote(name)})"
            ).fetchall()
            if key
        ]
        if origin == "pk":
            primary = [name, keys]
        elif origin == "u":
            uniques.append([name, keys])
        else:
            indexes.append([name, keys, bool(unique), bool(partial)])
    return primary, uniques, indexes


def _foreign_keys(conn: Any, table: str) -> list[list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for fid, _seq, parent, column, ref, on_update, on_delete, _match in conn.execute(
        f"PRAGMA foreign_key_list({_quote(table)})"
    ).fetchall():
        fk = grouped.setdefault(fid, [None, [], None, parent, [], on_delete, on_update])
        fk[1].append(column)
        if ref is not None:
            fk[4].append(ref)
    return list(grouped.values())


def _tokens(sql: str) -> list[tuple[str, str]]:
    result = []
    for m in _TOKEN.finditer(sql):
        kind = m.lastgroup or "op"
        if kind != "space":
            result.append((kind, m.group()))
    return result


def _unquote(kind: str, value: str) -> str:
    if kind == "quoted" and value[0] == "[":
        return value[1:-1]
    if kind in ("quoted", "string"):
        return value[1:-1].replace(value[0] * 2, value[0])
    return value


def check_names(sql: str) -> list[str | None]:
    """The names SQLite gives the CHECK constraints of a ``CREATE TABLE`` text.

    A ``CONSTRAINT name`` clause names the constraints after it within the same column
    definition or comma-separated table-constraint item (sqlite's ``constraintName``
    is reset only at a comma), so ``x INT CONSTRAINT c NOT NULL CHECK (x > 0)`` names the
    check ``c``.  Unnamed checks are ``None``.
    """
    tokens = _tokens(sql)
    names: list[str | None] = []
    depth = 0
    current: str | None = None
    for k, (kind, value) in enumerate(tokens):
        if kind == "op":
            if value == "(":
                depth += 1
            elif value == ")":
                depth -= 1
            elif value == "," and depth == 1:
                current = None
            continue
        if depth != 1 or kind != "word":
            continue
        upper = value.upper()
        if upper == "CONSTRAINT" and k + 1 < len(tokens):
            current = _unquote(*tokens[k + 1])
        elif upper == "CHECK":
            names.append(current)
    return names
