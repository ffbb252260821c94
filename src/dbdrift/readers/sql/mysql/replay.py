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
from typing import Any, ClassVar

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
        KEYWORDS: ClassVar[dict[str, TokenType]] = {
            **MySQL.Tokenizer.KEYWORDS,
            **{k: TokenType[v] for k, v in mytypes.TOKENIZER_FIXES.items()},
        }
        # sqlglot swallows the rest of RENAME/REPLACE/LOCK TABLES ... statements into one
        # string token; the replay reads them from their tokens, and a custom DELIMITER must
        # stay visible inside them.
        COMMANDS: ClassVar[set[TokenType]] = set()


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


def split(text: str) -> list[Statement]:
    """Statements in the order the ``mysql`` client would send them."""
    text = _unhide_executable_comments(text)
    lines = LineIndex(text)
    out: list[Statement] = []
    delimiter = ";"
    pos = 0
    candidates = list(_DELIMITER_LINE.finditer(text))
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
    tokenizer = DbdriftMariaDB.Tokenizer()
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
        # Statements are ordered and disjoint: only the last one begun before the line
        # can still be open at its start.
        owner = next((p for p in reversed(out) if p.start < line_start), None)
        open_at_start = owner is not None and line_start < owner.end
        client = owner.client_line if owner is not None and open_at_start else st.line
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
    bytes_per_char: int = 4  # of its character set, for index length limits


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
    if isinstance(e, exp.HexString):
        return "0x" + str(e.this)
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
    if _is_lob(typ) and isinstance(
        inner, exp.Literal | exp.Neg | exp.HexString | exp.BitString | exp.Boolean
    ):
        # TEXT/BLOB/JSON defaults are kept as expressions: a number stays as written.
        return _print_expr(inner)
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
class _ColumnDef:
    """ADD (``old is None``), MODIFY or CHANGE of one column in an ALTER TABLE."""

    old: str | None
    col: _Col
    position: tuple[str, str | None] | None
    matched: bool = False


@dataclass
class _ColumnPlan:
    """The column actions of one ALTER TABLE, applied together at its end."""

    defs: list[_ColumnDef] = field(default_factory=list)
    renames: list[tuple[str, str]] = field(default_factory=list)
    drops: list[str] = field(default_factory=list)
    defaults: list[tuple[str, exp.Expression | None]] = field(default_factory=list)

    def touched(self) -> bool:
        return bool(self.defs or self.renames or self.drops or self.defaults)


@dataclass
class _Pending:
    """What one statement adds besides columns: keys, foreign keys, checks."""

    keys: list[_Key] = field(default_factory=list)
    fks: list[_Fk] = field(default_factory=list)
    checks: list[_Check] = field(default_factory=list)


def _column_type(
    kind: exp.DataType | None, constraints: list[exp.Expression], bpc: int | None
) -> tuple[Type, int]:
    """The column's type, and the bytes per character of its character set."""
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
    return typ, bpc or mytypes.FLAVOURS[FLAVOUR].bytes_per_char


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
    typ, width = _column_type(kind, constraints, bpc)
    col = _Col(name, typ, True, None, False, None, origin, bytes_per_char=width)
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
    inline_primary = any(
        isinstance(c.args.get("kind"), exp.PrimaryKeyColumnConstraint) for c in constraints
    )
    _check_specifier(name, typ, col.auto_increment, inline_primary, explicit_default)
    if explicit_default is not None:
        col.default = _default_sql(explicit_default, typ)
        if col.default is None and not col.nullable and not col.auto_increment:
            raise _Refused(f"Invalid default value for '{name}' (MariaDB error 1067)")
        if col.default is not None and not mytypes.valid_default(col.default, typ):
            raise _Refused(f"Invalid default value for '{name}' (MariaDB error 1067)")
        literal = explicit_default
        if (
            isinstance(literal, exp.Literal)
            and literal.is_string
            and typ.family == "text"
            and typ.length is not None
            and len(literal.this) > typ.length
        ):  # strict mode: a default that does not fit
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


MAX_KEY_BYTES = 3072  # InnoDB with the default DYNAMIC row format

# Key part widths of fixed-size types, in bytes (close enough for the 3072-byte limit).
_LOBS = ("tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob")


def _is_lob(t: Type) -> bool:
    return t.sql.split("(")[0] in _LOBS or t.family == "json"


def _part_bytes(col: _Col, prefix: int | None) -> int | None:
    """Bytes a key part takes; ``None`` for a TEXT/BLOB without a prefix length."""
    t = col.type
    if _is_lob(t):
        return (
            None if prefix is None else prefix * (col.bytes_per_char if t.family != "binary" else 1)
        )
    if t.length is not None:
        n = t.length if prefix is None else min(prefix, t.length)
        return n * (col.bytes_per_char if t.family == "text" else 1)
    return 8


def _check_key_length(table: _Table, key: _Key) -> None:
    """MariaDB: a unique key of any length becomes a hash; a one-column index is silently
    shortened; a primary key or a multi-column index over the limit is refused."""
    if key.kind in ("unique", "fulltext", "spatial"):
        return
    sizes = []
    for column, prefix in key.parts:
        col = table.col(column)
        if col is None:
            return
        size = _part_bytes(col, prefix)
        if size is None and key.kind == "primary":
            raise _Refused(
                f"BLOB/TEXT column '{col.name}' used in key specification without a key "
                "length (MariaDB error 1170)"
            )
        sizes.append(size)
    if key.kind == "index" and len(sizes) == 1:
        return
    if any(size is None for size in sizes) or sum(s or 0 for s in sizes) > MAX_KEY_BYTES:
        raise _Refused(
            f"Specified key was too long; max key length is {MAX_KEY_BYTES} bytes "
            "(MariaDB error 1071)"
        )


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
        head = words[0].split()[0]  # "LOCK TABLES" is one keyword token
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
                _check_column_specifiers(schema)  # the parser's checks still run
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
        if existing is not None:
            # CREATE OR REPLACE: what the parser refuses keeps the old table; after that the
            # old table is dropped first, so a definition refused later leaves none at all.
            _check_column_specifiers(schema)
            self._check_droppable([name], origin)
            del self.tables[name]
            self.triggers = {k: v for k, v in self.triggers.items() if v != name}
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
        self._prepare(table, pending, created=True)
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

    def _prepare(
        self, table: _Table, pending: _Pending, created: bool, before: list[_Key] | None = None
    ) -> None:
        """Finish a table definition the way mysql_prepare_create_table does, or refuse it.

        `before` holds, for an ALTER TABLE, the keys the table had before the statement.
        """
        # 1. Keys: columns exist, one primary key, implicit NOT NULL, redundant FK indexes.
        table.keys.extend(pending.keys)
        for key in table.keys:
            names = [c.lower() for c, _ in key.parts]
            for column in names:
                if names.count(column) > 1:
                    raise _Refused(f"Duplicate column name '{column}' (MariaDB error 1060)")
            for column, _ in key.parts:
                if table.col(column) is None:
                    raise _Refused(
                        f"Key column '{column}' doesn't exist in table (MariaDB error 1072)"
                    )
        for key in pending.keys:
            for column, prefix in key.parts:
                col = table.col(column)
                if prefix is None or col is None:
                    continue
                if col.type.family not in ("text", "binary", "json") or (
                    col.type.length is not None and prefix > col.type.length
                ):
                    raise _Refused(
                        "Incorrect prefix key; the used key part isn't a string, the used "
                        "length is longer than the key part, or the storage engine doesn't "
                        "support unique prefix keys (MariaDB error 1089)"
                    )
        if sum(1 for k in table.keys if k.kind == "primary") > 1:
            raise _Refused("Multiple primary key defined (MariaDB error 1068)")
        primary = next((k for k in table.keys if k.kind == "primary"), None)
        table.keys = _prune_generated(table.keys)
        _name_keys(table.keys)
        for key in table.keys:
            _check_key_length(table, key)
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
            self._check_new_fk(table, f, before)
        if self.fk_checks:  # with FOREIGN_KEY_CHECKS=0 MariaDB lets either index go
            self._check_fk_indexes(table, parent_side=not created)
        # 4. Checks: names, duplicates.
        for ch in pending.checks:
            for column in sorted(ch.columns):
                if table.col(column) is None:
                    raise _Refused(f"Unknown column '{column}' in 'CHECK' (MariaDB error 1054)")
        table.checks.extend(pending.checks)
        _name_checks(table, pending.checks)
        autos_low = {c.name.lower() for c in autos}
        # Columns a foreign key may change by itself (ON UPDATE CASCADE, SET NULL) cannot be
        # checked; ON DELETE CASCADE deletes the row and does not count.
        acted = {
            c.lower()
            for f in table.fks
            if f.on_update in ("CASCADE", "SET NULL", "SET DEFAULT")
            or f.on_delete in ("SET NULL", "SET DEFAULT")
            for c in f.columns
        }
        for ch in table.all_checks():
            if ch.columns & autos_low:
                raise _Refused(
                    "Function or expression 'AUTO_INCREMENT' cannot be used in the CHECK clause "
                    f"of `{ch.name}` (MariaDB error 1901)"
                )
            if ch.columns & acted:
                column = sorted(ch.columns & acted)[0]
                raise _Refused(
                    f"Function or expression '{column}' cannot be used in the CHECK clause of "
                    f"`{ch.name}` (MariaDB error 1901)"
                )
        seen: set[str] = set()
        for ch in table.all_checks():
            if ch.name.lower() in seen:
                raise _Refused(f"Duplicate CHECK constraint name '{ch.name}' (MariaDB error 1826)")
            seen.add(ch.name.lower())

    def _check_new_fk(self, table: _Table, f: _Fk, before: list[_Key] | None) -> None:
        """Refuse a new foreign key as InnoDB would; `before` holds, for an ALTER TABLE, the
        keys the table had before it (a self-reference may only use one of those)."""
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
        # FOREIGN_KEY_CHECKS=0 only excuses a referenced table that does not exist (yet);
        # an existing one is checked all the same.
        parent = table if f.ref_table == table.name else self.tables.get(f.ref_table)
        why = self._fk_problem(table, f, parent, missing_ok=not self.fk_checks)
        # For a self-reference InnoDB looks for the referenced index in the table as it was.
        if (
            why is None
            and parent is table
            and before is not None
            and not any(_covers(k, f.ref_columns) for k in before)
        ):
            why = "a self-reference needs an index the table had before this statement"
        if why:
            raise _Refused(
                f"Can't create table '{table.name}' (errno: 150 \"Foreign key constraint is "
                f'incorrectly formed"): {why} (MariaDB error 1005)'
            )

    def _fk_problem(
        self, table: _Table, f: _Fk, parent: _Table | None, missing_ok: bool
    ) -> str | None:
        """Why InnoDB would answer errno 150 ("incorrectly formed"), or ``None``."""
        for c in f.columns:
            child_col = table.col(c)
            if child_col is None:
                continue
            if _is_lob(child_col.type):
                return f"column '{c}' is {child_col.type.sql}: TEXT/BLOB cannot be a foreign key"
            if not child_col.nullable and "SET NULL" in (f.on_delete, f.on_update):
                return f"column '{c}' is NOT NULL but the foreign key says SET NULL"
        if parent is None:
            return None if missing_ok else f"referenced table '{f.ref_table}' does not exist"
        for c, rc in zip(f.columns, f.ref_columns, strict=False):
            child_col, parent_col = table.col(c), parent.col(rc)
            if parent_col is None:
                return f"referenced column '{f.ref_table}.{rc}' does not exist"
            if child_col is not None and not _fk_compatible(child_col.type, parent_col.type):
                return (
                    f"column '{c}' ({child_col.type.sql}) and referenced column "
                    f"'{f.ref_table}.{rc}' ({parent_col.type.sql}) are incompatible"
                )
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
        """Apply ALTER TABLE actions the way mysql_prepare_alter_table does, all or nothing.

        1. Index, key and constraint actions apply in order; new keys wait in `pending`.
        2. Column actions name the table's columns as they were before the statement: each
           is dropped or redefined once at most, then added columns and moves follow, in
           statement order (an ADD then a MODIFY of the same new column is allowed).
        3. The complete definition is checked as CREATE TABLE checks one (`_prepare`).
        """
        current = self.tables.get(name)
        if current is None:
            raise _Refused(f"Table '{name}' doesn't exist (MariaDB error 1146)")
        t = copy.deepcopy(current)
        pending = _Pending()
        plan = _ColumnPlan()
        new_name = name
        dropped_primary = False
        for action in actions:
            op = action[0]
            line = action[-1] if isinstance(action[-1], int) else st.line
            where = Origin(origin.path, line)
            if op in ("add_column", "modify", "rename_column", "drop_column", "set_default"):
                self._plan_column(t, plan, action, where, pending, origin)
            elif op == "element":
                _element(action[1], where, pending)
            elif op == "drop_primary":
                if not any(k.kind == "primary" for k in t.keys):
                    raise _Refused(
                        "Can't DROP INDEX `PRIMARY`; check that it exists (MariaDB error 1091)"
                    )
                t.keys = [k for k in t.keys if k.kind != "primary"]
                dropped_primary = True
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
            elif op == "drop_constraint":
                _, cname, if_exists, _line = action
                if not self._drop_constraint(t, cname, False):
                    if if_exists:
                        self.catalog.note("skipped", f"Constraint '{cname}' does not exist", origin)
                        continue
                    raise _Refused(
                        f"Can't DROP CONSTRAINT `{cname}`; check that it exists "
                        "(MariaDB error 1091)"
                    )
            elif op == "drop_check":
                raise _Refused(
                    "syntax error (MariaDB error 1064): MariaDB drops a check with "
                    f"DROP CONSTRAINT {action[1]}, not DROP CHECK"
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
                new_name = action[1]  # the last RENAME TO of the statement wins
            elif op == "note":
                self.catalog.note("unsupported", action[1], where)
            else:  # pragma: no cover - every action kind is listed above
                raise _Refused(f"unsupported ALTER TABLE action {op}")
        if new_name != name and new_name in self.tables:
            raise _Refused(f"Table '{new_name}' already exists (MariaDB error 1050)")
        renamed, changed_types = self._apply_column_plan(t, plan)
        self._check_type_changes(t, changed_types)  # even with FOREIGN_KEY_CHECKS=0
        needs_copy = bool(
            changed_types
            or pending.checks
            or (pending.fks and self.fk_checks)
            or (dropped_primary and not any(k.kind == "primary" for k in pending.keys))
        )
        if needs_copy and self._renames_fk_column(t, renamed):
            raise _Refused(
                "ALGORITHM=COPY is not supported. Reason: Columns participating in a foreign "
                "key are renamed. Try ALGORITHM=INPLACE (MariaDB error 1846)"
            )
        # Other tables' foreign keys follow renamed columns of this table.
        others = {n: tb for n, tb in self.tables.items() if n != name}
        saved = self.tables
        self.tables = {**others, name: t}
        try:
            self._propagate_column_renames(name, renamed, self_too=True)
            self._prepare(t, pending, created=False, before=current.keys)
        except _Refused:
            self.tables = saved
            raise
        self.tables = saved
        self._propagate_column_renames(name, renamed, self_too=False)
        if new_name != name:
            self._check_adoption(name, new_name, t)
            self._commit_rename([(name, new_name)], {name: t})
        else:
            self.tables[name] = t

    def _renames_fk_column(self, t: _Table, renamed: dict[str, str]) -> bool:
        """Whether the statement renames a column of a foreign key (either side); only the
        in-place algorithm can do that, so a change that needs a table copy is refused."""
        if not renamed:
            return False
        mine = {c.lower() for f in t.fks for c in f.columns}
        theirs = {
            c.lower()
            for other in self.tables.values()
            if other.name != t.name
            for f in other.fks
            if f.ref_table == t.name
            for c in f.ref_columns
        }
        return any(new.lower() in mine or old in theirs for old, new in renamed.items())

    def _plan_column(
        self,
        t: _Table,
        plan: _ColumnPlan,
        action: tuple[Any, ...],
        where: Origin,
        pending: _Pending,
        origin: Origin,
    ) -> None:
        """Record one column action; IF [NOT] EXISTS is decided on the table as it was."""
        op = action[0]
        if op == "add_column":
            _, cd, position, if_not_exists, _line = action
            col = _column(cd, where, t.bytes_per_char, pending)
            if if_not_exists and t.col(col.name) is not None:
                self.catalog.note("skipped", f"Column '{col.name}' already exists", origin)
                return
            plan.defs.append(_ColumnDef(None, col, position))
        elif op == "modify":
            _, cd, old, position, _line = action
            col = _column(cd, where, t.bytes_per_char, pending)
            plan.defs.append(_ColumnDef(old or col.name, col, position))
        elif op == "rename_column":
            _, old, new, _line = action
            plan.renames.append((old, new))
        elif op == "drop_column":
            _, column, if_exists, _line = action
            if if_exists and t.col(column) is None:
                self.catalog.note("skipped", f"Column '{column}' does not exist", origin)
                return
            plan.drops.append(column)
        else:  # set_default
            _, column, value, _line = action
            plan.defaults.append((column, value))

    def _apply_column_plan(self, t: _Table, plan: _ColumnPlan) -> tuple[dict[str, str], list[str]]:
        """The new column list, built from the old one as MariaDB builds it."""
        if not plan.touched():
            return {}, []
        drops = [d.lower() for d in plan.drops]
        renames = list(plan.renames)
        defaults = list(plan.defaults)
        waiting = list(plan.defs)
        columns: list[_Col] = []
        added: set[int] = set()  # ids of columns new in this statement
        renamed: dict[str, str] = {}
        changed_types: list[str] = []
        dropped: list[str] = []
        for col in t.columns:
            low = col.name.lower()
            if low in drops:
                drops.remove(low)
                self._check_drop_column(t, col.name)
                dropped.append(col.name)
                continue
            change = next((d for d in waiting if d.old and _same(d.old, col.name)), None)
            rename = next((r for r in renames if _same(r[0], col.name)), None)
            if change is not None:
                change.matched = True
                new = change.col
                if _type_changed(col.type, new.type):
                    changed_types.append(new.name)
                columns.append(new)  # a FIRST/AFTER moves it later, in statement order
                if change.position is None:
                    waiting.remove(change)
            elif rename is not None:
                renames.remove(rename)
                new = copy.copy(col)
                new.name = rename[1]
                columns.append(new)
            else:
                new = col
                for entry in [d for d in defaults if _same(d[0], col.name)][:1]:
                    defaults.remove(entry)
                    _set_default(new, entry[1])
                columns.append(new)
            if not _same(new.name, col.name):
                renamed[low] = new.name
        for d in waiting:
            if d.old is not None and not d.matched:
                # "a modify for a newly added column": it replaces that definition
                earlier = next(
                    (c for c in columns if id(c) in added and _same(c.name, d.col.name)), None
                )
                if earlier is None:
                    raise _Refused(f"Unknown column '{d.old}' in '{t.name}' (MariaDB error 1054)")
                columns.remove(earlier)
            if d.old is not None and d.matched:
                columns = [c for c in columns if c is not d.col]
            _place_in(columns, d.col, d.position, t.name)
            if d.old is None:
                added.add(id(d.col))
            # ALTER COLUMN also reaches the definitions placed here: added columns and
            # redefined ones with FIRST/AFTER (not a MODIFY in place: that one is refused).
            for entry in [e for e in defaults if _same(e[0], d.col.name)][:1]:
                defaults.remove(entry)
                _set_default(d.col, entry[1])
        if renames:
            raise _Refused(f"Unknown column '{renames[0][0]}' in '{t.name}' (MariaDB error 1054)")
        if defaults:
            raise _Refused(f"Unknown column '{defaults[0][0]}' in '{t.name}' (MariaDB error 1054)")
        if drops:
            raise _Refused(
                f"Can't DROP COLUMN `{drops[0]}`; check that it exists (MariaDB error 1091)"
            )
        if not columns:
            raise _Refused(
                "You can't delete all columns with ALTER TABLE; use DROP TABLE instead "
                "(MariaDB error 1090)"
            )
        seen: set[str] = set()
        for c in columns:
            if c.name.lower() in seen:
                raise _Refused(f"Duplicate column name '{c.name}' (MariaDB error 1060)")
            seen.add(c.name.lower())
        # A key part follows the column it was on (renamed or not); a dropped column's part
        # moves to a column ADDed under the same name, and otherwise goes.
        fresh = {c.name.lower(): c for c in columns if id(c) in added}
        old_types = {c.name.lower(): c.type for c in t.columns}
        for name in (d.lower() for d in dropped):
            keyed = any(_same(part, name) for k in t.keys for part in k.columns)
            if name in fresh and keyed and not _same_key_width(old_types[name], fresh[name].type):
                raise _Refused(
                    "Incorrect prefix key; the used key part isn't a string, the used length is "
                    "longer than the key part, or the storage engine doesn't support unique "
                    "prefix keys (MariaDB error 1089)"
                )
        self._finish_drops(t, [d for d in dropped if d.lower() not in fresh])
        for old, new in renamed.items():
            _rename_column(t, old, new, columns_too=False)
        t.columns = columns
        return renamed, changed_types

    def _check_drop_column(self, t: _Table, column: str) -> None:
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
        for ch in t.checks:  # a check loses its columns whole, or the drop is refused
            if ch.columns & gone and not ch.columns <= gone:
                missing = sorted(ch.columns & gone)[0]
                raise _Refused(f"Unknown column '{missing}' in 'CHECK' (MariaDB error 1054)")
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
        node = parsed.args["tables"][0] if parsed.args.get("tables") else None
        index = _ident(node)
        if not table:
            raise _Refused(_syntax_message(ParseError("DROP INDEX needs ON <table>")))
        _refuse_bare_primary(node)
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
        if len(set(names)) != len(names):
            twice = next(n for n in names if names.count(n) > 1)
            raise _Refused(f"Not unique table/alias: '{twice}' (MariaDB error 1066)")
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
            self._check_adoption(old, new, self.tables[old])
            self._commit_rename([(old, new)], {})
            self.tables[new].origin = Origin(origin.path, st.line)

    def _check_adoption(self, old: str, new: str, table: _Table) -> None:
        """A table renamed to a name that foreign keys already reference (made while
        FOREIGN_KEY_CHECKS was 0) must suit them, or InnoDB refuses the rename."""
        others = [o for o in self.tables.values() if o.name != old]
        for other in [table, *others]:  # its own keys to the new name become self-references
            for f in other.fks:
                if f.ref_table != new:
                    continue
                why = self._fk_problem(other, f, table, missing_ok=False)
                if why:
                    raise _Refused(
                        f"Error on rename of '{old}' to '{new}' (errno: 150 \"Foreign key "
                        f'constraint is incorrectly formed"): {why} (MariaDB error 1025)'
                    )

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
        if table:
            _check_trigger_rows(st, self.tables[table])
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


def _check_column_specifiers(schema: exp.Expression) -> None:
    """What MariaDB's parser refuses before it looks for the table (Column_definition::check),
    so even CREATE TABLE IF NOT EXISTS of a table that exists fails on it."""
    for cd in schema.expressions if isinstance(schema, exp.Schema) else []:
        if not isinstance(cd, exp.ColumnDef):
            continue
        constraints = list(cd.args.get("constraints") or [])
        kinds = [c.args.get("kind") for c in constraints]
        auto = any(isinstance(k, exp.AutoIncrementColumnConstraint) for k in kinds)
        primary = any(isinstance(k, exp.PrimaryKeyColumnConstraint) for k in kinds)
        defaults = [k.this for k in kinds if isinstance(k, exp.DefaultColumnConstraint)]
        if auto or primary:
            typ, _ = _column_type(cd.args.get("kind"), constraints, None)
            default = defaults[-1] if defaults else None
            _check_specifier(_ident(cd.this), typ, auto, primary, default)
        nulls = [k for k in kinds if isinstance(k, exp.NotNullColumnConstraint)]
        not_null = bool(nulls) and not nulls[-1].args.get("allow_null")  # the last one wins
        if not_null and not auto and defaults and isinstance(defaults[-1], exp.Null):
            raise _Refused(f"Invalid default value for '{_ident(cd.this)}' (MariaDB error 1067)")


def _check_specifier(
    name: str, typ: Type, auto_increment: bool, primary: bool, default: exp.Expression | None
) -> None:
    """AUTO_INCREMENT only on numbers (1063) and with no default but NULL (1067); an inline
    PRIMARY KEY cannot have DEFAULT NULL (1067)."""
    is_null = isinstance(default, exp.Null) or (
        isinstance(default, exp.Paren) and isinstance(default.this, exp.Null)
    )
    if auto_increment and typ.family not in ("integer", "boolean", "float"):
        raise _Refused(f"Incorrect column specifier for column '{name}' (MariaDB error 1063)")
    if (auto_increment and default is not None and not is_null) or (
        primary and is_null and not auto_increment
    ):
        raise _Refused(f"Invalid default value for '{name}' (MariaDB error 1067)")


def _like_source(parsed: exp.Create) -> str | None:
    like = parsed.find(exp.LikeProperty)
    return _ident(like.this) if like is not None else None


def _table_charset(parsed: exp.Create) -> int | None:
    prop = parsed.find(exp.CharacterSetProperty)
    if prop is None:
        return None
    return mytypes.CHARSET_BYTES.get(prop.name.lower())


def _same_key_width(old: Type, new: Type) -> bool:
    """Whether an index part built for `old` still fits a column re-added as `new`: the same
    type, or a string at least as long (the part keeps its old length)."""
    if old.sql == new.sql:
        return True
    strings = ("char", "varchar")
    if old.sql.split("(")[0] in strings and new.sql.split("(")[0] in strings:
        return (new.length or 0) >= (old.length or 0)
    return False


def _set_default(col: _Col, value: exp.Expression | None) -> None:
    """ALTER COLUMN ... SET DEFAULT (`value`) or DROP DEFAULT (``None``)."""
    if col.auto_increment:
        return  # MariaDB keeps no default on an AUTO_INCREMENT column
    col.default = _default_sql(value, col.type) if value is not None else None
    if value is None:
        return
    if (col.default is None and not col.nullable) or (
        col.default is not None and not mytypes.valid_default(col.default, col.type)
    ):
        raise _Refused(f"Invalid default value for '{col.name}' (MariaDB error 1067)")


def _place_in(
    columns: list[_Col], col: _Col, position: tuple[str, str | None] | None, table: str
) -> None:
    """Append a column, or put it FIRST or AFTER another of the new column list."""
    if position is None:
        columns.append(col)
    elif position[0] == "FIRST":
        columns.insert(0, col)
    else:
        at = next((i for i, c in enumerate(columns) if _same(c.name, position[1] or "")), -1)
        if at < 0:
            raise _Refused(f"Unknown column '{position[1]}' in '{table}' (MariaDB error 1054)")
        columns.insert(at + 1, col)


def _rename_column(t: _Table, old: str, new: str, columns_too: bool = True) -> None:
    """Rename a column in the table and everything of the table that names it."""
    if columns_too:
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
        return _storage_class(a) != _storage_class(b)
    return a.sql != b.sql


def _fk_compatible(a: Type, b: Type) -> bool:
    """InnoDB's cmp_cols_are_equal(): same storage class (see `_storage_class`)."""
    return _storage_class(a) == _storage_class(b)


# Bytes of InnoDB's DATA_INT columns.
_INT_BYTES = {"tinyint": 1, "smallint": 2, "mediumint": 3, "int": 4, "bigint": 8}


def _storage_class(t: Type) -> str:
    """How InnoDB stores a column (get_innobase_type_from_mysql_type), as far as foreign keys
    care: integers by width and sign; ENUM and YEAR are unsigned integers; non-binary strings
    match each other; DECIMAL, DATETIME, TIMESTAMP, TIME, BINARY, BIT, BLOB and UUID are all
    fixed or variable binary and match each other too."""
    sql = t.sql
    base = sql.split("(")[0].split()[0]
    if base in _INT_BYTES:
        return f"int{_INT_BYTES[base]}{' unsigned' if ' unsigned' in sql else ''}"
    if t.family == "enum":
        return "int1 unsigned" if len(mytypes.enum_members(sql)) < 256 else "int2 unsigned"
    if base == "year":
        return "int1 unsigned"
    if t.family == "text" or t.family == "json":
        return "string"
    if t.family in ("numeric", "timestamp", "time", "binary", "uuid"):
        return "binary"
    if t.family == "float":
        return "float" if t.bits == 32 else "double"
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
    column = _column_action(text, line)
    if column is not None:
        return [column]
    if _ADD_ELEMENT.match(text):  # ADD CHECK (...), ADD CONSTRAINT c CHECK (...), ...
        element_text = _ADD_ELEMENT.sub("", text, count=1)
        body = _parse(f"CREATE TABLE _x ({element_text})")
        return [("element", e, line) for e in body.this.expressions]
    if parsed is None:
        _parse(f"ALTER TABLE _x {text}")  # raises the syntax error
    return [("note", f"ALTER TABLE action not modelled: {text.strip()[:60]}", line)]


_COLUMN_VERB = re.compile(
    r"\A\s*(ADD|MODIFY|CHANGE)\b(\s+COLUMN\b)?(\s+IF\s+(?:NOT\s+)?EXISTS\b)?\s*", re.IGNORECASE
)
_NAME = r"(`(?:[^`]|``)+`|[\w$]+)"
_TRAILING_POSITION = re.compile(r"\s+(FIRST|AFTER\s+" + _NAME + r")\s*\Z", re.IGNORECASE)
_ELEMENT_WORDS = frozenset(
    {"CONSTRAINT", "CHECK", "PRIMARY", "UNIQUE", "INDEX", "KEY", "FOREIGN", "FULLTEXT", "SPATIAL"}
)


def _column_action(text: str, line: int) -> tuple[Any, ...] | None:
    """ADD/MODIFY/CHANGE of one column that sqlglot cannot read in ALTER TABLE (``INT UNIQUE
    AFTER a``): the definition read as in CREATE TABLE, the position cut off by hand."""
    m = _COLUMN_VERB.match(text)
    if m is None:
        return None
    verb, rest = m.group(1).upper(), text[m.end() :]
    first_word = rest.split(None, 1)[0].upper() if rest.split() else ""
    if verb == "ADD" and not m.group(2) and first_word in _ELEMENT_WORDS:
        return None
    old = None
    if verb == "CHANGE":
        name = re.match(_NAME + r"\s+", rest)
        if name is None:
            return None
        old, rest = _unquote(name.group(1)), rest[name.end() :]
    position: tuple[str, str | None] | None = None
    trailing = _TRAILING_POSITION.search(rest)
    if trailing:
        after = trailing.group(2)
        position = ("FIRST", None) if after is None else ("AFTER", _unquote(after))
        rest = rest[: trailing.start()]
    body = _parse(f"CREATE TABLE _x ({rest})")
    cd = body.this.expressions[0] if isinstance(body.this, exp.Schema) else None
    if not isinstance(cd, exp.ColumnDef):
        return None
    if verb == "ADD":
        return ("add_column", cd, position, bool(m.group(3)), line)
    return ("modify", cd, old, position, line)


def _position(cd: exp.Expression) -> tuple[str, str | None] | None:
    pos = cd.args.get("position")
    if pos is None:
        # sqlglot reads `INT UNIQUE FIRST` as a unique constraint named FIRST.
        for c in cd.args.get("constraints") or []:
            kind = c.args.get("kind")
            name = kind.args.get("this") if isinstance(kind, exp.UniqueColumnConstraint) else None
            if isinstance(name, exp.Identifier) and not name.quoted and _same(name.this, "FIRST"):
                return ("FIRST", None)
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
            if ops[kind] == "drop_index":
                for node in a.args.get("tables") or []:
                    _refuse_bare_primary(node)
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


def _refuse_bare_primary(node: exp.Expression | None) -> None:
    """PRIMARY is a reserved word: ``DROP INDEX PRIMARY`` needs it in backticks."""
    ident = node.this if isinstance(node, exp.Table | exp.Column) else node
    if isinstance(ident, exp.Identifier) and not ident.quoted and _same(ident.this, "PRIMARY"):
        raise _Refused(
            "syntax error (MariaDB error 1064): PRIMARY is reserved; write DROP PRIMARY KEY "
            "or `PRIMARY`"
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


def _check_trigger_rows(st: Statement, table: _Table) -> None:
    """NEW.x and OLD.x must name columns, and exist for the event (MariaDB 1054, 1363)."""
    tokens = list(st.tokens)
    upper = [tk.text.upper() if tk.token_type not in _LITERALS else "" for tk in tokens]
    event = next((w for w in upper if w in ("INSERT", "UPDATE", "DELETE")), "")
    for i in range(len(tokens) - 2):
        row = upper[i]
        if row not in ("NEW", "OLD") or tokens[i + 1].token_type != TokenType.DOT:
            continue
        if i > 0 and tokens[i - 1].token_type == TokenType.DOT:
            continue
        if (row, event) in (("NEW", "DELETE"), ("OLD", "INSERT")):
            raise _Refused(f"There is no {row} row in on {event} trigger (MariaDB error 1363)")
        column = tokens[i + 2].text
        if table.col(column) is None:
            raise _Refused(f"Unknown column '{column}' in '{row}' (MariaDB error 1054)")


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
