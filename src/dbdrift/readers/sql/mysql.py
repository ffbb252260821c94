"""The MySQL / MariaDB replay: SQL files applied statement by statement, as MariaDB would.

A file is first split into statements the way the ``mysql`` client splits it (sqlglot's
MySQL tokenizer finds strings and comments; the client's ``DELIMITER`` command is honoured),
then each statement is parsed on its own with sqlglot, so one bad statement becomes an
`Error` and the replay goes on.  The replay mirrors what MariaDB 10.11 does where the result
shows in ``information_schema``: implicit NOT NULL on key columns, the names it generates
for keys (``email``, ``email_2``), foreign keys (``orders_ibfk_1``) and checks
(``CONSTRAINT_1``), the index InnoDB adds behind a foreign key and drops again once another
index covers it, defaults as ``COLUMN_DEFAULT`` prints them, and the statements it refuses.

Errors carry the line the ``mysql`` client reports ("ERROR 1146 (42S02) at line 12"): the
first line of the statement, or of the earlier statement still being read when that line
began.  Session state (``SET FOREIGN_KEY_CHECKS``) lasts for one file, as with ``mysql < f``.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlglot import exp
from sqlglot.dialects.mysql import MySQL
from sqlglot.errors import ParseError, SqlglotError, TokenError
from sqlglot.tokens import Token, TokenType

from dbdrift.readers.sql.catalog import Catalog, MutTable
from dbdrift.readers.sql.text import LineIndex
from dbdrift.schema import (
    Check,
    Column,
    ForeignKey,
    Index,
    Origin,
    PrimaryKey,
    Unique,
)
from dbdrift.types import Type
from dbdrift.types import mysql as mytypes

log = logging.getLogger(__name__)

FLAVOUR = "mariadb"
SERVER_VERSION = 101100  # what /*!NNNNN ... */ comments are compared with


class DbdriftMariaDB(MySQL):
    """sqlglot's MySQL dialect with MariaDB's own readings of a few type keywords."""

    class Tokenizer(MySQL.Tokenizer):
        KEYWORDS = {  # noqa: RUF012 - sqlglot's dialects are tables by design
            **MySQL.Tokenizer.KEYWORDS,
            **{k: TokenType[v] for k, v in mytypes.TOKENIZER_FIXES.items()},
        }
        # sqlglot swallows the rest of RENAME/REPLACE/... statements into one string token;
        # the replay reads RENAME TABLE and REPLACE INTO from their tokens, so keep them.
        COMMANDS = MySQL.Tokenizer.COMMANDS - {  # noqa: RUF012
            TokenType.RENAME,
            TokenType.REPLACE,
            TokenType.EXECUTE,
            TokenType.FETCH,
        }


# ---------------------------------------------------------------------------------------
# Splitting


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement as the client sends it: text without its delimiter, and where it was."""

    text: str
    start: int
    end: int  # just past the delimiter
    line: int
    client_line: int
    words: tuple[str, ...]
    tokens: tuple[Token, ...] = field(repr=False, default=())
    unterminated: bool = False


# Token types whose text is data, not code: a delimiter inside them does not count.
_LITERALS = frozenset(
    {
        TokenType.STRING,
        TokenType.NATIONAL_STRING,
        TokenType.IDENTIFIER,
        TokenType.HEX_STRING,
        TokenType.BIT_STRING,
        TokenType.BYTE_STRING,
        TokenType.RAW_STRING,
        TokenType.HEREDOC_STRING,
        TokenType.UNICODE_STRING,
    }
)

_DELIMITER_LINE = re.compile(r"^[ \t]*delimiter[ \t]+(\S+)[^\n]*", re.IGNORECASE | re.MULTILINE)
_EXECUTABLE_COMMENT = re.compile(r"/\*(M?)!(\d{5,6})?")


@lru_cache(maxsize=1)
def _tokenizer_class() -> type:
    return DbdriftMariaDB.Tokenizer


def split(text: str) -> list[Statement]:
    """Statements in the order the ``mysql`` client would send them."""
    text = _unhide_executable_comments(text)
    lines = LineIndex(text)
    out: list[Statement] = []
    delimiter = ";"
    pos = 0
    candidates = [m for m in _DELIMITER_LINE.finditer(text)]
    i = 0
    while True:
        # The next DELIMITER line counts only when nothing is pending before it.
        while i < len(candidates) and candidates[i].start() < pos:
            i += 1
        end = candidates[i].start() if i < len(candidates) else len(text)
        pieces, pending = _split_segment(
            text, pos, end, delimiter, lines, final=i >= len(candidates)
        )
        if pending and i < len(candidates):
            i += 1  # the DELIMITER line belongs to a statement; look at the next one
            continue
        out.extend(pieces)
        if i >= len(candidates):
            break
        match = candidates[i]
        delimiter = match.group(1)
        pos = match.end()
        i += 1
    return _with_client_lines(out, text, lines)


def _unhide_executable_comments(text: str) -> str:
    """Turn ``/*!40101 SET ... */`` into plain SQL, as the server runs it, keeping offsets."""
    if "/*!" not in text and "/*M!" not in text:
        return text
    chars = list(text)
    for match in _EXECUTABLE_COMMENT.finditer(text):
        version = int(match.group(2)) if match.group(2) else 0
        # Five-digit versions from 50700 on are MySQL's own; MariaDB skips them.
        mysql_only = match.group(2) is not None and len(match.group(2)) == 5 and version >= 50700
        if version > SERVER_VERSION or mysql_only:
            continue
        close = text.find("*/", match.end())
        if close < 0:
            continue
        for k in range(match.start(), match.end()):
            chars[k] = " "
        chars[close] = chars[close + 1] = " "
    return "".join(chars)


def _split_segment(
    text: str, begin: int, end: int, delimiter: str, lines: LineIndex, final: bool
) -> tuple[list[Statement], bool]:
    """Statements of ``text[begin:end]``; the flag says a statement is still open at `end`."""
    segment = text[begin:end]
    tokenizer = _tokenizer_class()()
    broken = False
    try:
        tokens = tokenizer.tokenize(segment)
    except TokenError:
        tokens = list(tokenizer.tokens)
        broken = True
    if broken and not final:
        return [], True
    bounds = _boundaries(segment, tokens, delimiter)
    pieces: list[Statement] = []
    t = 0
    for b_start, b_end in [*bounds, (len(segment), len(segment))]:
        group: list[Token] = []
        while t < len(tokens) and tokens[t].start < b_start:
            group.append(tokens[t])
            t += 1
        while t < len(tokens) and tokens[t].start < b_end:
            t += 1  # tokens inside the delimiter itself
        last = (b_start, b_end) == (len(segment), len(segment))
        if last and broken:
            # An unterminated string or comment swallows the rest of the file.
            first = group[0].start if group else (tokens[-1].end + 1 if tokens else 0)
            rest = segment[first:].strip()
            if rest:
                start = begin + first + (len(segment[first:]) - len(segment[first:].lstrip()))
                end = begin + len(segment)
                pieces.append(_statement(text, start, end, end, lines, group, True))
            return pieces, False
        if not group:
            continue
        start = begin + group[0].start
        stop = begin + (b_start if not last else group[-1].end + 1)
        if last and not final:
            return pieces, True  # an open statement runs into the next DELIMITER line
        pieces.append(_statement(text, start, stop, begin + b_end, lines, group, False))
    return pieces, False


def _boundaries(segment: str, tokens: list[Token], delimiter: str) -> list[tuple[int, int]]:
    """Where the delimiter occurs in code (not in a string, identifier or comment)."""
    if delimiter == ";":
        return [(tk.start, tk.end + 1) for tk in tokens if tk.token_type == TokenType.SEMICOLON]
    code = [(tk.start, tk.end + 1) for tk in tokens if tk.token_type not in _LITERALS]
    found: list[tuple[int, int]] = []
    k = 0
    at = segment.find(delimiter)
    while at >= 0:
        while k < len(code) and code[k][1] <= at:
            k += 1
        if _in_code(code, k, at, at + len(delimiter)):
            found.append((at, at + len(delimiter)))
            at = segment.find(delimiter, at + len(delimiter))
        else:
            at = segment.find(delimiter, at + 1)
    return found


def _in_code(code: list[tuple[int, int]], k: int, start: int, stop: int) -> bool:
    """Whether every character of ``[start, stop)`` lies in consecutive code tokens."""
    pos = start
    while pos < stop:
        if k >= len(code) or not (code[k][0] <= pos < code[k][1]):
            return False
        pos = code[k][1]
        k += 1
    return True


def _statement(
    text: str,
    start: int,
    stop: int,
    end: int,
    lines: LineIndex,
    tokens: list[Token],
    unterminated: bool,
) -> Statement:
    body = text[start:stop].rstrip()
    words = tuple(tk.text.upper() if tk.token_type not in _LITERALS else "" for tk in tokens[:16])
    return Statement(body, start, end, lines.line(start), 0, words, tuple(tokens), unterminated)


def _with_client_lines(statements: list[Statement], text: str, lines: LineIndex) -> list[Statement]:
    """Give each statement the line the client reports for it.

    The client remembers the line it was reading when its buffer was last empty at the
    start of a line; a statement that begins on a line where an earlier one was still
    open is reported at that earlier statement's line.
    """
    out: list[Statement] = []
    for st in statements:
        line_start = text.rfind("\n", 0, st.start) + 1
        owner = next((p for p in reversed(out) if p.start < line_start < p.end), None)
        client = owner.client_line if owner is not None else st.line
        out.append(
            Statement(
                st.text, st.start, st.end, st.line, client, st.words, st.tokens, st.unterminated
            )
        )
    return out


# ---------------------------------------------------------------------------------------
# The table model while replaying (richer than MutTable: it knows what MariaDB knows)


class _Refused(Exception):
    """MariaDB would refuse the statement; the message says why (and its error number)."""


@dataclass
class _Check:
    name: str
    expression: str
    columns: frozenset[str]
    origin: Origin


@dataclass
class _Col:
    name: str
    type: Type
    nullable: bool
    default: str | None
    auto_increment: bool
    generated: str | None
    origin: Origin
    check: _Check | None = None


@dataclass
class _Key:
    name: str | None
    kind: str  # "primary" | "unique" | "index" | "fulltext" | "spatial"
    parts: list[tuple[str, int | None]]
    origin: Origin
    generated: bool = False  # InnoDB's index behind a foreign key

    @property
    def columns(self) -> list[str]:
        return [c for c, _ in self.parts]


@dataclass
class _Fk:
    name: str | None
    columns: list[str]
    ref_table: str
    ref_columns: list[str]
    on_delete: str
    on_update: str
    origin: Origin


@dataclass
class _Table:
    name: str
    origin: Origin
    columns: list[_Col] = field(default_factory=list)
    keys: list[_Key] = field(default_factory=list)
    fks: list[_Fk] = field(default_factory=list)
    checks: list[_Check] = field(default_factory=list)
    bytes_per_char: int | None = None

    def col(self, name: str) -> _Col | None:
        low = name.lower()
        return next((c for c in self.columns if c.name.lower() == low), None)

    def col_at(self, name: str) -> int:
        low = name.lower()
        return next((i for i, c in enumerate(self.columns) if c.name.lower() == low), -1)

    def key(self, name: str) -> _Key | None:
        low = name.lower()
        return next((k for k in self.keys if k.name and k.name.lower() == low), None)

    def all_checks(self) -> list[_Check]:
        return [*self.checks, *(c.check for c in self.columns if c.check)]

    def mut(self) -> MutTable:
        """The catalog's view of this table."""
        t = MutTable(self.name, None, self.origin)
        for c in self.columns:
            t.columns[c.name] = Column(
                c.name,
                c.type,
                c.nullable,
                c.default,
                "auto_increment" if c.auto_increment else None,
                c.generated,
                c.origin,
            )
        for k in self.keys:
            if k.kind == "primary":
                t.primary_key = PrimaryKey("PRIMARY", tuple(k.columns), k.origin)
            elif k.kind == "unique":
                t.uniques.append(Unique(k.name, tuple(k.columns), k.origin))
            else:
                method = None if k.kind == "index" else k.kind
                t.indexes.append(Index(k.name, tuple(k.columns), False, method, None, k.origin))
        for f in self.fks:
            t.foreign_keys.append(
                ForeignKey(
                    f.name,
                    tuple(f.columns),
                    f.ref_table,
                    tuple(f.ref_columns),
                    None,
                    f.on_delete,
                    f.on_update,
                    f.origin,
                )
            )
        for ch in self.all_checks():
            t.checks.append(Check(ch.name, ch.expression, ch.origin))
        return t


def _same(a: str, b: str) -> bool:
    return a.lower() == b.lower()


# ---------------------------------------------------------------------------------------
# Parsing helpers


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


def _parse(sql: str) -> exp.Expression:
    with _quiet_sqlglot():
        parsed = DbdriftMariaDB().parse(sql)
    expressions = [e for e in parsed if e is not None]
    if len(expressions) != 1:
        raise ParseError("expected one statement")
    return expressions[0]


def _syntax_message(error: Exception) -> str:
    first = str(error).splitlines()[0] if str(error) else type(error).__name__
    return f"syntax error (MariaDB error 1064): {first}"


def _ident(e: exp.Expression | str | None) -> str:
    if e is None:
        return ""
    if isinstance(e, str):
        return e
    if isinstance(e, exp.Table | exp.Column):
        return e.name
    if isinstance(e, exp.Identifier):
        return e.this
    return e.name


def _line_of(e: exp.Expression | None, base: int) -> int:
    """The absolute line of a parsed node, from the line its text starts on."""
    if e is None:
        return base
    node = e if isinstance(e, exp.Identifier) else e.find(exp.Identifier)
    meta_line = node.meta.get("line") if node is not None else None
    return base + meta_line - 1 if isinstance(meta_line, int) else base


def _int(e: exp.Expression) -> int | None:
    node = e.this if isinstance(e, exp.DataTypeParam) else e
    if isinstance(node, exp.Literal) and not node.is_string:
        try:
            return int(node.this)
        except ValueError:
            return None
    return None


_ACTIONS = {
    "CASCADE": "CASCADE",
    "SET NULL": "SET NULL",
    "RESTRICT": "RESTRICT",
    "NO ACTION": "NO ACTION",
    "SET DEFAULT": "SET DEFAULT",
}

# MariaDB reports an action that was not written as RESTRICT (InnoDB's default).
DEFAULT_ACTION = "RESTRICT"


def _fk_actions(reference: exp.Reference | None, fk: exp.Expression | None) -> tuple[str, str]:
    on_delete = on_update = DEFAULT_ACTION
    options: list[Any] = list(reference.args.get("options") or []) if reference else []
    for opt in options:
        text = (opt if isinstance(opt, str) else opt.sql()).upper().split()
        if len(text) >= 3 and text[0] == "ON":
            action = _ACTIONS.get(" ".join(text[2:]))
            if action and text[1] == "DELETE":
                on_delete = action
            elif action and text[1] == "UPDATE":
                on_update = action
    if fk is not None:
        for arg, target in (("delete", "d"), ("update", "u")):
            value = fk.args.get(arg)
            if value:
                action = _ACTIONS.get(str(value).upper())
                if action and target == "d":
                    on_delete = action
                elif action:
                    on_update = action
    return on_delete, on_update


# Binary operators as MariaDB prints them back, with their precedence (higher binds tighter).
_BINARY: dict[type, tuple[str, int]] = {
    exp.Mul: ("*", 7),
    exp.Div: ("/", 7),
    exp.IntDiv: ("DIV", 7),
    exp.Mod: ("%", 7),
    exp.Add: ("+", 6),
    exp.Sub: ("-", 6),
    exp.EQ: ("=", 4),
    exp.NEQ: ("<>", 4),
    exp.GT: (">", 4),
    exp.GTE: (">=", 4),
    exp.LT: ("<", 4),
    exp.LTE: ("<=", 4),
    exp.And: ("and", 2),
    exp.Or: ("or", 1),
}


def _print_expr(e: exp.Expression, parent: int = 0) -> str:
    """An expression as MariaDB prints a stored default expression (``Item::print``)."""
    if isinstance(e, exp.Paren):
        return _print_expr(e.this, parent)
    if isinstance(e, exp.Literal):
        return mytypes.quote_string(e.this) if e.is_string else str(e.this)
    if isinstance(e, exp.Neg):
        return "-" + _print_expr(e.this, 9)
    if isinstance(e, exp.Null):
        return "NULL"
    if isinstance(e, exp.Boolean):
        return "1" if e.this else "0"
    if isinstance(e, exp.Column):
        return f"`{e.name}`"
    if type(e) in _BINARY:
        op, prec = _BINARY[type(e)]
        text = f"{_print_expr(e.this, prec)} {op} {_print_expr(e.expression, prec + 1)}"
        return f"({text})" if parent == 0 or prec < parent else text
    if isinstance(e, exp.Interval):
        unit = e.args.get("unit")
        return (
            f"interval {_print_expr(e.this, 9).strip(chr(39))} {unit.name.lower() if unit else ''}"
        )
    if isinstance(e, exp.Func):
        return _print_call(e)
    return e.sql(dialect="mysql")


def _print_call(e: exp.Func) -> str:
    if isinstance(e, exp.Anonymous):
        name, args = e.name.upper(), list(e.expressions)
    else:
        name = e.sql_name().upper()
        args = [v for k, v in e.args.items() if isinstance(v, exp.Expression) and k != "zone"]
        args += [x for v in e.args.values() if isinstance(v, list) for x in v]
    spelled = mytypes.FUNCTION_SPELLINGS.get(name, name.lower())
    return f"{spelled}({','.join(_print_expr(a, 9) for a in args)})"


def _default_sql(e: exp.Expression, typ: Type) -> str | None:
    """A DEFAULT clause spelled as ``COLUMN_DEFAULT`` reports it; ``None`` for NULL."""
    inner = e
    while isinstance(inner, exp.Paren | exp.Introducer | exp.National):
        inner = inner.expression if isinstance(inner, exp.Introducer) else inner.this
        if isinstance(inner, str):  # N'...' keeps its text as a plain string
            return mytypes.literal_default(inner, typ)
    if isinstance(inner, exp.Null):
        return None
    if isinstance(inner, exp.Literal):
        if not inner.is_string and typ.family in ("text", "enum", "json", "other", "binary"):
            return mytypes.literal_default(str(inner.this), typ)
        return mytypes.literal_default(inner.this if inner.is_string else str(inner.this), typ)
    if isinstance(inner, exp.Neg) and isinstance(inner.this, exp.Literal):
        return mytypes.literal_default("-" + str(inner.this.this), typ)
    if isinstance(inner, exp.Boolean):
        return mytypes.literal_default(bool(inner.this), typ)
    if isinstance(inner, exp.HexString):
        return mytypes.literal_default(bytes.fromhex(_even(inner.this)), typ)
    if isinstance(inner, exp.BitString):
        value = int(inner.this or "0", 2)
        if typ.sql.startswith("bit("):
            return f"b'{value:b}'"
        return mytypes.literal_default(value, typ)
    if isinstance(inner, exp.CurrentTimestamp | exp.CurrentDatetime):
        precision = inner.this
        return f"current_timestamp({_print_expr(precision) if precision is not None else ''})"
    if isinstance(inner, exp.Anonymous) and inner.name.upper() in mytypes.FUNCTION_SPELLINGS:
        spelled = mytypes.FUNCTION_SPELLINGS[inner.name.upper()]
        args = ",".join(_print_expr(a, 9) for a in inner.expressions)
        return f"{spelled}({args})"
    if isinstance(inner, exp.Column) and inner.name.upper() in mytypes.FUNCTION_SPELLINGS:
        # CURRENT_DATE, LOCALTIMESTAMP ... written without parentheses
        return mytypes.FUNCTION_SPELLINGS[inner.name.upper()] + "()"
    return _print_expr(inner)


def _even(hexdigits: str) -> str:
    return hexdigits if len(hexdigits) % 2 == 0 else "0" + hexdigits


# ---------------------------------------------------------------------------------------
# Table elements


@dataclass
class _Pending:
    """What one statement adds besides columns: keys, foreign keys, checks."""

    keys: list[_Key] = field(default_factory=list)
    fks: list[_Fk] = field(default_factory=list)
    checks: list[_Check] = field(default_factory=list)


def _column_type(
    kind: exp.DataType | None, constraints: list[exp.Expression], bpc: int | None
) -> Type:
    if kind is None:
        raise _Refused("syntax error (MariaDB error 1064): column without a type")
    name = kind.this.name if hasattr(kind.this, "name") else str(kind.this)
    params: list[int] = []
    values: list[str] = []
    for p in kind.expressions:
        if isinstance(p, exp.Literal) and p.is_string:
            values.append(p.this)
        else:
            n = _int(p)
            if n is not None:
                params.append(n)
    zerofill = any(
        isinstance(c.args.get("kind"), exp.ZeroFillColumnConstraint) for c in constraints
    )
    for c in constraints:
        k = c.args.get("kind")
        if isinstance(k, exp.CharacterSetColumnConstraint):
            bpc = mytypes.CHARSET_BYTES.get(k.name.lower(), bpc)
        elif isinstance(k, exp.CollateColumnConstraint):
            bpc = mytypes.CHARSET_BYTES.get(k.name.lower().split("_")[0], bpc)
    if name == "SERIAL":
        name = "UBIGINT"
    typ = mytypes.column_type(
        name,
        tuple(params),
        tuple(values),
        zerofill=zerofill,
        bytes_per_char=bpc,
        flavour_name=FLAVOUR,
    )
    if typ is None:
        if name in ("VARCHAR", "NVARCHAR", "VARBINARY"):
            raise _Refused("syntax error (MariaDB error 1064): VARCHAR needs a length")
        typ = Type("other", kind.sql(dialect="mysql").lower())
    return typ


def _index_parts(expressions: list[exp.Expression]) -> list[tuple[str, int | None]]:
    parts: list[tuple[str, int | None]] = []
    for e in expressions:
        node = e.this if isinstance(e, exp.Ordered) else e
        if isinstance(node, exp.ColumnPrefix):
            parts.append((_ident(node.this), _int(node.expression)))
        elif isinstance(node, exp.Column | exp.Identifier):
            parts.append((_ident(node), None))
        elif isinstance(node, exp.Paren) and isinstance(node.this, exp.Column):
            parts.append((_ident(node.this), None))
        else:
            raise _Refused(
                "syntax error (MariaDB error 1064): MariaDB indexes columns, not expressions "
                f"({node.sql(dialect='mysql')})"
            )
    return parts


def _check_of(e: exp.CheckColumnConstraint, name: str | None, origin: Origin) -> _Check:
    body = e.this
    columns = frozenset(c.name.lower() for c in body.find_all(exp.Column)) if body else frozenset()
    return _Check(name or "", body.sql(dialect="mysql") if body else "", columns, origin)


def _element(
    e: exp.Expression, origin: Origin, out: _Pending, constraint: str | None = None
) -> None:
    """A table-level element of CREATE TABLE or ALTER TABLE ADD."""
    if isinstance(e, exp.Constraint):
        for inner in e.expressions:
            _element(inner, origin, out, _ident(e.this) or None)
        return
    if isinstance(e, exp.PrimaryKey | exp.PrimaryKeyColumnConstraint):
        out.keys.append(_Key("PRIMARY", "primary", _index_parts(list(e.expressions)), origin))
        return
    if isinstance(e, exp.UniqueColumnConstraint):
        schema = e.this
        cols = list(schema.expressions) if isinstance(schema, exp.Schema) else []
        name = _ident(schema.this) if isinstance(schema, exp.Schema) and schema.this else None
        out.keys.append(_Key(name or constraint, "unique", _index_parts(cols), origin))
        return
    if isinstance(e, exp.IndexColumnConstraint):
        kind = str(e.args.get("kind") or "").lower()
        kind = kind if kind in ("fulltext", "spatial") else "index"
        name = _ident(e.this) or None
        out.keys.append(_Key(name, kind, _index_parts(list(e.expressions)), origin))
        return
    if isinstance(e, exp.ForeignKey):
        _foreign_key(e, origin, out, constraint)
        return
    if isinstance(e, exp.CheckColumnConstraint):
        out.checks.append(_check_of(e, constraint, origin))
        return
    raise _Refused(f"unsupported table element: {e.sql(dialect='mysql')[:80]}")


def _foreign_key(e: exp.ForeignKey, origin: Origin, out: _Pending, constraint: str | None) -> None:
    columns = [_ident(c) for c in e.expressions]
    index_name = _ident(e.this) or None if e.args.get("this") is not None else None
    reference = e.args.get("reference")
    _add_fk(columns, reference, e, origin, out, constraint, index_name)


def _add_fk(
    columns: list[str],
    reference: exp.Reference | None,
    fk: exp.Expression | None,
    origin: Origin,
    out: _Pending,
    constraint: str | None,
    index_name: str | None,
) -> None:
    target = reference.this if reference is not None else None
    if isinstance(target, exp.Schema):
        ref_table = _ident(target.this)
        ref_columns = [_ident(c) for c in target.expressions]
    else:
        ref_table = _ident(target) if target is not None else ""
        ref_columns = []
    if not ref_table:
        raise _Refused("syntax error (MariaDB error 1064): REFERENCES without a table")
    if len(ref_columns) != len(columns):
        raise _Refused(
            f"Incorrect foreign key definition for '{constraint or columns[0]}': Key reference "
            "and table reference don't match (MariaDB error 1239)"
        )
    on_delete, on_update = _fk_actions(reference, fk)
    # sql_yacc.yy: the supporting key is named after the constraint, else the index name;
    # the constraint after the constraint name, else the index name, else <table>_ibfk_<n>.
    key_name = constraint or index_name
    out.keys.append(_Key(key_name, "index", [(c, None) for c in columns], origin, generated=True))
    out.fks.append(
        _Fk(constraint or index_name, columns, ref_table, ref_columns, on_delete, on_update, origin)
    )


def _column(cd: exp.ColumnDef, origin: Origin, bpc: int | None, out: _Pending) -> _Col:
    """A column definition, with the keys, foreign key and check it declares inline."""
    name = _ident(cd.this)
    constraints = list(cd.args.get("constraints") or [])
    kind = cd.args.get("kind")
    typ = _column_type(kind, constraints, bpc)
    col = _Col(name, typ, True, None, False, None, origin)
    is_serial = kind is not None and getattr(kind.this, "name", "") == "SERIAL"
    if is_serial:
        col.nullable, col.auto_increment = False, True
        out.keys.append(_Key(None, "unique", [(name, None)], origin))
    explicit_default: exp.Expression | None = None
    for c in constraints:
        k = c.args.get("kind")
        if isinstance(k, exp.NotNullColumnConstraint):
            col.nullable = bool(k.args.get("allow_null"))
        elif isinstance(k, exp.DefaultColumnConstraint):
            explicit_default = k.this
        elif isinstance(k, exp.AutoIncrementColumnConstraint):
            col.auto_increment = True
        elif isinstance(k, exp.PrimaryKeyColumnConstraint):
            out.keys.append(_Key("PRIMARY", "primary", [(name, None)], origin))
        elif isinstance(k, exp.UniqueColumnConstraint):
            out.keys.append(_Key(None, "unique", [(name, None)], origin))
        elif isinstance(k, exp.CheckColumnConstraint):
            if c.args.get("this") is not None:
                # MariaDB's grammar has no CONSTRAINT <name> before a column's CHECK.
                raise _Refused(
                    f"syntax error (MariaDB error 1064): CONSTRAINT {_ident(c.this)} CHECK "
                    f"on column '{name}' (name a check at the table level)"
                )
            col.check = _check_of(k, name, origin)
        elif isinstance(k, exp.Reference):
            _add_fk([name], k, None, origin, out, None, None)
        elif isinstance(k, exp.ComputedColumnConstraint):
            col.generated = k.this.sql(dialect="mysql") if k.this is not None else ""
    if explicit_default is not None:
        col.default = _default_sql(explicit_default, typ)
        if col.default is None and not col.nullable:
            raise _Refused(f"Invalid default value for '{name}' (MariaDB error 1067)")
        if (
            isinstance(explicit_default, exp.Literal)
            and explicit_default.is_string
            and typ.family
            in (
                "integer",
                "numeric",
                "float",
                "boolean",
            )
            and not _numeric_text(explicit_default.this)
        ):
            raise _Refused(f"Invalid default value for '{name}' (MariaDB error 1067)")
    if typ.family == "json" and col.check is None and mytypes.FLAVOURS[FLAVOUR].json_check:
        # MariaDB: JSON is LONGTEXT with CHECK (json_valid(`col`)) named after the column.
        col.check = _Check(name, f"json_valid(`{name}`)", frozenset({name.lower()}), origin)
    return col


_NUMERIC = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*\Z")


def _numeric_text(text: str) -> bool:
    return bool(_NUMERIC.match(text))


# ---------------------------------------------------------------------------------------
# What MariaDB does once a table definition is complete (mysql_prepare_create_table)


def _covers(key: _Key, columns: list[str]) -> bool:
    """Whether `key` can serve a foreign key on `columns`: they are its leading columns."""
    if key.kind in ("fulltext", "spatial") or len(key.parts) < len(columns):
        return False
    return all(
        _same(kc, c) and length is None for (kc, length), c in zip(key.parts, columns, strict=False)
    )


def _generated_prefix(a: _Key, b: _Key) -> bool:
    """sql_table.cc foreign_key_prefix(): one key is generated and a prefix of the other."""
    if a.generated:
        if b.generated and len(a.parts) > len(b.parts):
            a, b = b, a
    else:
        if not b.generated:
            return False
        a, b = b, a
    if len(a.parts) > len(b.parts):
        return False
    return all(_same(x[0], y[0]) and x[1] == y[1] for x, y in zip(a.parts, b.parts, strict=False))


def _prune_generated(keys: list[_Key]) -> list[_Key]:
    """Drop an implicit foreign-key index that another index makes redundant."""
    kept: list[_Key] = []
    for key in keys:
        ignore = False
        for other in kept:
            if not _generated_prefix(key, other):
                continue
            if not other.generated or (key.generated and len(key.parts) < len(other.parts)):
                ignore = True
            else:
                kept.remove(other)
            break
        if not ignore:
            kept.append(key)
    return kept


def _name_keys(keys: list[_Key]) -> None:
    """Name unnamed keys after their first column (``email``, ``email_2``...), as MariaDB does."""
    for i, key in enumerate(keys):
        if key.kind == "primary":
            key.name = "PRIMARY"
            continue
        earlier = {k.name.lower() for k in keys[:i] if k.name}
        if key.name is not None:
            if key.name.lower() in earlier or _same(key.name, "PRIMARY"):
                raise _Refused(f"Duplicate key name '{key.name}' (MariaDB error 1061)")
            continue
        base = key.parts[0][0]
        name = base
        n = 2
        while name.lower() in earlier or _same(name, "PRIMARY"):
            name = f"{base}_{n}"
            n += 1
        key.name = name


_IBFK = re.compile(r"(.*)_ibfk_(\d+)\Z", re.IGNORECASE)


def _name_fks(table: _Table) -> None:
    """Unnamed foreign keys become ``<table>_ibfk_<n>``, n one past the highest so far."""
    highest = 0
    for f in table.fks:
        m = _IBFK.match(f.name or "")
        if m and m.group(1) == table.name:
            highest = max(highest, int(m.group(2)))
    for f in table.fks:
        if f.name is None:
            highest += 1
            f.name = f"{table.name}_ibfk_{highest}"


def _name_checks(table: _Table, new: list[_Check]) -> None:
    """Unnamed checks become ``CONSTRAINT_<n>``: the first n not taken."""
    taken = {c.name.lower() for c in table.all_checks() if c.name}
    nr = 1
    for ch in new:
        if ch.name:
            continue
        while f"constraint_{nr}" in taken:
            nr += 1
        ch.name = f"CONSTRAINT_{nr}"
        taken.add(ch.name.lower())


# ---------------------------------------------------------------------------------------
# The replay


_FK_CHECKS = re.compile(
    r"(?<![\w@])(?:@@(?:session\.)?)?foreign_key_checks\s*:?=\s*(@?\w+)", re.IGNORECASE
)

_NOTE_KINDS = {
    "VIEW": "view",
    "TRIGGER": "trigger",
    "PROCEDURE": "procedure",
    "FUNCTION": "function",
    "EVENT": "event",
    "DATABASE": "database",
    "SCHEMA": "database",
    "USER": "privilege",
    "ROLE": "privilege",
    "SEQUENCE": "sequence",
    "SERVER": "other",
    "TABLESPACE": "other",
    "PACKAGE": "procedure",
}

_DATA = frozenset(
    {
        "INSERT",
        "REPLACE",
        "UPDATE",
        "DELETE",
        "SELECT",
        "WITH",
        "CALL",
        "DO",
        "LOAD",
        "HANDLER",
        "VALUES",
        "TABLE",
    }
)
_SESSION = frozenset(
    {
        "SET",
        "USE",
        "LOCK",
        "UNLOCK",
        "FLUSH",
        "RESET",
        "PURGE",
        "KILL",
        "SHOW",
        "DESCRIBE",
        "DESC",
        "EXPLAIN",
        "ANALYZE",
        "OPTIMIZE",
        "CHECK",
        "CHECKSUM",
        "REPAIR",
        "INSTALL",
        "UNINSTALL",
        "HELP",
        "BINLOG",
        "CACHE",
        "PREPARE",
        "EXECUTE",
        "DEALLOCATE",
        "SIGNAL",
        "RESIGNAL",
        "GET",
    }
)
_TRANSACTION = frozenset({"START", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "XA"})
_PRIVILEGE = frozenset({"GRANT", "REVOKE"})


class Replay:
    """Replays MySQL/MariaDB SQL files onto a `Catalog`, statement by statement."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.tables: dict[str, _Table] = {}
        self.triggers: dict[str, str] = {}  # trigger name (lower) -> table
        self.fk_checks = True
        self.path = ""

    # -- entry point -------------------------------------------------------------------

    def file(self, path: str, text: str) -> None:
        """Replay one file; each file runs in a fresh session, as ``mysql < file`` does."""
        self.path = path
        self.fk_checks = True
        for st in split(text):
            self._run(st)
        self._publish()

    def _run(self, st: Statement) -> None:
        origin = Origin(self.path, st.client_line)
        try:
            if st.unterminated:
                raise _Refused(
                    "syntax error (MariaDB error 1064): unterminated string, identifier or comment"
                )
            self._dispatch(st, origin)
        except _Refused as refused:
            self.catalog.error(str(refused), origin)
        except SqlglotError as error:
            self.catalog.error(_syntax_message(error), origin)
        except Exception as bug:
            log.warning("Skipped statement at %s because of an internal error: %r", origin, bug)
            self.catalog.error(
                f"dbdrift could not replay this statement (internal error: {bug!r})", origin
            )

    def _publish(self) -> None:
        """Hand the current tables to the catalog, in the order they were created."""
        self.catalog.tables = {(None, t.name): t.mut() for t in self.tables.values()}

    # -- classification ----------------------------------------------------------------

    def _dispatch(self, st: Statement, origin: Origin) -> None:
        words = [w for w in st.words if w]
        if not words:
            return
        head = words[0]
        if head == "CREATE":
            obj = _created_object(st.words)
            if obj == "TABLE":
                if "TEMPORARY" in st.words[:4]:
                    self.catalog.note("temporary", "CREATE TEMPORARY TABLE is not modelled", origin)
                    return
                self._create_table(st, origin)
            elif obj == "INDEX":
                self._create_index(st, origin)
            elif obj == "TRIGGER":
                self._create_trigger(st, origin)
            else:
                kind = _NOTE_KINDS.get(obj or "", "other")
                self.catalog.note(kind, f"CREATE {obj or '?'} is not modelled", origin)
            return
        if head == "ALTER":
            if _word_after(words, ("ALTER", "ONLINE", "OFFLINE", "IGNORE")) == "TABLE":
                self._alter_table(st, origin)
            else:
                obj = _word_after(words, ("ALTER", "DEFINER", "ALGORITHM", "SQL", "SECURITY"))
                self.catalog.note(
                    _NOTE_KINDS.get(obj or "", "other"), f"ALTER {obj} is not modelled", origin
                )
            return
        if head == "DROP":
            obj = _word_after(words, ("DROP", "TEMPORARY"))
            if obj == "TABLE":
                self._drop_table(st, origin)
            elif obj == "INDEX":
                self._drop_index(st, origin)
            elif obj == "TRIGGER":
                self._drop_trigger(st, origin)
            else:
                self.catalog.note(
                    _NOTE_KINDS.get(obj or "", "other"), f"DROP {obj} is not modelled", origin
                )
            return
        if head == "RENAME" and len(words) > 1 and words[1] == "TABLE":
            self._rename_tables(st, origin)
            return
        if head == "TRUNCATE":
            self._data(st, origin)
            return
        if head in _DATA:
            self._data(st, origin)
            return
        if head == "SET":
            self._set(st, origin)
            return
        if head in _SESSION:
            self.catalog.note("session", f"{head} is not modelled", origin)
            return
        if head in _TRANSACTION:
            self.catalog.note("transaction", f"{head} is not modelled", origin)
            return
        if head in _PRIVILEGE:
            self.catalog.note("privilege", f"{head} is not modelled", origin)
            return
        parsed = _parse(st.text)
        self.catalog.note("other", f"{type(parsed).__name__} statement is not modelled", origin)

    # -- CREATE TABLE --------------------------------------------------------------------

    def _create_table(self, st: Statement, origin: Origin) -> None:
        parsed = _parse(st.text)
        if not isinstance(parsed, exp.Create) or not isinstance(
            parsed.this, exp.Schema | exp.Table
        ):
            raise _Refused(_syntax_message(ParseError("could not read CREATE TABLE")))
        schema = parsed.this
        table_node = schema.this if isinstance(schema, exp.Schema) else schema
        name = _ident(table_node)
        existing = self.tables.get(name)
        if existing is not None:
            if parsed.args.get("exists"):
                self.catalog.note(
                    "skipped", f"Table '{name}' already exists (IF NOT EXISTS)", origin
                )
                return
            if not parsed.args.get("replace"):
                raise _Refused(f"Table '{name}' already exists (MariaDB error 1050)")
        if parsed.args.get("expression") is not None:
            self.catalog.note("data", f"CREATE TABLE {name} ... SELECT is not modelled", origin)
            return
        like = _like_source(parsed)
        if like is not None:
            self._create_like(name, like, Origin(origin.path, st.line))
            return
        table = _Table(name, Origin(origin.path, st.line), bytes_per_char=_table_charset(parsed))
        pending = _Pending()
        for element in schema.expressions if isinstance(schema, exp.Schema) else []:
            line = _line_of(element, st.line)
            where = Origin(origin.path, line)
            if isinstance(element, exp.ColumnDef):
                col = _column(element, where, table.bytes_per_char, pending)
                if table.col(col.name) is not None:
                    raise _Refused(f"Duplicate column name '{col.name}' (MariaDB error 1060)")
                table.columns.append(col)
            else:
                _element(element, where, pending)
        if not table.columns:
            raise _Refused("A table must have at least 1 column (MariaDB error 1113)")
        if existing is not None:  # CREATE OR REPLACE: the old table goes first
            self._check_droppable([name], origin)
        self._prepare(table, pending, created=True)
        if existing is not None:
            del self.tables[name]
        self.tables[name] = table

    def _create_like(self, name: str, source: str, origin: Origin) -> None:
        src = self.tables.get(source)
        if src is None:
            raise _Refused(f"Table '{source}' doesn't exist (MariaDB error 1146)")
        table = copy.deepcopy(src)
        table.name, table.origin, table.fks = name, origin, []  # LIKE copies no foreign keys
        self.tables.pop(name, None)
        self.tables[name] = table

    # -- the checks MariaDB makes on a complete definition ------------------------------

    def _prepare(self, table: _Table, pending: _Pending, created: bool) -> None:
        """Finish a table definition the way mysql_prepare_create_table does, or refuse it."""
        # 1. Keys: columns exist, one primary key, implicit NOT NULL, redundant FK indexes.
        table.keys.extend(pending.keys)
        for key in table.keys:
            for column, _ in key.parts:
                if table.col(column) is None:
                    raise _Refused(
                        f"Key column '{column}' doesn't exist in table (MariaDB error 1072)"
                    )
        if sum(1 for k in table.keys if k.kind == "primary") > 1:
            raise _Refused("Multiple primary key defined (MariaDB error 1068)")
        primary = next((k for k in table.keys if k.kind == "primary"), None)
        table.keys = _prune_generated(table.keys)
        _name_keys(table.keys)
        if primary is not None:
            for column in primary.columns:
                c = table.col(column)
                if c is not None:
                    c.nullable = False
        # 2. AUTO_INCREMENT: one column, NOT NULL, first column of some index.
        autos = [c for c in table.columns if c.auto_increment]
        if len(autos) > 1 or any(
            not any(
                k.parts and _same(k.parts[0][0], c.name) and k.kind not in ("fulltext", "spatial")
                for k in table.keys
            )
            for c in autos
        ):
            raise _Refused(
                "Incorrect table definition; there can be only one auto column and it must be "
                "defined as a key (MariaDB error 1075)"
            )
        for c in autos:
            c.nullable = False
        # 3. Foreign keys: names, the referenced side, supporting indexes on both sides.
        table.fks.extend(pending.fks)
        _name_fks(table)
        for f in pending.fks:
            self._check_new_fk(table, f)
        self._check_fk_indexes(table, parent_side=not created)
        # 4. Checks: names, duplicates.
        table.checks.extend(pending.checks)
        _name_checks(table, pending.checks)
        seen: set[str] = set()
        for ch in table.all_checks():
            if ch.name.lower() in seen:
                raise _Refused(f"Duplicate CHECK constraint name '{ch.name}' (MariaDB error 1826)")
            seen.add(ch.name.lower())

    def _check_new_fk(self, table: _Table, f: _Fk) -> None:
        assert f.name is not None
        for other in self.tables.values():
            if other.name == table.name:
                continue
            if any(g.name and _same(g.name, f.name) for g in other.fks):
                raise _Refused(
                    f"Can't create table '{table.name}' (errno: 121 \"Duplicate key on write or "
                    f"update\"): foreign key name '{f.name}' is used by table '{other.name}' "
                    "(MariaDB error 1005)"
                )
        if sum(1 for g in table.fks if g.name and _same(g.name, f.name)) > 1:
            raise _Refused(f"Duplicate foreign key constraint name '{f.name}' (MariaDB error 1826)")
        for c in f.columns:
            if table.col(c) is None:
                raise _Refused(f"Key column '{c}' doesn't exist in table (MariaDB error 1072)")
        if not self.fk_checks:
            return
        parent = table if f.ref_table == table.name else self.tables.get(f.ref_table)
        why = self._fk_problem(table, f, parent)
        if why:
            raise _Refused(
                f"Can't create table '{table.name}' (errno: 150 \"Foreign key constraint is "
                f'incorrectly formed"): {why} (MariaDB error 1005)'
            )

    def _fk_problem(self, table: _Table, f: _Fk, parent: _Table | None) -> str | None:
        if parent is None:
            return f"referenced table '{f.ref_table}' does not exist"
        for c, rc in zip(f.columns, f.ref_columns, strict=False):
            child_col, parent_col = table.col(c), parent.col(rc)
            if parent_col is None:
                return f"referenced column '{f.ref_table}.{rc}' does not exist"
            if child_col is not None and not _fk_compatible(child_col.type, parent_col.type):
                return (
                    f"column '{c}' ({child_col.type.sql}) and referenced column "
                    f"'{f.ref_table}.{rc}' ({parent_col.type.sql}) are incompatible"
                )
            if (
                child_col is not None
                and not child_col.nullable
                and "SET NULL"
                in (
                    f.on_delete,
                    f.on_update,
                )
            ):
                return f"column '{c}' is NOT NULL but the foreign key says SET NULL"
        if not any(_covers(k, f.ref_columns) for k in parent.keys):
            return f"no index on '{f.ref_table}' starts with ({', '.join(f.ref_columns)})"
        return None

    def _check_fk_indexes(self, table: _Table, parent_side: bool) -> None:
        """Every foreign key keeps an index on both sides (MariaDB error 1553 otherwise)."""
        for f in table.fks:
            if not any(_covers(k, f.columns) for k in table.keys):
                raise _Refused(
                    f"Cannot drop index needed in a foreign key constraint '{f.name}' "
                    "(MariaDB error 1553)"
                )
        others = [t for t in self.tables.values() if t.name != table.name] if parent_side else []
        for other in [table, *others]:
            for f in other.fks:
                if f.ref_table != table.name or not f.ref_columns:
                    continue
                if all(table.col(c) is not None for c in f.ref_columns) and not any(
                    _covers(k, f.ref_columns) for k in table.keys
                ):
                    raise _Refused(
                        f"Cannot drop index needed in a foreign key constraint '{f.name}' of "
                        f"table '{other.name}' (MariaDB error 1553)"
                    )

    # -- ALTER TABLE ---------------------------------------------------------------------

    def _alter_table(self, st: Statement, origin: Origin) -> None:
        name, actions = _alter_actions(st)
        self._apply_alter(name, actions, st, origin)

    def _apply_alter(
        self, name: str, actions: list[tuple[Any, ...]], st: Statement, origin: Origin
    ) -> None:
        current = self.tables.get(name)
        if current is None:
            raise _Refused(f"Table '{name}' doesn't exist (MariaDB error 1146)")
        t = copy.deepcopy(current)
        pending = _Pending()
        dropped: list[str] = []
        renamed: dict[str, str] = {}  # column old (lower) -> new
        changed_types: list[str] = []
        new_name = name
        for action in actions:
            op = action[0]
            where = Origin(origin.path, action[-1]) if isinstance(action[-1], int) else origin
            if op == "add_column":
                _, cd, position, if_not_exists, line = action
                col = _column(cd, Origin(origin.path, line), t.bytes_per_char, pending)
                if t.col(col.name) is not None:
                    if if_not_exists:
                        self.catalog.note("skipped", f"Column '{col.name}' already exists", origin)
                        continue
                    raise _Refused(f"Duplicate column name '{col.name}' (MariaDB error 1060)")
                _place(t, col, position, len(t.columns))
            elif op == "modify":
                _, cd, old, position, line = action
                self._modify(
                    t, cd, old, position, Origin(origin.path, line), pending, renamed, changed_types
                )
            elif op == "rename_column":
                _, old, new, _line = action
                if t.col(old) is None:
                    raise _Refused(f"Unknown column '{old}' in '{name}' (MariaDB error 1054)")
                if t.col(new) is not None and not _same(old, new):
                    raise _Refused(f"Duplicate column name '{new}' (MariaDB error 1060)")
                _rename_column(t, old, new)
                renamed[old.lower()] = new
            elif op == "drop_column":
                _, column, if_exists, _line = action
                if t.col(column) is None:
                    if if_exists:
                        self.catalog.note("skipped", f"Column '{column}' does not exist", origin)
                        continue
                    raise _Refused(
                        f"Can't DROP COLUMN `{column}`; check that it exists (MariaDB error 1091)"
                    )
                self._drop_column(t, column)
                dropped.append(column)
            elif op == "set_default":
                _, column, value, _line = action
                c = t.col(column)
                if c is None:
                    raise _Refused(f"Unknown column '{column}' in '{name}' (MariaDB error 1054)")
                c.default = _default_sql(value, c.type) if value is not None else None
            elif op == "element":
                _, element, line = action
                _element(element, Origin(origin.path, line), pending)
            elif op == "drop_primary":
                if not any(k.kind == "primary" for k in t.keys):
                    raise _Refused(
                        "Can't DROP INDEX `PRIMARY`; check that it exists (MariaDB error 1091)"
                    )
                t.keys = [k for k in t.keys if k.kind != "primary"]
            elif op == "drop_index":
                _, index, if_exists, _line = action
                key = t.key(index)
                if key is None:
                    if if_exists:
                        self.catalog.note("skipped", f"Index '{index}' does not exist", origin)
                        continue
                    raise _Refused(
                        f"Can't DROP INDEX `{index}`; check that it exists (MariaDB error 1091)"
                    )
                t.keys.remove(key)
            elif op == "drop_fk":
                _, fk_name, if_exists, _line = action
                fk = next((f for f in t.fks if f.name and _same(f.name, fk_name)), None)
                if fk is None:
                    if if_exists:
                        self.catalog.note(
                            "skipped", f"Foreign key '{fk_name}' does not exist", origin
                        )
                        continue
                    raise _Refused(
                        f"Can't DROP FOREIGN KEY `{fk_name}`; check that it exists "
                        "(MariaDB error 1091)"
                    )
                t.fks.remove(fk)
            elif op in ("drop_check", "drop_constraint"):
                _, cname, if_exists, _line = action
                if not self._drop_constraint(t, cname, op == "drop_check"):
                    if if_exists:
                        self.catalog.note("skipped", f"Constraint '{cname}' does not exist", origin)
                        continue
                    what = "CHECK" if op == "drop_check" else "CONSTRAINT"
                    raise _Refused(
                        f"Can't DROP {what} `{cname}`; check that it exists (MariaDB error 1091)"
                    )
            elif op == "rename_index":
                _, old, new, _line = action
                key = t.key(old)
                if key is None:
                    raise _Refused(
                        f"Key '{old}' doesn't exist in table '{name}' (MariaDB error 1176)"
                    )
                if t.key(new) is not None and not _same(old, new):
                    raise _Refused(f"Duplicate key name '{new}' (MariaDB error 1061)")
                key.name = new
            elif op == "rename_table":
                _, target, _line = action
                if target != name and (target in self.tables):
                    raise _Refused(f"Table '{target}' already exists (MariaDB error 1050)")
                new_name = target
            elif op == "note":
                _, message, _line = action
                self.catalog.note("unsupported", message, where)
            else:  # pragma: no cover - every action kind is listed above
                raise _Refused(f"unsupported ALTER TABLE action {op}")
        self._finish_drops(t, dropped)
        if not t.columns:
            raise _Refused(
                "You can't delete all columns with ALTER TABLE; use DROP TABLE instead "
                "(MariaDB error 1090)"
            )
        if self.fk_checks:
            self._check_type_changes(t, changed_types)
        # Other tables' foreign keys follow renamed columns of this table.
        others = {n: tb for n, tb in self.tables.items() if n != name}
        saved = self.tables
        self.tables = {**others, name: t}
        try:
            self._propagate_column_renames(name, renamed, self_too=True)
            self._prepare(t, pending, created=False)
        except _Refused:
            self.tables = saved
            raise
        self.tables = saved
        self._propagate_column_renames(name, renamed, self_too=False)
        if new_name != name:
            self._commit_rename([(name, new_name)], {name: t})
        else:
            self.tables[name] = t

    def _modify(
        self,
        t: _Table,
        cd: exp.ColumnDef,
        old: str | None,
        position: tuple[str, str | None] | None,
        origin: Origin,
        pending: _Pending,
        renamed: dict[str, str],
        changed_types: list[str],
    ) -> None:
        new_name = _ident(cd.this)
        source = old or new_name
        at = t.col_at(source)
        if at < 0:
            raise _Refused(f"Unknown column '{source}' in '{t.name}' (MariaDB error 1054)")
        if not _same(source, new_name) and t.col(new_name) is not None:
            raise _Refused(f"Duplicate column name '{new_name}' (MariaDB error 1060)")
        previous = t.columns[at]
        col = _column(cd, origin, t.bytes_per_char, pending)
        if _type_changed(previous.type, col.type):
            changed_types.append(col.name)
        if not _same(source, new_name):
            _rename_column(t, source, new_name)
            renamed[source.lower()] = new_name
        t.columns[at] = col
        if position is not None:
            del t.columns[at]
            _place(t, col, position, at)

    def _drop_column(self, t: _Table, column: str) -> None:
        for f in t.fks:
            if any(_same(c, column) for c in f.columns):
                raise _Refused(
                    f"Cannot drop column '{column}': needed in a foreign key constraint "
                    f"'{f.name}' (MariaDB error 1828)"
                )
        for other in self.tables.values():
            for f in other.fks:
                if f.ref_table == t.name and any(_same(c, column) for c in f.ref_columns):
                    if other.name == t.name and any(_same(c, column) for c in f.columns):
                        continue
                    raise _Refused(
                        f"Cannot drop column '{column}': needed in a foreign key constraint "
                        f"'{f.name}' of table '{other.name}' (MariaDB error 1829)"
                    )
        t.columns = [c for c in t.columns if not _same(c.name, column)]

    def _finish_drops(self, t: _Table, dropped: list[str]) -> None:
        """Keys and checks lose dropped columns; a unique key cannot lose only some."""
        if not dropped:
            return
        gone = {d.lower() for d in dropped}
        keys: list[_Key] = []
        for key in t.keys:
            left = [p for p in key.parts if p[0].lower() not in gone]
            if not left:
                continue
            if len(left) != len(key.parts) and key.kind in ("primary", "unique"):
                missing = next(p[0] for p in key.parts if p[0].lower() in gone)
                raise _Refused(
                    f"Key column '{missing}' doesn't exist in table (MariaDB error 1072)"
                )
            key.parts = left
            keys.append(key)
        t.keys = keys
        t.checks = [ch for ch in t.checks if not (ch.columns & gone)]

    def _drop_constraint(self, t: _Table, name: str, checks_only: bool) -> bool:
        for ch in t.checks:
            if _same(ch.name, name):
                t.checks.remove(ch)
                return True
        for c in t.columns:
            if c.check is not None and _same(c.check.name, name):
                c.check = None
                return True
        if checks_only:
            return False
        for f in t.fks:
            if f.name and _same(f.name, name):
                t.fks.remove(f)
                return True
        key = t.key(name)
        if key is not None and key.kind == "unique":
            t.keys.remove(key)
            return True
        return False

    def _check_type_changes(self, t: _Table, changed: list[str]) -> None:
        for column in changed:
            for f in t.fks:
                if any(_same(c, column) for c in f.columns):
                    raise _Refused(
                        f"Cannot change column '{column}': used in a foreign key constraint "
                        f"'{f.name}' (MariaDB error 1832)"
                    )
            for other in self.tables.values():
                for f in other.fks:
                    if f.ref_table == t.name and any(_same(c, column) for c in f.ref_columns):
                        raise _Refused(
                            f"Cannot change column '{column}': used in a foreign key constraint "
                            f"'{f.name}' of table '{other.name}' (MariaDB error 1833)"
                        )

    def _propagate_column_renames(
        self, table: str, renamed: dict[str, str], self_too: bool
    ) -> None:
        if not renamed:
            return
        for other in self.tables.values():
            if (other.name == table) != self_too:
                continue
            for f in other.fks:
                if f.ref_table == table:
                    f.ref_columns = [renamed.get(c.lower(), c) for c in f.ref_columns]

    # -- CREATE / DROP INDEX, DROP TABLE, RENAME TABLE -----------------------------------

    def _create_index(self, st: Statement, origin: Origin) -> None:
        """CREATE INDEX is ALTER TABLE ... ADD INDEX in MariaDB (sql_yacc.yy)."""
        table, kind, index, if_not_exists, parts_text = _create_index_parts(st)
        if table is None:
            raise _Refused(_syntax_message(ParseError("could not read CREATE INDEX")))
        current = self.tables.get(table)
        if current is not None and if_not_exists and current.key(index) is not None:
            self.catalog.note("skipped", f"Index '{index}' already exists", origin)
            return
        quoted = index.replace("`", "``")
        sql = f"CREATE TABLE _x ({kind} `{quoted}` {parts_text})"
        parsed = _parse(sql)
        element = parsed.this.expressions[0]
        self._apply_alter(table, [("element", element, st.line)], st, origin)

    def _drop_index(self, st: Statement, origin: Origin) -> None:
        parsed = _parse(st.text)
        on = parsed.args.get("cluster")
        table = _ident(on.this) if on is not None else ""
        index = _ident(parsed.args["tables"][0]) if parsed.args.get("tables") else ""
        if not table:
            raise _Refused(_syntax_message(ParseError("DROP INDEX needs ON <table>")))
        action: tuple[Any, ...] = (
            ("drop_primary", st.line)
            if _same(index, "PRIMARY")
            else ("drop_index", index, bool(parsed.args.get("exists")), st.line)
        )
        self._apply_alter(table, [action], st, origin)

    def _drop_table(self, st: Statement, origin: Origin) -> None:
        parsed = _parse(st.text)
        if not isinstance(parsed, exp.Drop):
            raise _Refused(_syntax_message(ParseError("could not read DROP TABLE")))
        if parsed.args.get("temporary"):
            self.catalog.note("temporary", "DROP TEMPORARY TABLE is not modelled", origin)
            return
        names = [_ident(t) for t in parsed.args.get("tables") or []]
        missing: list[str] = []
        refused: str | None = None
        for name in names:
            if name not in self.tables:
                missing.append(name)
                continue
            try:
                self._check_droppable([name], origin)
            except _Refused as error:
                refused = refused or str(error)
                continue
            del self.tables[name]
            self.triggers = {k: v for k, v in self.triggers.items() if v != name}
        if refused:
            raise _Refused(refused)
        if missing and not parsed.args.get("exists"):
            raise _Refused(f"Unknown table '{','.join(missing)}' (MariaDB error 1051)")
        if missing:
            self.catalog.note("skipped", f"Unknown table '{','.join(missing)}' (IF EXISTS)", origin)

    def _check_droppable(self, names: list[str], origin: Origin) -> None:
        if not self.fk_checks:
            return
        for other in self.tables.values():
            if other.name in names:
                continue
            for f in other.fks:
                if f.ref_table in names:
                    raise _Refused(
                        "Cannot delete or update a parent row: a foreign key constraint fails: "
                        f"'{other.name}' references '{f.ref_table}' through '{f.name}' "
                        "(MariaDB error 1451)"
                    )

    def _rename_tables(self, st: Statement, origin: Origin) -> None:
        pairs = _rename_pairs(st)
        if not pairs:
            raise _Refused(_syntax_message(ParseError("could not read RENAME TABLE")))
        present = set(self.tables)
        for old, new in pairs:  # the whole statement is checked before anything moves
            if old not in present:
                raise _Refused(f"Table '{old}' doesn't exist (MariaDB error 1146)")
            if new in present:
                raise _Refused(f"Table '{new}' already exists (MariaDB error 1050)")
            present.remove(old)
            present.add(new)
        for old, new in pairs:
            self._commit_rename([(old, new)], {})
            self.tables[new].origin = Origin(origin.path, st.line)

    def _commit_rename(self, pairs: list[tuple[str, str]], replacing: dict[str, _Table]) -> None:
        for old, new in pairs:
            table = replacing.get(old) or self.tables[old]
            table.name = new
            self.tables = {
                (new if k == old else k): (table if k == old else v) for k, v in self.tables.items()
            }
            for f in table.fks:  # InnoDB renames generated names: old_ibfk_1 -> new_ibfk_1
                m = _IBFK.match(f.name or "")
                if m and m.group(1) == old:
                    f.name = f"{new}_ibfk_{m.group(2)}"
            for other in self.tables.values():
                for f in other.fks:
                    if f.ref_table == old:
                        f.ref_table = new
            self.triggers = {k: (new if v == old else v) for k, v in self.triggers.items()}

    # -- triggers, data, session ---------------------------------------------------------

    def _create_trigger(self, st: Statement, origin: Origin) -> None:
        name, table, if_not_exists = _trigger_parts(st)
        if name and name.lower() in self.triggers:
            if if_not_exists:
                self.catalog.note("trigger", f"Trigger '{name}' already exists", origin)
                return
            raise _Refused(f"Trigger '{name}' already exists (MariaDB error 1359)")
        if table and table not in self.tables:
            raise _Refused(f"Table '{table}' doesn't exist (MariaDB error 1146)")
        if name:
            self.triggers[name.lower()] = table or ""
        self.catalog.note("trigger", f"CREATE TRIGGER {name} ON {table} is not modelled", origin)

    def _drop_trigger(self, st: Statement, origin: Origin) -> None:
        words = [w for w in st.words if w]
        if_exists = "EXISTS" in words[:5]
        names = [
            tk.text
            for tk in st.tokens[2:]
            if tk.token_type in (TokenType.VAR, TokenType.IDENTIFIER)
            and tk.text.upper() not in ("IF", "EXISTS")
        ]
        name = names[-1] if names else ""
        if name.lower() not in self.triggers:
            if if_exists:
                self.catalog.note("trigger", f"Trigger '{name}' does not exist", origin)
                return
            raise _Refused(f"Trigger does not exist: '{name}' (MariaDB error 1360)")
        del self.triggers[name.lower()]
        self.catalog.note("trigger", f"DROP TRIGGER {name} is not modelled", origin)

    def _data(self, st: Statement, origin: Origin) -> None:
        """Data statements are notes, but one on a missing table or column fails in MariaDB."""
        target, columns = _data_target(st)
        if target is not None:
            table = self.tables.get(target)
            if table is None:
                raise _Refused(f"Table '{target}' doesn't exist (MariaDB error 1146)")
            for c in columns:
                if table.col(c) is None:
                    raise _Refused(f"Unknown column '{c}' in 'field list' (MariaDB error 1054)")
        head = next(w for w in st.words if w)
        self.catalog.note(
            "data", f"{head} {target or ''} is not modelled".replace("  ", " "), origin
        )

    def _set(self, st: Statement, origin: Origin) -> None:
        for match in _FK_CHECKS.finditer(st.text):
            value = match.group(1).upper()
            if value in ("0", "OFF", "FALSE"):
                self.fk_checks = False
            elif value in ("1", "ON", "TRUE") or value.startswith("@"):
                self.fk_checks = True  # @OLD_FOREIGN_KEY_CHECKS: mysqldump's restore
        self.catalog.note("session", "SET is not modelled", origin)


# ---------------------------------------------------------------------------------------
# Statement anatomy from tokens (for what sqlglot does not parse)


def _created_object(words: tuple[str, ...]) -> str | None:
    for w in words[1:]:
        if w in ("TABLE", "INDEX", *_NOTE_KINDS):
            return w
        if w in ("UNIQUE", "FULLTEXT", "SPATIAL"):
            return "INDEX"
    return None


def _word_after(words: list[str], skip: tuple[str, ...]) -> str | None:
    for w in words:
        if w not in skip and "=" not in w:
            return w
    return None


def _like_source(parsed: exp.Create) -> str | None:
    like = parsed.find(exp.LikeProperty)
    return _ident(like.this) if like is not None else None


def _table_charset(parsed: exp.Create) -> int | None:
    prop = parsed.find(exp.CharacterSetProperty)
    if prop is None:
        return None
    return mytypes.CHARSET_BYTES.get(prop.name.lower())


def _place(t: _Table, col: _Col, position: tuple[str, str | None] | None, default_at: int) -> None:
    if position is None:
        t.columns.insert(default_at, col)
        return
    where, after = position
    if where == "FIRST":
        t.columns.insert(0, col)
        return
    assert after is not None
    at = t.col_at(after)
    if at < 0:
        raise _Refused(f"Unknown column '{after}' in '{t.name}' (MariaDB error 1054)")
    t.columns.insert(at + 1, col)


def _rename_column(t: _Table, old: str, new: str) -> None:
    """Rename a column in the table and everything of the table that names it."""
    for c in t.columns:
        if _same(c.name, old):
            c.name = new
    for k in t.keys:
        k.parts = [(new if _same(c, old) else c, n) for c, n in k.parts]
    for f in t.fks:
        f.columns = [new if _same(c, old) else c for c in f.columns]
        if f.ref_table == t.name:
            f.ref_columns = [new if _same(c, old) else c for c in f.ref_columns]
    for ch in t.checks:
        if old.lower() in ch.columns:
            ch.columns = (ch.columns - {old.lower()}) | {new.lower()}


def _type_changed(a: Type, b: Type) -> bool:
    """A change InnoDB refuses on a foreign-key column (display widths do not count)."""
    if a.family in ("integer", "boolean") and b.family in ("integer", "boolean"):
        return _fk_class(a) != _fk_class(b)
    return a.sql != b.sql


def _fk_compatible(a: Type, b: Type) -> bool:
    """InnoDB's rule: same integer type and signedness; strings of any length; else equal."""
    return _fk_class(a) == _fk_class(b)


def _fk_class(t: Type) -> str:
    sql = t.sql
    if t.family in ("integer", "boolean"):
        base = sql.split("(")[0].split()[0]
        return base + (" unsigned" if "unsigned" in sql else "")
    if t.family == "text" and sql.startswith(("char", "varchar")):
        return "string"
    if t.family == "binary" and sql.startswith(("binary", "varbinary")):
        return "bytes"
    return sql


def _alter_actions(st: Statement) -> tuple[str, list[tuple[Any, ...]]]:
    """The table name and the actions of an ALTER TABLE, one sqlglot parse or one per action."""
    try:
        parsed = _parse(st.text)
    except ParseError:
        parsed = None
    if isinstance(parsed, exp.Alter) and parsed.args.get("kind", "").upper() == "TABLE":
        actions: list[tuple[Any, ...]] = []
        for a in parsed.args.get("actions") or []:
            actions.extend(_action(a, st.line))
        return _ident(parsed.this), actions
    return _alter_by_parts(st)


def _alter_by_parts(st: Statement) -> tuple[str, list[tuple[Any, ...]]]:
    """ALTER TABLE that sqlglot cannot read whole: split at top-level commas, read each."""
    tokens = list(st.tokens)
    i = 0
    while i < len(tokens) and tokens[i].text.upper() != "TABLE":
        i += 1
    if i + 1 >= len(tokens):
        raise ParseError("could not read ALTER TABLE")
    j = i + 1
    name = tokens[j].text
    j += 1
    while j + 1 < len(tokens) and tokens[j].token_type == TokenType.DOT:
        name = tokens[j + 1].text
        j += 2
    t0 = tokens[0].start  # token offsets count from the segment the tokens were read in
    actions: list[tuple[Any, ...]] = []
    for group in _top_level_groups(tokens[j:]):
        text = st.text[group[0].start - t0 : group[-1].end + 1 - t0]
        line = st.line + group[0].line - tokens[0].line
        actions.extend(_one_action(text, line))
    return name, actions


def _top_level_groups(tokens: list[Token]) -> list[list[Token]]:
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


_ADD = re.compile(r"\A\s*ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?\(", re.IGNORECASE)
_ADD_ELEMENT = re.compile(r"\A\s*ADD\s+", re.IGNORECASE)


def _one_action(text: str, line: int) -> list[tuple[Any, ...]]:
    """One ALTER TABLE action: through sqlglot, else as a CREATE TABLE element."""
    text = re.sub(r"\A(\s*RENAME)\s+AS\s+", r"\1 TO ", text, flags=re.IGNORECASE)
    try:
        parsed = _parse(f"ALTER TABLE _x {text}")
    except ParseError:
        parsed = None
    if isinstance(parsed, exp.Alter) and parsed.args.get("actions"):
        return [x for a in parsed.args["actions"] for x in _action(a, line)]
    if isinstance(parsed, exp.Alter) and parsed.args.get("options"):
        return []  # table options (ENGINE=, ALGORITHM=, ...) do not change the schema
    if _ADD.match(text):  # ADD [COLUMN] (a INT, b INT)
        inner = text[text.index("(") :]
        body = _parse(f"CREATE TABLE _x {inner}")
        return [("add_column", cd, None, False, line) for cd in body.this.expressions]
    if _ADD_ELEMENT.match(text):  # ADD CHECK (...), ADD CONSTRAINT c CHECK (...), ...
        element_text = _ADD_ELEMENT.sub("", text, count=1)
        body = _parse(f"CREATE TABLE _x ({element_text})")
        return [("element", e, line) for e in body.this.expressions]
    if parsed is None:
        _parse(f"ALTER TABLE _x {text}")  # raises the syntax error
    return [("note", f"ALTER TABLE action not modelled: {text.strip()[:60]}", line)]


def _position(cd: exp.Expression) -> tuple[str, str | None] | None:
    pos = cd.args.get("position")
    if pos is None:
        return None
    where = str(pos.args.get("position") or "").upper()
    if where == "FIRST":
        return ("FIRST", None)
    return ("AFTER", _ident(pos.this))


def _action(a: exp.Expression, line: int) -> list[tuple[Any, ...]]:
    """sqlglot's ALTER TABLE action as the replay's own small tuple."""
    at = _line_of(a, line)
    if isinstance(a, exp.ColumnDef):
        return [("add_column", a, _position(a), bool(a.args.get("exists")), at)]
    if isinstance(a, exp.ModifyColumn):
        cd = a.this
        old = _ident(a.args.get("rename_from")) or None
        return [("modify", cd, old, _position(cd), at)]
    if isinstance(a, exp.RenameColumn):
        return [("rename_column", _ident(a.this), _ident(a.args.get("to")), at)]
    if isinstance(a, exp.AlterColumn):
        column = _ident(a.this)
        if a.args.get("drop"):
            return [("set_default", column, None, at)]
        if a.args.get("default") is not None:
            return [("set_default", column, a.args["default"], at)]
        return [("note", f"ALTER COLUMN {column} is not modelled", at)]
    if isinstance(a, exp.AddConstraint):
        return [("element", e, at) for e in a.expressions]
    if isinstance(a, exp.DropPrimaryKey):
        return [("drop_primary", at)]
    if isinstance(a, exp.Drop):
        kind = str(a.args.get("kind") or "").upper()
        names = [_ident(t) for t in a.args.get("tables") or []]
        exists = bool(a.args.get("exists"))
        ops = {
            "COLUMN": "drop_column",
            "INDEX": "drop_index",
            "KEY": "drop_index",
            "FOREIGN KEY": "drop_fk",
            "CHECK": "drop_check",
            "CONSTRAINT": "drop_constraint",
        }
        if kind in ops:
            out: list[tuple[Any, ...]] = []
            for n in names:
                if ops[kind] == "drop_index" and _same(n, "PRIMARY"):
                    out.append(("drop_primary", at))
                else:
                    out.append((ops[kind], n, exists, at))
            return out
        return [("note", f"ALTER TABLE DROP {kind} is not modelled", at)]
    if isinstance(a, exp.AlterRename):
        return [("rename_table", _ident(a.this), at)]
    if type(a).__name__ == "RenameIndex":
        return [("rename_index", _ident(a.this), _ident(a.args.get("to")), at)]
    return [("note", f"ALTER TABLE action not modelled: {a.sql(dialect='mysql')[:60]}", at)]


_CREATE_INDEX = re.compile(
    r"\A\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:(UNIQUE|FULLTEXT|SPATIAL)\s+)?INDEX\s+"
    r"(IF\s+NOT\s+EXISTS\s+)?(`(?:[^`]|``)+`|[\w$]+)\s*(?:USING\s+\w+\s+)?ON\s+"
    r"(?:(?:`(?:[^`]|``)+`|[\w$]+)\s*\.\s*)?(`(?:[^`]|``)+`|[\w$]+)\s*(\(.*)\Z",
    re.IGNORECASE | re.DOTALL,
)


def _unquote(name: str) -> str:
    return name[1:-1].replace("``", "`") if name.startswith("`") else name


def _create_index_parts(st: Statement) -> tuple[str | None, str, str, bool, str]:
    m = _CREATE_INDEX.match(st.text)
    if not m:
        return None, "", "", False, ""
    kind = {"UNIQUE": "UNIQUE KEY", "FULLTEXT": "FULLTEXT KEY", "SPATIAL": "SPATIAL KEY"}.get(
        (m.group(1) or "").upper(), "KEY"
    )
    parts = _balanced_parens(m.group(5))
    return _unquote(m.group(4)), kind, _unquote(m.group(3)), bool(m.group(2)), parts


def _balanced_parens(text: str) -> str:
    depth = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return text[: i + 1]
    return text


def _names(tokens: list[Token]) -> list[str]:
    return [tk.text for tk in tokens if tk.token_type not in (TokenType.DOT,)]


def _rename_pairs(st: Statement) -> list[tuple[str, str]]:
    """RENAME TABLE a TO b [, c TO d ...] from tokens (sqlglot reads it as a Command)."""
    pairs: list[tuple[str, str]] = []
    for group in _top_level_groups(list(st.tokens[2:])):
        texts = [tk.text for tk in group]
        upper = [
            t.upper() if tk.token_type not in _LITERALS else ""
            for t, tk in zip(texts, group, strict=True)
        ]
        if "TO" not in upper:
            return []
        at = upper.index("TO")
        old, new = _last_name(group[:at]), _last_name(group[at + 1 :])
        if not old or not new:
            return []
        pairs.append((old, new))
    return pairs


def _last_name(tokens: list[Token]) -> str:
    names = [tk.text for tk in tokens if tk.token_type != TokenType.DOT]
    return names[-1] if names else ""


def _trigger_parts(st: Statement) -> tuple[str, str, bool]:
    tokens = list(st.tokens)
    upper = [tk.text.upper() if tk.token_type not in _LITERALS else "" for tk in tokens]
    if "TRIGGER" not in upper:
        return "", "", False
    at = upper.index("TRIGGER") + 1
    if_not_exists = upper[at : at + 3] == ["IF", "NOT", "EXISTS"]
    if if_not_exists:
        at += 3
    name_tokens: list[Token] = []
    while at < len(tokens) and upper[at] not in ("BEFORE", "AFTER"):
        name_tokens.append(tokens[at])
        at += 1
    table = ""
    if "ON" in upper[at:]:
        on = upper.index("ON", at) + 1
        table_tokens: list[Token] = []
        while on < len(tokens) and upper[on] not in ("FOR", "FOLLOWS", "PRECEDES"):
            table_tokens.append(tokens[on])
            on += 1
        table = _last_name(table_tokens)
    return _last_name(name_tokens), table, if_not_exists


_INSERT_SKIP = frozenset({"LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "INTO", "QUICK"})


def _data_target(st: Statement) -> tuple[str | None, list[str]]:
    """The table an INSERT/REPLACE/UPDATE/DELETE FROM/TRUNCATE names, and INSERT's columns."""
    tokens = list(st.tokens)
    upper = [tk.text.upper() if tk.token_type not in _LITERALS else "" for tk in tokens]
    head = upper[0] if upper else ""
    i = 1
    if head in ("INSERT", "REPLACE"):
        while i < len(upper) and upper[i] in _INSERT_SKIP:
            i += 1
    elif head == "UPDATE":
        while i < len(upper) and upper[i] in ("LOW_PRIORITY", "IGNORE"):
            i += 1
    elif head == "DELETE":
        while i < len(upper) and upper[i] in ("LOW_PRIORITY", "QUICK", "IGNORE"):
            i += 1
        if i >= len(upper) or upper[i] != "FROM":
            return None, []
        i += 1
    elif head == "TRUNCATE":
        if i < len(upper) and upper[i] == "TABLE":
            i += 1
    else:
        return None, []
    if i >= len(tokens) or tokens[i].token_type not in (TokenType.VAR, TokenType.IDENTIFIER):
        return None, []
    name = tokens[i].text
    i += 1
    if i + 1 < len(tokens) and tokens[i].token_type == TokenType.DOT:
        name = tokens[i + 1].text
        i += 2
    if head == "UPDATE" and i < len(upper) and upper[i] not in ("SET",):
        return None, []  # a multi-table UPDATE: not checked
    if head == "DELETE" and i < len(upper) and upper[i] in ("USING", ","):
        return None, []
    columns: list[str] = []
    if (
        head in ("INSERT", "REPLACE")
        and i < len(tokens)
        and tokens[i].token_type == TokenType.L_PAREN
    ):
        i += 1
        while i < len(tokens) and tokens[i].token_type != TokenType.R_PAREN:
            if tokens[i].token_type in (TokenType.VAR, TokenType.IDENTIFIER) or (
                tokens[i].token_type not in _LITERALS
                and tokens[i].token_type != TokenType.COMMA
                and tokens[i].text.isidentifier()
            ):
                columns.append(tokens[i].text)
            i += 1
    return name, columns
