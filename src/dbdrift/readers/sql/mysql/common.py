"""What every module of the MySQL replay shares: `Refused`, the one way a step says
"MariaDB would not do this"; how MariaDB compares names; parsing one statement with the
package's dialect; and small readers of sqlglot nodes and tokens."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlglot import exp
from sqlglot.errors import ParseError
from sqlglot.tokens import Token, TokenType

from dbdrift.readers.sql.mysql.statements import DbdriftMariaDB
from dbdrift.types import Type

FLAVOUR = "mariadb"  # the server imitated: its row of types.mysql.FLAVOURS


class Refused(Exception):
    """MariaDB would refuse the statement; the message says why (and its error number)."""


def same(a: str, b: str) -> bool:
    """Whether two names are one to MariaDB (column, key and constraint names ignore case)."""
    return a.lower() == b.lower()


@contextmanager
def _quiet_sqlglot() -> Iterator[None]:
    """sqlglot logs a warning when it falls back to a Command; the replay reports it itself."""
    logger = logging.getLogger("sqlglot")
    was = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = was


def parse(sql: str) -> exp.Expression:
    """One statement parsed with the package's dialect; sqlglot's own fallback warnings silenced."""
    with _quiet_sqlglot():
        parsed = DbdriftMariaDB().parse(sql)
    expressions = [e for e in parsed if e is not None]
    if len(expressions) != 1:
        raise ParseError("expected one statement")
    return expressions[0]


def syntax_message(error: Exception) -> str:
    """A parse failure worded as MariaDB's syntax error (1064)."""
    first = str(error).splitlines()[0] if str(error) else type(error).__name__
    return f"syntax error (MariaDB error 1064): {first}"


def name_of(e: exp.Expression | str | None) -> str:
    """The plain name of an identifier, table or column node (``""`` for none)."""
    if e is None:
        return ""
    if isinstance(e, str):
        return e
    if isinstance(e, exp.Table | exp.Column):
        return e.name
    if isinstance(e, exp.Identifier):
        return e.this
    return e.name


def line_of(e: exp.Expression | None, base: int) -> int:
    """The absolute line of a parsed node, from the line its text starts on."""
    if e is None:
        return base
    node = e if isinstance(e, exp.Identifier) else e.find(exp.Identifier)
    meta_line = node.meta.get("line") if node is not None else None
    return base + meta_line - 1 if isinstance(meta_line, int) else base


def int_value(e: exp.Expression) -> int | None:
    """An unquoted integer literal (a type parameter, a prefix length), else ``None``."""
    node = e.this if isinstance(e, exp.DataTypeParam) else e
    if isinstance(node, exp.Literal) and not node.is_string:
        try:
            return int(node.this)
        except ValueError:
            return None
    return None


# TEXT and BLOB types by their base name (JSON is LONGTEXT in MariaDB).
_LOBS = ("tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob")


def is_lob(t: Type) -> bool:
    """Whether a type is TEXT, BLOB or JSON: keyed only with a prefix length, and its
    default is kept as an expression."""
    return t.sql.split("(")[0] in _LOBS or t.family == "json"


def unquote(name: str) -> str:
    """A name without its backticks (doubled backticks inside become one)."""
    return name[1:-1].replace("``", "`") if name.startswith("`") else name


def top_level_groups(tokens: list[Token]) -> list[list[Token]]:
    """Tokens split at the commas outside parentheses."""
    groups: list[list[Token]] = [[]]
    depth = 0
    for tk in tokens:
        if tk.token_type == TokenType.L_PAREN:
            depth += 1
        elif tk.token_type == TokenType.R_PAREN:
            depth -= 1
        if tk.token_type == TokenType.COMMA and depth == 0:
            groups.append([])
            continue
        groups[-1].append(tk)
    return [g for g in groups if g]


def last_name(tokens: list[Token]) -> str:
    """The last part of a dotted name (``db.t`` gives ``t``)."""
    names = [tk.text for tk in tokens if tk.token_type != TokenType.DOT]
    return names[-1] if names else ""
