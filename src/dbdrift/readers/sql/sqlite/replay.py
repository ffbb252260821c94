"""The SQLite replay: statements applied, one at a time, the way SQLite itself would.

Why the DDL is read by a small parser over sqlglot's tokens rather than by sqlglot's
SQLite parser: SQLite reports a column's declared type and default *as written* (the
exact source text), names autoindexes by the order constraints appear in, and accepts
DDL that sqlglot 30 rejects or misreads (``WITHOUT ROWID``, ``ON CONFLICT`` clauses,
``PRIMARY KEY (a DESC)``, ``unsigned big int``, ``MATCH FULL``).  So each file is split
into statements with sqlglot's tokenizer (following SQLite's ``complete.c``, which keeps a
``CREATE TRIGGER ... BEGIN ...; END;`` whole), DDL is parsed by the grammar of SQLite's
``parse.y`` over those tokens, and sqlglot (``read="sqlite"``) parses everything else:
expressions, views, data statements.  A statement SQLite would refuse becomes an `Error`
at its first line and the replay goes on; SQLite undoes a failed statement as a whole,
so every handler checks before it changes anything.

Decisions worth knowing when reading the result:

- Table and index names are matched without regard to ASCII case, as SQLite does; a
  table's `schema` is ``None`` (SQLite's ``main``); ``TEMP`` objects are tracked so that
  later statements resolve, but are not part of the schema.
- A primary key that is an alias of the rowid (``INTEGER PRIMARY KEY``) has no index
  and its `PrimaryKey.name` is ``None``; any other primary key is named after the
  autoindex SQLite creates for it (``sqlite_autoindex_<table>_<n>``), which is the only
  name SQLite ever reports for it.  UNIQUE constraints are `Unique`s named likewise;
  ``CONSTRAINT x`` names are dropped, as SQLite drops them.
- A foreign key written ``REFERENCES parent`` without columns has empty `ref_columns`:
  it refers to the parent's primary key, resolved by SQLite only when it is enforced.
- ``AUTOINCREMENT`` gives ``Column.identity == "autoincrement"``; a plain rowid alias has
  no identity.  Check names follow SQLite's rule: a ``CONSTRAINT x`` applies to every
  CHECK after it up to the next comma.
- Views and triggers become notes, but the tables and columns they use are remembered:
  SQLite re-checks every one of them on RENAME and DROP COLUMN and refuses the ALTER if
  one no longer resolves (the classic failure of a table rebuild under a view).
- Data statements (INSERT, UPDATE, ...) become notes after the checks SQLite makes when
  it prepares them (tables, columns, VALUES width).  What they do to rows is not
  modelled beyond whether a table holds rows, which decides whether SQLite accepts an
  ``ADD COLUMN ... NOT NULL`` without a default; a constraint a row violates at run time
  (UNIQUE, NOT NULL, a foreign key) is not predicted.
- sqlglot is more forgiving than SQLite's grammar; `_plausible` and friends refuse the
  forgiven patterns met in practice (stray commas, reserved words taken for names, a
  JOIN without FROM), not every one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from dbdrift.readers.sql.catalog import Catalog, MutTable
from dbdrift.readers.sql.text import LineIndex
from dbdrift.schema import Check, Column, ForeignKey, Index, Origin, PrimaryKey, Unique
from dbdrift.types.sqlite import declared_type, dequote, is_std_type, reported_type

log = logging.getLogger(__name__)

# Every SQLite keyword (https://www.sqlite.org/lang_keywords.html).
# fmt: off
KEYWORDS = frozenset(
    {
        "ABORT", "ACTION", "ADD", "AFTER", "ALL", "ALTER", "ALWAYS", "ANALYZE", "AND", "AS",
        "ASC", "ATTACH", "AUTOINCREMENT", "BEFORE", "BEGIN", "BETWEEN", "BY", "CASCADE", "CASE",
        "CAST", "CHECK", "COLLATE", "COLUMN", "COMMIT", "CONFLICT", "CONSTRAINT", "CREATE",
        "CROSS", "CURRENT", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "DATABASE",
        "DEFAULT", "DEFERRABLE", "DEFERRED", "DELETE", "DESC", "DETACH", "DISTINCT", "DO",
        "DROP", "EACH", "ELSE", "END", "ESCAPE", "EXCEPT", "EXCLUDE", "EXCLUSIVE", "EXISTS",
        "EXPLAIN", "FAIL", "FILTER", "FIRST", "FOLLOWING", "FOR", "FOREIGN", "FROM", "FULL",
        "GENERATED", "GLOB", "GROUP", "GROUPS", "HAVING", "IF", "IGNORE", "IMMEDIATE", "IN",
        "INDEX", "INDEXED", "INITIALLY", "INNER", "INSERT", "INSTEAD", "INTERSECT", "INTO",
        "IS", "ISNULL", "JOIN", "KEY", "LAST", "LEFT", "LIKE", "LIMIT", "MATCH", "MATERIALIZED",
        "NATURAL", "NO", "NOT", "NOTHING", "NOTNULL", "NULL", "NULLS", "OF", "OFFSET", "ON",
        "OR", "ORDER", "OTHERS", "OUTER", "OVER", "PARTITION", "PLAN", "PRAGMA", "PRECEDING",
        "PRIMARY", "QUERY", "RAISE", "RANGE", "RECURSIVE", "REFERENCES", "REGEXP", "REINDEX",
        "RELEASE", "RENAME", "REPLACE", "RESTRICT", "RETURNING", "RIGHT", "ROLLBACK", "ROW",
        "ROWS", "SAVEPOINT", "SELECT", "SET", "TABLE", "TEMP", "TEMPORARY", "THEN", "TIES",
        "TO", "TRANSACTION", "TRIGGER", "UNBOUNDED", "UNION", "UNIQUE", "UPDATE", "USING",
        "VACUUM", "VALUES", "VIEW", "VIRTUAL", "WHEN", "WHERE", "WINDOW", "WITH", "WITHOUT",
    }
)

# Keywords the grammar accepts where a name is expected (``%fallback ID`` in parse.y,
# with LIKE_KW = LIKE GLOB REGEXP and CTIME_KW = CURRENT_*), plus INDEXED (class id).
FALLBACK = frozenset(
    {
        "ABORT", "ACTION", "AFTER", "ANALYZE", "ASC", "ATTACH", "BEFORE", "BEGIN", "BY",
        "CASCADE", "CAST", "COLUMN", "CONFLICT", "DATABASE", "DEFERRED", "DESC", "DETACH", "DO",
        "EACH", "END", "EXCLUSIVE", "EXPLAIN", "FAIL", "FOR", "IGNORE", "IMMEDIATE",
        "INITIALLY", "INSTEAD", "LIKE", "GLOB", "REGEXP", "MATCH", "NO", "PLAN", "QUERY", "KEY",
        "OF", "OFFSET", "PRAGMA", "RAISE", "RECURSIVE", "RELEASE", "REPLACE", "RESTRICT", "ROW",
        "ROWS", "ROLLBACK", "SAVEPOINT", "TEMP", "TEMPORARY", "TRIGGER", "VACUUM", "VIEW",
        "VIRTUAL", "WITH", "WITHOUT", "NULLS", "FIRST", "LAST", "CURRENT", "FOLLOWING",
        "PARTITION", "PRECEDING", "RANGE", "UNBOUNDED", "EXCLUDE", "GROUPS", "OTHERS", "TIES",
        "GENERATED", "ALWAYS", "MATERIALIZED", "REINDEX", "RENAME", "CURRENT_DATE",
        "CURRENT_TIME", "CURRENT_TIMESTAMP", "IF", "INDEXED",
    }
)

# fmt: on

# JOIN_KW: not a fallback, but allowed as a name (``nm ::= id | STRING | JOIN_KW``).
JOIN_KW = frozenset(["CROSS", "FULL", "INNER", "LEFT", "NATURAL", "OUTER", "RIGHT"])
RESERVED = KEYWORDS - FALLBACK

# What may open a table constraint in CREATE TABLE (``tcons`` in parse.y).
_TCONS = ("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN")
_CONFLICT = ("ROLLBACK", "ABORT", "FAIL", "IGNORE", "REPLACE")
_CTIME = ("CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP")
_TRUTHY = {"1", "ON", "TRUE", "YES"}

# Statements the replay reads but does not model, by leading keyword -> note kind.
_NOTED = {
    "SELECT": "data",
    "VALUES": "data",
    "WITH": "data",
    "INSERT": "data",
    "REPLACE": "data",
    "UPDATE": "data",
    "DELETE": "data",
    "VACUUM": "maintenance",
    "ANALYZE": "maintenance",
    "REINDEX": "maintenance",
    "ATTACH": "other",
    "DETACH": "other",
    "EXPLAIN": "other",
}

_SPACE = " \t\n\r\f\v"  # sqlite3Isspace
_BARE = re.compile(r"[A-Za-z_\x80-\U0010ffff][A-Za-z0-9_$\x80-\U0010ffff]*\Z")
_SKIP = re.compile(r"(?:[ \t\n\r\f\v]+|--[^\n]*(?:\n|\Z)|/\*.*?(?:\*/|\Z))*", re.DOTALL)


def fold(name: str) -> str:
    """SQLite compares names ignoring ASCII case only (``sqlite3StrICmp``)."""
    return name.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class Refused(Exception):
    """What SQLite would refuse; the statement is abandoned and the replay goes on."""


# Tokens ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tok:
    """A token: its kind, its text as written, its character span, and the upper-cased
    word when it is a bare word (keywords and unquoted names)."""

    kind: str  # word | quoted | string | number | blob | var | op | bad
    raw: str
    start: int
    end: int  # exclusive
    word: str = ""

    def is_op(self, op: str) -> bool:
        return self.kind == "op" and self.raw == op


def _classify(raw: str, start: int) -> Iterator[Tok]:
    first = raw[0]
    if first == "'":
        yield Tok("string", raw, start, start + len(raw))
    elif first in '"[`':
        yield Tok("quoted", raw, start, start + len(raw))
    elif first in "xX" and len(raw) > 1 and raw[1] == "'":
        yield Tok("blob", raw, start, start + len(raw))
    elif first.isdigit() or (first == "." and len(raw) > 1 and raw[1].isdigit()):
        yield Tok("number", raw, start, start + len(raw))
    elif (first in "$:@?" and len(raw) > 1) or first == "?":
        yield Tok("var", raw, start, start + len(raw))
    elif first.isalpha() or first == "_" or ord(first) > 127:
        # sqlglot joins some keyword pairs ("primary key", "double precision"): split them.
        for m in re.finditer(r"\S+", raw):
            yield Tok("word", m.group(), start + m.start(), start + m.end(), m.group().upper())
    else:
        yield Tok("op", raw, start, start + len(raw))


def tokenize(text: str) -> tuple[list[Tok], int | None]:
    """The tokens of `text`, and the offset from which nothing can be tokenized (an
    unterminated string or quoted name swallows the rest of the file), or ``None``.

    A token sqlglot refuses that does end (``x'zz'``) becomes one ``bad`` token, and
    tokenizing goes on after it, as SQLite refuses only the statement holding it.
    """
    from sqlglot.dialects.sqlite import SQLite
    from sqlglot.errors import TokenError

    tokens: list[Tok] = []
    pos = 0
    while True:
        tokenizer = SQLite.tokenizer_class()
        try:
            raw_tokens = tokenizer.tokenize(text[pos:])
            failed = False
        except TokenError:
            raw_tokens = list(tokenizer.tokens)
            failed = True
        for t in raw_tokens:
            raw = text[pos + t.start : pos + t.end + 1]
            if raw:
                tokens.extend(_classify(raw, pos + t.start))
        if not failed:
            return tokens, None
        broken = pos + raw_tokens[-1].end + 1 if raw_tokens else pos
        skip = _SKIP.match(text, broken)
        broken = skip.end() if skip else broken
        if broken >= len(text):
            return tokens, None  # only an unterminated comment, which SQLite ignores
        end = _bad_token_end(text, broken)
        if end is None:
            return tokens, broken
        tokens.append(Tok("bad", text[broken:end], broken, end))
        pos = end


def _bad_token_end(text: str, start: int) -> int | None:
    """Where a token sqlglot could not read ends, or ``None`` if it runs to the end."""
    first = text[start]
    quote = {"'": "'", '"': '"', "`": "`", "[": "]"}.get(first)
    if first in "xX" and text[start + 1 : start + 2] == "'":
        quote, start = "'", start + 1
    if quote is None:
        return start + 1
    end = text.find(quote, start + 1)
    return None if end < 0 else end + 1


# Statements: SQLite's complete.c state machine ---------------------------------------

# Columns: ; OTHER EXPLAIN CREATE TEMP TRIGGER END.  States: 0 INVALID, 1 START,
# 2 NORMAL, 3 EXPLAIN, 4 CREATE, 5 TRIGGER, 6 SEMI, 7 END (sqlite3_complete, complete.c).
_TRANS = (
    (1, 2, 3, 4, 2, 2, 2),
    (1, 2, 3, 4, 2, 2, 2),
    (1, 2, 2, 2, 2, 2, 2),
    (1, 3, 2, 4, 2, 2, 2),
    (1, 2, 2, 2, 4, 5, 2),
    (6, 5, 5, 5, 5, 5, 5),
    (6, 5, 5, 5, 5, 5, 7),
    (1, 5, 5, 5, 5, 5, 5),
)
_CLASS = {"EXPLAIN": 2, "CREATE": 3, "TEMP": 4, "TEMPORARY": 4, "TRIGGER": 5, "END": 6}


@dataclass
class Statement:
    """One statement: its tokens (without the final semicolon) and its first line."""

    tokens: list[Tok]
    line: int
    problem: str | None = None  # why SQLite could not even parse it


def split(text: str, lines: LineIndex | None = None) -> list[Statement]:
    """Split `text` into statements where ``sqlite3_complete`` says one ends."""
    lines = lines or LineIndex(text)
    tokens, broken = tokenize(text)
    result: list[Statement] = []
    current: list[Tok] = []
    state = 0
    for tok in tokens:
        column = 0 if tok.is_op(";") else _CLASS.get(tok.word, 1)
        state = _TRANS[state][column]
        if column == 0 and state == 1:
            if current:
                result.append(Statement(current, lines.line(current[0].start), _glued(current)))
            current = []
            continue
        current.append(tok)
    if broken is not None:
        start = current[0].start if current else broken
        bad = text[broken : broken + 20].split("\n")[0]
        result.append(Statement([], lines.line(start), f'unrecognized token: "{bad}"'))
    elif current:
        problem = "incomplete input" if state in (5, 6) else _glued(current)
        result.append(Statement(current, lines.line(current[0].start), problem))
    return result


def _glued(tokens: list[Tok]) -> str | None:
    """A token SQLite cannot read: one sqlglot refused too, or a number run into letters
    (``1abc``), which sqlglot splits in two."""
    for tok in tokens:
        if tok.kind == "bad":
            return f'unrecognized token: "{tok.raw}"'
    for tok, nxt in pairwise(tokens):
        if tok.kind == "number" and nxt.kind == "word" and nxt.start == tok.end:
            return f'unrecognized token: "{tok.raw}{nxt.raw}"'
    return None


# sqlglot, for expressions and the statements the replay does not model ----------------


def sqlglot_parse(sql: str) -> tuple[list[Any], str | None]:
    """sqlglot's SQLite parse of `sql`, or the first problem it reports.

    sqlglot logs a warning when it falls back to an opaque command; a library must not
    print, so that logger is quietened for the call.
    """
    import sqlglot
    from sqlglot.errors import ParseError, TokenError

    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return [e for e in sqlglot.parse(sql, read="sqlite") if e is not None], None
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        return [], str(first.get("description") or exc).split("\n")[0]
    except TokenError as exc:
        return [], str(exc).split("\n")[0]
    finally:
        logger.setLevel(level)


def _table_refs(trees: list[Any]) -> set[str]:
    """Folded names of the tables a parsed statement reads or writes (CTEs excluded)."""
    from sqlglot import exp

    ctes = {fold(c.alias_or_name) for tree in trees for c in tree.find_all(exp.CTE)}
    names: set[str] = set()
    for tree in trees:
        for table in tree.find_all(exp.Table):
            if not isinstance(table.this, exp.Identifier):
                continue  # a table-valued function such as json_each(...)
            name = fold(table.name)
            if name and name not in ctes:
                names.add(name)
    return names


@dataclass
class Uses:
    """The tables and columns a view or trigger names.

    SQLite re-reads every view and trigger after RENAME and DROP COLUMN and refuses the
    ALTER if one of them no longer resolves, so a replay must remember what they use.
    A column is ``(folded table, folded column)``, with table ``None`` when unqualified
    (it then belongs to one of `tables`).
    """

    tables: set[str] = field(default_factory=set)
    columns: set[tuple[str | None, str]] = field(default_factory=set)
    closed: bool = True  # every source is a plain table: unqualified names must be theirs
    dangling: set[str] = field(default_factory=set)  # "q.c" whose q names no source

    def copy(self) -> Uses:
        return Uses(set(self.tables), set(self.columns), self.closed, set(self.dangling))

    def renamed_table(self, old: str, new: str) -> None:
        self.tables = {new if t == old else t for t in self.tables}
        self.columns = {(new if t == old else t, c) for t, c in self.columns}

    def renamed_column(self, table: str, old: str, new: str) -> None:
        unqualified = table in self.tables
        self.columns = {
            (t, new) if c == old and (t == table or (t is None and unqualified)) else (t, c)
            for t, c in self.columns
        }

    def uses_column(self, table: str, column: str) -> bool:
        return (table, column) in self.columns or (
            (None, column) in self.columns and table in self.tables
        )


def _uses_of(trees: list[Any]) -> Uses:
    """The tables and columns parsed statements name, table aliases resolved."""
    from sqlglot import exp

    uses = Uses(tables=_table_refs(trees))
    for tree in trees:
        aliases: dict[str, str] = {}
        for table in tree.find_all(exp.Table):
            if isinstance(table.this, exp.Identifier):
                aliases[fold(table.alias_or_name)] = fold(table.name)
                aliases.setdefault(fold(table.name), fold(table.name))
            else:
                uses.closed = False
        if next(tree.find_all(exp.CTE, exp.Subquery), None) is not None:
            uses.closed = False
        outputs = {fold(a.alias) for a in tree.find_all(exp.Alias)}
        for column in tree.find_all(exp.Column):
            if isinstance(column.this, exp.Star):
                continue
            qualifier = fold(column.table) if column.table else None
            if qualifier is None:
                if fold(column.name) not in outputs and not column.this.args.get("quoted"):
                    uses.columns.add((None, fold(column.name)))
            elif qualifier in aliases:
                uses.columns.add((aliases[qualifier], fold(column.name)))
            else:
                uses.dangling.add(f"{column.table}.{column.name}")
    return uses


# The parser over one statement's tokens -----------------------------------------------


class Parser:
    """A cursor over one statement's tokens with the terminals of SQLite's grammar."""

    def __init__(self, tokens: list[Tok], text: str) -> None:
        self.toks = tokens
        self.text = text
        self.i = 0

    def peek(self, k: int = 0) -> Tok | None:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def done(self) -> bool:
        return self.i >= len(self.toks)

    def at(self, *words: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "word" and tok.word in words

    def at_op(self, op: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.is_op(op)

    def take(self, *words: str) -> str | None:
        if self.at(*words):
            self.i += 1
            return self.toks[self.i - 1].word
        return None

    def take_op(self, op: str) -> bool:
        if self.at_op(op):
            self.i += 1
            return True
        return False

    def expect(self, *words: str) -> str:
        word = self.take(*words)
        if word is None:
            raise self.error()
        return word

    def expect_op(self, op: str) -> None:
        if not self.take_op(op):
            raise self.error()

    def end(self) -> None:
        if not self.done():
            raise self.error()

    def error(self) -> Refused:
        tok = self.peek()
        if tok is None:
            return Refused("incomplete input")
        return Refused(f'near "{tok.raw}": syntax error')

    def name(self) -> str:
        """``nm``: an identifier, a quoted name, a string, or a JOIN keyword."""
        tok = self.peek()
        if tok is None:
            raise self.error()
        if tok.kind in ("quoted", "string"):
            self.i += 1
            return dequote(tok.raw)
        if tok.kind == "word" and (tok.word not in RESERVED or tok.word in JOIN_KW):
            self.i += 1
            return tok.raw
        raise self.error()

    def is_id(self, k: int = 0) -> bool:
        """Whether the token at `k` can be an ``ids`` (type names, collations)."""
        tok = self.peek(k)
        if tok is None:
            return False
        if tok.kind in ("quoted", "string"):
            return True
        return tok.kind == "word" and tok.word not in RESERVED

    def qualified(self) -> tuple[str | None, str]:
        first = self.name()
        if self.take_op("."):
            return first, self.name()
        return None, first

    def group(self) -> tuple[int, int]:
        """Consume a parenthesised group; the token indexes of its ``(`` and ``)``."""
        self.expect_op("(")
        opened = self.i - 1
        depth = 1
        while self.i < len(self.toks):
            tok = self.toks[self.i]
            self.i += 1
            if tok.is_op("("):
                depth += 1
            elif tok.is_op(")"):
                depth -= 1
                if depth == 0:
                    return opened, self.i - 1
        raise Refused("incomplete input")

    def inner(self, opened: int, closed: int) -> str:
        """The text between a group's parentheses, trimmed as ``sqlite3DbSpanDup`` does."""
        return self.text[self.toks[opened].end : self.toks[closed].start].strip(_SPACE)

    def span(self, first: int, last: int) -> str:
        """Source text from token `first` through token `last` (inclusive)."""
        return self.text[self.toks[first].start : self.toks[last].end]

    def items(self, opened: int, closed: int) -> list[list[Tok]]:
        """The comma-separated items of a group, split at depth one."""
        result: list[list[Tok]] = [[]]
        depth = 0
        for tok in self.toks[opened + 1 : closed]:
            if tok.is_op("(") or tok.is_op(")"):
                depth += 1 if tok.is_op("(") else -1
            if tok.is_op(",") and depth == 0:
                result.append([])
                continue
            result[-1].append(tok)
        return result

    def onconf(self) -> None:
        if self.take("ON"):
            self.expect("CONFLICT")
            self.expect(*_CONFLICT)

    def if_not_exists(self) -> bool:
        if self.take("IF"):
            self.expect("NOT")
            self.expect("EXISTS")
            return True
        return False

    def if_exists(self) -> bool:
        if self.take("IF"):
            self.expect("EXISTS")
            return True
        return False


# Expressions: which columns they name ------------------------------------------------


def column_refs(tokens: list[Tok], strict: bool) -> list[tuple[str, Tok]]:
    """The bare names an expression uses as columns, with their tokens.

    `strict` leaves out double-quoted names and keywords, which SQLite may read as a
    string or keyword rather than a column (for "no such column" checks); otherwise any
    name that could be a column is returned (for "is this column used" checks).
    """
    refs: list[tuple[str, Tok]] = []
    for k, tok in enumerate(tokens):
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        prev = tokens[k - 1] if k > 0 else None
        if tok.kind not in ("word", "quoted"):
            continue
        if nxt is not None and (nxt.is_op("(") or nxt.is_op(".")):
            continue  # a function name or a table qualifier
        if prev is not None and prev.kind == "word" and prev.word in ("COLLATE", "AS"):
            continue  # a collation or the type of a CAST
        if tok.kind == "word":
            if tok.word in ("TRUE", "FALSE") or tok.word in RESERVED:
                continue
            if strict and tok.word in KEYWORDS:
                continue
        elif strict and tok.raw.startswith('"'):
            continue
        refs.append((dequote(tok.raw) if tok.kind == "quoted" else tok.raw, tok))
    return refs


def _uses(text: str | None, column: str) -> bool:
    """Whether an expression's text names `column`."""
    if not text:
        return False
    tokens, _ = tokenize(text)
    return any(fold(name) == fold(column) for name, _ in column_refs(tokens, strict=False))


def _rename_in(text: str | None, old: str, new: str) -> str | None:
    """An expression's text with every use of column `old` renamed to `new`."""
    if not text:
        return text
    tokens, _ = tokenize(text)
    spelled = new if _BARE.match(new) and new.upper() not in KEYWORDS else quote(new)
    out, last = [], 0
    for name, tok in column_refs(tokens, strict=False):
        if fold(name) == fold(old):
            out.append(text[last : tok.start] + spelled)
            last = tok.end
    return "".join(out) + text[last:]


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# Per-table facts SQLite keeps that the frozen schema does not carry ------------------


@dataclass
class TableFacts:
    """What a replay must remember about a table beyond `MutTable`.

    `check_owner` and `fk_owner` run parallel to the table's checks and foreign keys:
    the folded name of the column whose definition holds the constraint (it goes when
    that column is dropped), or ``None`` for a table constraint.
    """

    without_rowid: bool = False
    strict: bool = False
    has_rows: bool = False
    check_owner: list[str | None] = field(default_factory=list)
    fk_owner: list[str | None] = field(default_factory=list)


@dataclass
class State:
    """Everything in SQLite's schema besides the modelled tables."""

    tables: dict[str, MutTable] = field(default_factory=dict)  # folded name -> table
    facts: dict[str, TableFacts] = field(default_factory=dict)
    indexes: dict[str, str] = field(default_factory=dict)  # folded index -> folded table
    views: dict[str, Uses] = field(default_factory=dict)  # folded view -> what it reads
    view_names: dict[str, str] = field(default_factory=dict)
    virtual: dict[str, str] = field(default_factory=dict)
    triggers: dict[str, tuple[str, Uses]] = field(default_factory=dict)  # -> (table, uses)
    temp: dict[str, MutTable | None] = field(default_factory=dict)  # TEMP tables and views
    temp_indexes: dict[str, str] = field(default_factory=dict)  # -> folded temp table
    temp_triggers: dict[str, str] = field(default_factory=dict)

    def copy(self, tables: dict[tuple[str | None, str], MutTable]) -> State:
        """A copy whose tables are `tables` (the catalog's, already copied)."""
        by_key = {fold(name): t for (_, name), t in tables.items()}
        return replace(
            self,
            tables={key: by_key[key] for key in self.tables},
            facts={
                key: replace(f, check_owner=list(f.check_owner), fk_owner=list(f.fk_owner))
                for key, f in self.facts.items()
            },
            indexes=dict(self.indexes),
            views={key: u.copy() for key, u in self.views.items()},
            view_names=dict(self.view_names),
            virtual=dict(self.virtual),
            triggers={key: (owner, u.copy()) for key, (owner, u) in self.triggers.items()},
            temp={key: _copy_table(t) if t else None for key, t in self.temp.items()},
            temp_indexes=dict(self.temp_indexes),
            temp_triggers=dict(self.temp_triggers),
        )


def _copy_table(table: MutTable) -> MutTable:
    return replace(
        table,
        columns=dict(table.columns),
        foreign_keys=list(table.foreign_keys),
        uniques=list(table.uniques),
        indexes=list(table.indexes),
        checks=list(table.checks),
    )


# Building one table from a CREATE TABLE or one column from an ADD COLUMN --------------


@dataclass
class _Col:
    name: str
    declared: str
    origin: Origin
    notnull: bool = False
    default: str | None = None
    default_constant: bool = True
    generated: str | None = None
    stored: bool = False
    collation: str | None = None
    primary: bool = False


@dataclass
class _Auto:
    """An autoindex SQLite creates for a PRIMARY KEY or UNIQUE constraint."""

    name: str
    kind: str  # "pk" | "u"
    columns: tuple[str, ...]
    key: tuple[tuple[str, str], ...]  # (folded column, folded collation)
    origin: Origin


@dataclass
class _Builder:
    """A table while its CREATE TABLE (or ADD COLUMN) is being read.

    `semantic` is false when the statement will not create anything (IF NOT EXISTS on
    an existing table): SQLite then checks only the syntax.
    """

    name: str
    origin: Origin
    semantic: bool = True
    columns: list[_Col] = field(default_factory=list)
    has_pk: bool = False
    pk_columns: tuple[str, ...] = ()
    pk_origin: Origin | None = None
    ipk: str | None = None  # the rowid alias column
    autoinc: bool = False
    autos: list[_Auto] = field(default_factory=list)
    fks: list[tuple[ForeignKey, str | None]] = field(default_factory=list)
    checks: list[tuple[Check, str | None, list[Tok]]] = field(default_factory=list)
    generated: list[tuple[str, list[Tok]]] = field(default_factory=list)

    def fail(self, message: str) -> None:
        if self.semantic:
            raise Refused(message)

    def column(self, name: str) -> _Col | None:
        return next((c for c in self.columns if fold(c.name) == fold(name)), None)

    def autoindex(self, columns: list[tuple[_Col, str | None]], kind: str, origin: Origin) -> None:
        """Create an autoindex unless an equivalent one exists (``sqlite3CreateIndex``).

        Two constraints on the same columns in the same order with the same collations
        share one index; a PRIMARY KEY turns an equivalent UNIQUE index into its own.
        """
        key = tuple((fold(c.name), fold(coll or c.collation or "BINARY")) for c, coll in columns)
        for auto in self.autos:
            if auto.key == key:
                if kind == "pk":
                    auto.kind = "pk"
                return
        name = f"sqlite_autoindex_{self.name}_{len(self.autos) + 1}"
        self.autos.append(_Auto(name, kind, tuple(c.name for c, _ in columns), key, origin))


# The replay --------------------------------------------------------------------------


class Replay:
    """Replays SQLite files into a `Catalog`, one statement at a time."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.state = State()
        self.path = ""
        self.text = ""
        self.lines = LineIndex("")
        # Open transaction and savepoints, innermost last: (savepoint name, snapshot).
        self._tx: list[tuple[str | None, tuple[Any, ...]]] = []
        # Connection settings (PRAGMA), which a ROLLBACK does not undo.
        self.foreign_keys = False
        self.legacy_alter_table = False

    def file(self, path: str, text: str) -> None:
        """Replay one file; a statement SQLite refuses costs only that statement."""
        self.path = path
        self.text = text
        self.lines = LineIndex(text)
        for statement in split(text, self.lines):
            self._run(statement)

    def _origin(self, tok: Tok) -> Origin:
        return Origin(self.path, self.lines.line(tok.start))

    def _run(self, st: Statement) -> None:
        origin = Origin(self.path, st.line)
        if st.problem is not None:
            self.catalog.error(st.problem, origin)
            return
        p = Parser(st.tokens, self.text)
        first = st.tokens[0].word
        try:
            _balanced(st.tokens)
            if first == "CREATE":
                self._create(p, origin)
            elif first == "ALTER":
                self._alter(p, origin)
            elif first == "DROP":
                self._drop(p, origin)
            elif first == "PRAGMA":
                self._pragma(p, origin)
            elif first in ("BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"):
                self._transaction(p)
            elif first in _NOTED:
                self._data(p, first, origin)
            else:
                self._other(p, origin)
        except Refused as exc:
            self.catalog.error(str(exc), origin)

    # Names -------------------------------------------------------------------------

    def _table(self, name: str) -> MutTable | None:
        return self.state.tables.get(fold(name))

    def _taken_by_table(self, name: str) -> str | None:
        """What a table-like object called `name` in main is: table, view or virtual."""
        key = fold(name)
        if key in self.state.tables:
            return "table"
        if key in self.state.views:
            return "view"
        if key in self.state.virtual:
            return "table"
        return None

    def _autoindexes(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for key, table in self.state.tables.items():
            if table.primary_key and table.primary_key.name:
                names[fold(table.primary_key.name)] = key
            for u in table.uniques:
                if u.name:
                    names[fold(u.name)] = key
        return names

    def _index_exists(self, name: str) -> bool:
        return fold(name) in self.state.indexes or fold(name) in self._autoindexes()

    @staticmethod
    def _check_object_name(name: str) -> None:
        """``sqlite3CheckObjectName``: names starting ``sqlite_`` are SQLite's own."""
        if fold(name).startswith("sqlite_"):
            raise Refused(f"object name reserved for internal use: {name}")

    @staticmethod
    def _database(schema: str | None) -> str | None:
        """``main`` or ``temp`` for a qualifier; anything else is not attached."""
        if schema is None:
            return None
        if fold(schema) in ("main", "temp"):
            return fold(schema)
        raise Refused(f"unknown database {schema}")

    def _resolve(self, schema: str | None, name: str) -> str | None:
        """Where a table name resolves: ``temp`` first, then ``main`` (or ``None``)."""
        db = self._database(schema)
        if db != "main" and fold(name) in self.state.temp:
            return "temp"
        if db != "temp" and (
            fold(name) in self.state.tables
            or fold(name) in self.state.views
            or fold(name) in self.state.virtual
        ):
            return "main"
        return None

    # CREATE --------------------------------------------------------------------------

    def _create(self, p: Parser, origin: Origin) -> None:
        p.expect("CREATE")
        temp = p.take("TEMP", "TEMPORARY") is not None
        if p.take("TABLE"):
            self._create_table(p, origin, temp)
        elif p.take("VIEW"):
            self._create_view(p, origin, temp)
        elif p.take("TRIGGER"):
            self._create_trigger(p, origin, temp)
        elif not temp and p.at("UNIQUE", "INDEX"):
            self._create_index(p, origin)
        elif not temp and p.take("VIRTUAL"):
            self._create_virtual(p, origin)
        else:
            raise p.error()

    def _creation_target(self, p: Parser, temp: bool, kind: str) -> tuple[bool, bool, str]:
        """Read ``[IF NOT EXISTS] [db.]name``: (temp, if-not-exists, name)."""
        ine = p.if_not_exists()
        schema, name = p.qualified()
        db = self._database(schema)
        if temp and db == "main":
            raise Refused(f"temporary {kind} name must be unqualified")
        return temp or db == "temp", ine, name

    def _create_table(self, p: Parser, origin: Origin, temp: bool) -> None:
        temp, ine, name = self._creation_target(p, temp, "table")
        self._check_object_name(name)
        exists = fold(name) in self.state.temp if temp else self._taken_by_table(name)
        if exists and not ine:
            raise Refused(f"{'view' if exists == 'view' else 'table'} {name} already exists")
        if not temp and self._index_exists(name):
            raise Refused(f"there is already an index named {name}")
        if p.take("AS"):
            self._create_table_as(p, origin, name, temp, bool(exists))
            return
        b = _Builder(name, origin, semantic=not exists)
        facts = TableFacts()
        self._table_body(p, b, facts)
        if exists:
            self.catalog.note("skipped", f"table {name} already exists, skipping", origin)
            return
        table = self._finish_table(b, facts)
        if temp:
            self.state.temp[fold(name)] = table
            self.catalog.note("temporary", f"temporary table {name} is not modelled", origin)
            return
        self._add_table(table, facts)

    def _add_table(self, table: MutTable, facts: TableFacts) -> None:
        self.state.tables[fold(table.name)] = table
        self.state.facts[fold(table.name)] = facts
        self.catalog.add_table(table)

    def _table_body(self, p: Parser, b: _Builder, facts: TableFacts) -> None:
        """``( columnlist [, conslist] ) [table-options]`` of parse.y."""
        p.expect_op("(")
        self._column_def(p, b)
        while p.take_op(","):
            if p.at(*_TCONS):
                self._conslist(p, b)
                break
            self._column_def(p, b)
        p.expect_op(")")
        if not p.done():
            p.take_op(",")  # table_option_set (parse.y) may begin with its comma: ") , STRICT"
            while True:
                if p.take("WITHOUT"):
                    option = p.name()
                    if fold(option) != "rowid":
                        b.fail(f"unknown table option: {option}")
                    facts.without_rowid = True
                else:
                    option = p.name()
                    if fold(option) != "strict":
                        b.fail(f"unknown table option: {option}")
                    facts.strict = True
                if not p.take_op(","):
                    break
        p.end()

    def _conslist(self, p: Parser, b: _Builder) -> None:
        """Table constraints; a ``CONSTRAINT x`` name lasts until the next comma."""
        name: str | None = None
        while True:
            start = p.peek()
            if start is None:
                raise p.error()
            origin = self._origin(start)
            if p.take("CONSTRAINT"):
                name = p.name()
            elif p.take("PRIMARY"):
                p.expect("KEY")
                opened, closed = p.group()
                # ``PRIMARY KEY ( sortlist autoinc )``: AUTOINCREMENT sits inside the group.
                autoinc = p.toks[closed - 1].word == "AUTOINCREMENT"
                cols = self._sortlist(b, p.items(opened, closed - 1 if autoinc else closed))
                p.onconf()
                self._primary_key(b, cols, False, autoinc, origin, column_form=False)
            elif p.take("UNIQUE"):
                opened, closed = p.group()
                cols = self._sortlist(b, p.items(opened, closed))
                p.onconf()
                if cols is not None:
                    b.autoindex(cols, "u", origin)
            elif p.take("CHECK"):
                opened, closed = p.group()
                self._check(p, b, name, opened, closed, None, origin)
                p.onconf()
            elif p.take("FOREIGN"):
                p.expect("KEY")
                opened, closed = p.group()
                local = [self._plain_name(item) for item in p.items(opened, closed)]
                p.expect("REFERENCES")
                self._references(p, b, local, None, origin)
                self._defer(p)
            else:
                raise p.error()
            if p.take_op(","):
                name = None
                if not p.at(*_TCONS):
                    raise p.error()
            elif not p.at(*_TCONS):
                return

    def _plain_name(self, item: list[Tok]) -> str:
        """An ``eidlist`` item: a name, optionally with COLLATE and ASC/DESC."""
        sub = Parser(item, self.text)
        name = sub.name()
        if sub.take("COLLATE"):
            if not sub.is_id():
                raise sub.error()
            sub.i += 1
        sub.take("ASC", "DESC")
        if not sub.done():
            raise sub.error()
        return name

    def _sortlist(
        self, b: _Builder, items: list[list[Tok]]
    ) -> list[tuple[_Col, str | None]] | None:
        """PRIMARY KEY / UNIQUE columns: each a column name with optional COLLATE and order."""
        result: list[tuple[_Col, str | None]] = []
        for item in items:
            if not item:
                raise Refused('near ")": syntax error' if not result else 'near ",": syntax error')
            toks = list(item)
            if toks and toks[-1].kind == "word" and toks[-1].word in ("ASC", "DESC"):
                toks.pop()
            collation = None
            if len(toks) >= 3 and toks[-2].word == "COLLATE":
                collation = dequote(toks[-1].raw)
                toks = toks[:-2]
            self._expression(toks)
            if len(toks) != 1 or toks[0].kind not in ("word", "quoted", "string"):
                b.fail("expressions prohibited in PRIMARY KEY and UNIQUE constraints")
                return None
            name = dequote(toks[0].raw)
            col = b.column(name)
            if col is None:
                b.fail(f"no such column: {name}")
                return None
            result.append((col, collation))
        return result

    def _primary_key(
        self,
        b: _Builder,
        cols: list[tuple[_Col, str | None]] | None,
        desc: bool,
        autoinc: bool,
        origin: Origin,
        column_form: bool,
    ) -> None:
        """``sqlite3AddPrimaryKey``: a rowid alias, or an autoindex."""
        if b.has_pk:
            b.fail(f'table "{b.name}" has more than one primary key')
            return
        b.has_pk = True
        if cols is None:
            return
        for col, _ in cols:
            col.primary = True
            if col.generated is not None:
                b.fail("generated columns cannot be part of the PRIMARY KEY")
        b.pk_columns = tuple(c.name for c, _ in cols)
        b.pk_origin = origin
        # Only the column form's DESC keeps INTEGER PRIMARY KEY from being the rowid.
        if len(cols) == 1 and cols[0][0].declared == "INTEGER" and not (column_form and desc):
            b.ipk = cols[0][0].name
            b.autoinc = autoinc
        elif autoinc:
            b.fail("AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY")
        else:
            b.autoindex(cols, "pk", origin)

    def _typetoken(self, p: Parser) -> str:
        """``typetoken``: names, then optionally ``(n)`` or ``(n, m)``; the text as written."""
        first = p.i
        while p.is_id():
            after = p.peek(1)
            if p.at("GENERATED") and after is not None and after.word == "ALWAYS":
                break  # GENERATED ALWAYS AS: the constraint, not the type
            p.i += 1
        if p.i == first:
            return ""
        last = p.i - 1
        if p.at_op("("):
            p.i += 1
            for n in range(2):
                if not p.take_op("+"):
                    p.take_op("-")
                tok = p.peek()
                if tok is None or tok.kind != "number":
                    raise p.error()
                p.i += 1
                if n == 0 and not p.take_op(","):
                    break
            p.expect_op(")")
            last = p.i - 1
        return p.span(first, last)

    def _column_def(self, p: Parser, b: _Builder) -> _Col:
        """``columnname carglist``: one column and its constraints."""
        start = p.peek()
        if start is None:
            raise p.error()
        name = p.name()
        origin = self._origin(start)
        col = _Col(name, reported_type(self._typetoken(p)), origin)
        if b.column(name) is not None:
            b.fail(f"duplicate column name: {name}")
        b.columns.append(col)
        constraint: str | None = None
        while not p.done() and not p.at_op(",") and not p.at_op(")"):
            here = self._origin(p.peek())  # type: ignore[arg-type]
            if p.take("CONSTRAINT"):
                constraint = p.name()
            elif p.take("DEFAULT"):
                self._default(p, b, col)
            elif p.take("NULL"):
                p.onconf()
            elif p.take("NOT"):
                if p.take("NULL"):
                    col.notnull = True
                    p.onconf()
                else:
                    p.expect("DEFERRABLE")
                    self._initially(p)
            elif p.take("PRIMARY"):
                p.expect("KEY")
                order = p.take("ASC", "DESC")
                p.onconf()
                autoinc = p.take("AUTOINCREMENT") is not None
                self._primary_key(b, [(col, None)], order == "DESC", autoinc, here, True)
            elif p.take("UNIQUE"):
                p.onconf()
                b.autoindex([(col, None)], "u", here)
            elif p.take("CHECK"):
                opened, closed = p.group()
                self._check(p, b, constraint, opened, closed, col.name, here)
            elif p.take("REFERENCES"):
                self._references(p, b, [col.name], col.name, here)
            elif p.take("DEFERRABLE"):
                self._initially(p)
            elif p.take("COLLATE"):
                if not p.is_id():
                    raise p.error()
                col.collation = dequote(p.peek().raw)  # type: ignore[union-attr]
                p.i += 1
            elif p.take("GENERATED"):
                p.expect("ALWAYS")
                p.expect("AS")
                self._generated(p, b, col)
            elif p.take("AS"):
                self._generated(p, b, col)
            else:
                raise p.error()
        return col

    def _default(self, p: Parser, b: _Builder, col: _Col) -> None:
        """``DEFAULT``: a parenthesised expression, a signed literal, a literal or a name.

        The stored text is the source text (``PRAGMA table_xinfo.dflt_value``).
        """
        if col.generated is not None:
            b.fail("cannot use DEFAULT on a generated column")
        first = p.i
        tok = p.peek()
        if tok is None:
            raise p.error()
        if tok.is_op("("):
            opened, closed = p.group()
            inner = p.toks[opened + 1 : closed]
            self._expression(inner)
            if column_refs(inner, strict=True):
                b.fail(f"default value of column [{col.name}] is not constant")
            col.default = p.inner(opened, closed)
            col.default_constant = _constant(inner)
            return
        if tok.is_op("+") or tok.is_op("-"):
            p.i += 1
            if not self._term(p):
                raise p.error()
            col.default = p.span(first, p.i - 1)
            col.default_constant = p.peek(-1).kind == "number"  # type: ignore[union-attr]
            return
        if self._term(p):
            col.default = p.span(first, p.i - 1)
            col.default_constant = tok.word not in _CTIME
            return
        if tok.kind == "quoted" or (tok.kind == "word" and tok.word not in RESERVED):
            p.i += 1
            col.default = tok.raw
            return
        raise p.error()

    @staticmethod
    def _term(p: Parser) -> bool:
        """``term``: NULL, a number, a string, a blob or CURRENT_*; consumed if present."""
        tok = p.peek()
        if tok is None:
            return False
        if tok.is_op(".") and (nxt := p.peek(1)) is not None and nxt.kind == "number":
            p.i += 2  # sqlglot splits ".5"
            return True
        if tok.kind in ("number", "string", "blob") or tok.word in ("NULL", *_CTIME):
            p.i += 1
            return True
        return False

    def _check(
        self,
        p: Parser,
        b: _Builder,
        name: str | None,
        opened: int,
        closed: int,
        owner: str | None,
        origin: Origin,
    ) -> None:
        inner = p.toks[opened + 1 : closed]
        if not inner:
            raise Refused('near ")": syntax error')
        self._expression(inner)
        b.checks.append((Check(name, p.inner(opened, closed), origin), owner, inner))

    def _generated(self, p: Parser, b: _Builder, col: _Col) -> None:
        if col.default is not None or col.primary:
            b.fail(f'error in generated column "{col.name}"')
        opened, closed = p.group()
        inner = p.toks[opened + 1 : closed]
        self._expression(inner)
        col.generated = p.inner(opened, closed)
        tok = p.peek()
        if tok is not None and (
            tok.kind == "quoted" or (tok.kind == "word" and tok.word not in RESERVED)
        ):
            p.i += 1
            kind = fold(dequote(tok.raw))
            if kind not in ("stored", "virtual"):
                b.fail(f'error in generated column "{col.name}"')
            col.stored = kind == "stored"
        b.generated.append((col.name, inner))

    def _references(
        self, p: Parser, b: _Builder, local: list[str], owner: str | None, origin: Origin
    ) -> None:
        """``REFERENCES nm [(cols)] refargs``: a foreign key with its actions."""
        parent = p.name()
        ref_columns: list[str] = []
        if p.at_op("("):
            opened, closed = p.group()
            ref_columns = [self._plain_name(item) for item in p.items(opened, closed)]
        actions = {"DELETE": "NO ACTION", "UPDATE": "NO ACTION"}
        while True:
            if p.take("MATCH"):
                p.name()
            elif p.take("ON"):
                event = p.expect("INSERT", "DELETE", "UPDATE")
                if p.take("SET"):
                    action = "SET " + p.expect("NULL", "DEFAULT")
                elif p.take("NO"):
                    p.expect("ACTION")
                    action = "NO ACTION"
                else:
                    action = p.expect("CASCADE", "RESTRICT")
                actions[event] = action
            else:
                break
        if owner is not None and len(ref_columns) > 1:
            b.fail(f"foreign key on {owner} should reference only one column of table {parent}")
            return
        if ref_columns and len(ref_columns) != len(local):
            b.fail(
                "number of columns in foreign key does not match the number of columns "
                "in the referenced table"
            )
            return
        columns: list[str] = []
        for name in local:
            col = b.column(name)
            if col is None:
                b.fail(f'unknown column "{name}" in foreign key definition')
                return
            columns.append(col.name)
        fk = ForeignKey(
            None,
            tuple(columns),
            parent,
            tuple(ref_columns),
            None,
            actions["DELETE"],
            actions["UPDATE"],
            origin,
        )
        b.fks.append((fk, owner))

    @staticmethod
    def _defer(p: Parser) -> None:
        if p.take("NOT"):
            p.expect("DEFERRABLE")
            Replay._initially(p)
        elif p.take("DEFERRABLE"):
            Replay._initially(p)

    @staticmethod
    def _initially(p: Parser) -> None:
        if p.take("INITIALLY"):
            p.expect("DEFERRED", "IMMEDIATE")

    def _expression(self, tokens: list[Tok]) -> None:
        """Refuse an expression sqlglot cannot parse (SQLite's own check is its parser)."""
        from sqlglot import exp

        if not tokens:
            raise Refused("incomplete input")
        _plausible(tokens)
        text = self.text[tokens[0].start : tokens[-1].end]
        trees, problem = sqlglot_parse("SELECT " + text)
        if problem is not None:
            raise Refused(problem)
        # One bare expression: sqlglot would read "a b" as an alias, "1 FROM t" as a query.
        tree = trees[0] if len(trees) == 1 else None
        extra = [k for k, v in tree.args.items() if v and k != "expressions"] if tree else []
        if (
            not isinstance(tree, exp.Select)
            or len(tree.expressions) != 1
            or extra
            or any(a.find_ancestor(exp.Select) is tree for a in tree.find_all(exp.Alias))
        ):
            raise Refused("syntax error in expression")
        _reserved_names(trees)

    def _finish_table(self, b: _Builder, facts: TableFacts) -> MutTable:
        """``sqlite3EndTable``: the checks made once every column is known, then the table."""
        names = {fold(c.name) for c in b.columns}
        if facts.strict:
            for col in b.columns:
                if not col.declared:
                    b.fail(f"missing datatype for {b.name}.{col.name}")
                elif not is_std_type(col.declared):
                    b.fail(f'unknown datatype for {b.name}.{col.name}: "{col.declared}"')
        if facts.without_rowid:
            if b.autoinc:
                b.fail("AUTOINCREMENT not allowed on WITHOUT ROWID tables")
            if not b.has_pk:
                b.fail(f"PRIMARY KEY missing on table {b.name}")
            if b.ipk is not None:
                # convertToWithoutRowidTable makes the rowid alias a real index, last.
                col = b.column(b.ipk)
                assert col is not None
                b.autoindex([(col, None)], "pk", b.pk_origin or b.origin)
                b.ipk = None
        for _, _, tokens in b.checks:
            self._known_columns(tokens, names, b)
        for _, tokens in b.generated:
            self._known_columns(tokens, names, b)
        return self._mut_table(b, facts)

    @staticmethod
    def _known_columns(tokens: list[Tok], names: set[str], b: _Builder) -> None:
        for name, _ in column_refs(tokens, strict=True):
            if fold(name) not in names:
                b.fail(f"no such column: {name}")

    def _mut_table(self, b: _Builder, facts: TableFacts) -> MutTable:
        table = MutTable(b.name, None, b.origin)
        pk_cols = {fold(c) for c in b.pk_columns} if facts.without_rowid else set()
        for col in b.columns:
            table.columns[col.name] = self._column(col, b, pk_cols)
        pk_index = next((a for a in b.autos if a.kind == "pk"), None)
        if b.pk_columns:
            table.primary_key = PrimaryKey(
                pk_index.name if pk_index else None, b.pk_columns, b.pk_origin
            )
        table.uniques = [Unique(a.name, a.columns, a.origin) for a in b.autos if a.kind == "u"]
        table.foreign_keys = [fk for fk, _ in b.fks]
        facts.fk_owner = [fold(o) if o else None for _, o in b.fks]
        table.checks = [c for c, _, _ in b.checks]
        facts.check_owner = [fold(o) if o else None for _, o, _ in b.checks]
        return table

    @staticmethod
    def _column(col: _Col, b: _Builder, pk_cols: set[str]) -> Column:
        return Column(
            name=col.name,
            type=declared_type(col.declared),
            nullable=not (col.notnull or fold(col.name) in pk_cols),
            default=col.default,
            identity="autoincrement" if b.autoinc and b.ipk == col.name else None,
            generated=col.generated,
            origin=col.origin,
        )

    def _create_table_as(
        self, p: Parser, origin: Origin, name: str, temp: bool, exists: bool
    ) -> None:
        """``CREATE TABLE ... AS SELECT``: columns typed by expression affinity."""
        from sqlglot import exp

        if not p.at("SELECT", "VALUES", "WITH"):
            raise p.error()
        _plausible(p.toks[p.i :])
        select = self.text[p.toks[p.i].start : p.toks[-1].end]
        trees, problem = sqlglot_parse(select)
        if problem is not None:
            raise Refused(problem)
        _reserved_names(trees)
        self._require_tables(_table_refs(trees))
        self._check_columns(trees)
        if exists:
            self.catalog.note("skipped", f"table {name} already exists, skipping", origin)
            return
        table = MutTable(name, None, origin)
        tree = trees[0] if trees else None
        sources = [self._table(t.name) for t in (tree.find_all(exp.Table) if tree else [])]
        for projection in tree.expressions if isinstance(tree, exp.Select) else []:
            for col_name, declared in self._projected(projection, sources):
                if col_name in table.columns:
                    continue
                table.columns[col_name] = Column(
                    col_name, declared_type(declared), True, origin=origin
                )
        self.catalog.note(
            "table-as-select", f"columns of {name} derived from its SELECT by affinity", origin
        )
        facts = TableFacts(has_rows=any(s is not None and self._rows(s.name) for s in sources))
        if temp:
            self.state.temp[fold(name)] = table
            return
        self._add_table(table, facts)

    @staticmethod
    def _projected(projection: Any, sources: list[MutTable | None]) -> list[tuple[str, str]]:
        """(name, declared type) of one SELECT output column in ``CREATE TABLE AS``.

        SQLite declares each column by the expression's affinity: INT, TEXT, NUM, REAL or
        nothing (https://www.sqlite.org/lang_createtable.html#createtabas).
        """
        from sqlglot import exp

        from dbdrift.types.sqlite import affinity_family

        names = {"integer": "INT", "text": "TEXT", "float": "REAL", "numeric": "NUM"}
        inner = projection.this if isinstance(projection, exp.Alias) else projection
        if isinstance(inner, exp.Star) or (
            isinstance(inner, exp.Column) and isinstance(inner.this, exp.Star)
        ):
            return [
                (c.name, names.get(affinity_family(c.type.sql), ""))
                for s in sources
                if s is not None
                for c in s.columns.values()
            ]
        declared = ""
        if isinstance(inner, exp.Column):
            for s in sources:
                col = next(
                    (
                        c
                        for c in (s.columns.values() if s else [])
                        if fold(c.name) == fold(inner.name)
                    ),
                    None,
                )
                if col is not None:
                    declared = names.get(affinity_family(col.type.sql), "")
                    break
        elif isinstance(inner, exp.Cast):
            declared = names.get(affinity_family(inner.to.sql("sqlite")), "")
        return [(projection.alias_or_name or projection.sql("sqlite"), declared)]

    # CREATE INDEX / VIEW / TRIGGER / VIRTUAL TABLE ------------------------------------

    def _create_index(self, p: Parser, origin: Origin) -> None:
        unique = p.take("UNIQUE") is not None
        p.expect("INDEX")
        ine = p.if_not_exists()
        schema, name = p.qualified()
        p.expect("ON")
        table_name = p.name()
        opened, closed = p.group()
        items = p.items(opened, closed)
        where: list[Tok] = []
        if p.take("WHERE"):
            where = p.toks[p.i :]
            p.i = len(p.toks)
            self._expression(where)
        p.end()
        db = self._database(schema)
        place = "temp" if db == "temp" else self._resolve(None, table_name)
        if db == "main" and place == "temp":
            place = None
        if place is None:
            raise Refused(f"no such table: {schema or 'main'}.{table_name}")
        self._check_object_name(name)
        if place == "temp":
            if fold(name) in self.state.temp_indexes and not ine:
                raise Refused(f"index {name} already exists")
            self.state.temp_indexes[fold(name)] = fold(table_name)
            self.catalog.note("temporary", f"index {name} on a temporary table", origin)
            return
        if fold(table_name) in self.state.views:
            raise Refused("views may not be indexed")
        if fold(table_name) in self.state.virtual:
            raise Refused("virtual tables may not be indexed")
        table = self._table(table_name)
        assert table is not None
        if self._taken_by_table(name):
            raise Refused(f"there is already a table named {name}")
        if self._index_exists(name):
            if ine:
                self.catalog.note("skipped", f"index {name} already exists, skipping", origin)
                return
            raise Refused(f"index {name} already exists")
        names = {fold(c): c for c in table.columns}
        keys = [self._index_key(item, names) for item in items]
        if where:
            for ref, _ in column_refs(where, strict=True):
                if fold(ref) not in names:
                    raise Refused(f"no such column: {ref}")
        where_text = self.text[where[0].start : where[-1].end] if where else None
        table.indexes.append(Index(name, tuple(keys), unique, None, where_text, origin))
        self.state.indexes[fold(name)] = fold(table.name)

    def _index_key(self, item: list[Tok], names: dict[str, str]) -> str:
        """A column of CREATE INDEX: the table's spelling of a column, or ``(expr)``."""
        toks = list(item)
        if not toks:
            raise Refused('near ")": syntax error')
        if toks[-1].kind == "word" and toks[-1].word in ("ASC", "DESC"):
            toks.pop()
        if len(toks) >= 3 and toks[-2].word == "COLLATE":
            toks = toks[:-2]
        self._expression(toks)
        if len(toks) == 1 and toks[0].kind in ("word", "quoted", "string"):
            name = dequote(toks[0].raw)
            if fold(name) in names:
                return names[fold(name)]
            if toks[0].kind != "string":
                raise Refused(f"no such column: {name}")
        for ref, _ in column_refs(toks, strict=True):
            if fold(ref) not in names:
                raise Refused(f"no such column: {ref}")
        return "(" + self.text[toks[0].start : toks[-1].end] + ")"

    def _create_view(self, p: Parser, origin: Origin, temp: bool) -> None:
        temp, ine, name = self._creation_target(p, temp, "view")
        if p.at_op("("):
            p.group()
        p.expect("AS")
        if not p.at("SELECT", "VALUES", "WITH"):
            raise p.error()
        _plausible(p.toks[p.i :])
        trees, problem = sqlglot_parse(self.text[p.toks[p.i].start : p.toks[-1].end])
        if problem is not None:
            raise Refused(problem)
        _joins_need_from(trees)
        _reserved_names(trees)
        self._check_object_name(name)
        exists = fold(name) in self.state.temp if temp else self._taken_by_table(name)
        if exists:
            if ine:
                self.catalog.note("skipped", f"view {name} already exists, skipping", origin)
                return
            raise Refused(f"{exists} {name} already exists")
        if not temp and self._index_exists(name):
            raise Refused(f"there is already an index named {name}")
        if temp:
            self.state.temp[fold(name)] = None
        else:
            self.state.views[fold(name)] = _uses_of(trees)
            self.state.view_names[fold(name)] = name
        self.catalog.note("view", f"view {name} is not modelled", origin)

    def _create_trigger(self, p: Parser, origin: Origin, temp: bool) -> None:
        temp, ine, name = self._creation_target(p, temp, "trigger")
        timing = p.take("BEFORE", "AFTER") or ("INSTEAD" if p.take("INSTEAD") else None)
        if timing == "INSTEAD":
            p.expect("OF")
        event = p.expect("INSERT", "UPDATE", "DELETE")
        if event == "UPDATE" and p.take("OF"):
            p.name()
            while p.take_op(","):
                p.name()
        p.expect("ON")
        table_name = p.name()
        if p.take("FOR"):
            p.expect("EACH")
            p.expect("ROW")
        if p.take("WHEN"):
            start = p.i
            while not p.done() and not p.at("BEGIN"):
                p.i += 1
            self._expression(p.toks[start : p.i])
        p.expect("BEGIN")
        body = self._trigger_body(p)
        place = self._resolve(None, table_name)
        if place is None:
            raise Refused(f"no such table: main.{table_name}")
        if fold(name) in self.state.triggers or fold(name) in self.state.temp_triggers:
            if ine:
                self.catalog.note("skipped", f"trigger {name} already exists, skipping", origin)
                return
            raise Refused(f"trigger {name} already exists")
        is_view = fold(table_name) in self.state.views
        if is_view and timing != "INSTEAD":
            raise Refused(f"cannot create {timing or 'BEFORE'} trigger on view: main.{table_name}")
        if not is_view and timing == "INSTEAD":
            raise Refused(f"cannot create INSTEAD OF trigger on table: {table_name}")
        if not temp and place == "main":
            self.state.triggers[fold(name)] = (
                fold(table_name),
                _trigger_uses(body, p.toks, table_name),
            )
        else:
            self.state.temp_triggers[fold(name)] = fold(table_name)
        self.catalog.note("trigger", f"trigger {name} on {table_name} is not modelled", origin)

    def _trigger_body(self, p: Parser) -> list[list[Any]]:
        """``trigger_cmd_list END``: each command ends with ``;``; their sqlglot trees."""
        body = p.toks[p.i :]
        p.i = len(p.toks)
        if not body or body[-1].word != "END":
            raise Refused("incomplete input")
        if len(body) < 2 or not body[-2].is_op(";"):
            raise Refused(f'near "{body[-1].raw}": syntax error')
        commands: list[list[Tok]] = [[]]
        for tok in body[:-2]:
            if tok.is_op(";"):
                commands.append([])
            else:
                commands[-1].append(tok)
        parsed: list[list[Any]] = []
        for command in commands:
            if not command:
                raise Refused('near ";": syntax error')
            if command[0].word not in ("UPDATE", "INSERT", "REPLACE", "DELETE", "SELECT", "WITH"):
                raise Refused(f'near "{command[0].raw}": syntax error')
            _plausible(command)
            sql = self.text[command[0].start : command[-1].end]
            trees, problem = sqlglot_parse(_for_sqlglot(command, sql))
            if problem is not None:
                raise Refused(problem)
            _joins_need_from(trees)
            _reserved_names(trees)
            parsed.append(trees)
        return parsed

    def _create_virtual(self, p: Parser, origin: Origin) -> None:
        p.expect("TABLE")
        ine = p.if_not_exists()
        schema, name = p.qualified()
        self._database(schema)
        p.expect("USING")
        module = p.name()
        self._check_object_name(name)
        if self._taken_by_table(name):
            if ine:
                return
            raise Refused(f"table {name} already exists")
        self.state.virtual[fold(name)] = name
        self.catalog.note(
            "virtual-table", f"virtual table {name} ({module}) is not modelled", origin
        )

    # ALTER TABLE ---------------------------------------------------------------------

    def _alter(self, p: Parser, origin: Origin) -> None:
        p.expect("ALTER")
        p.expect("TABLE")
        schema, name = p.qualified()
        if p.take("RENAME"):
            if p.take("TO"):
                new = p.name()
                p.end()
                table = self._alterable(schema, name, "")
                if table is None:
                    self._temporary_alter(origin)
                else:
                    self._rename_table(table, new, origin)
                return
            p.take("COLUMN")
            old = p.name()
            p.expect("TO")
            new = p.name()
            p.end()
            table = self._alterable(schema, name, "")
            if table is None:
                self._temporary_alter(origin)
            else:
                self._rename_column(table, old, new, origin)
        elif p.take("ADD"):
            p.take("COLUMN")
            table = self._alterable(schema, name, "Cannot add a column to a view")
            self._add_column(p, table, origin)
        elif p.take("DROP"):
            p.take("COLUMN")
            column = p.name()
            p.end()
            table = self._alterable(schema, name, "cannot drop column from view")
            if table is None:
                self._temporary_alter(origin)
            else:
                self._drop_column(table, column, origin)
        else:
            raise p.error()

    def _temporary_alter(self, origin: Origin) -> None:
        self.catalog.note("temporary", "ALTER TABLE of a temporary table: not modelled", origin)

    def _alterable(self, schema: str | None, name: str, view_message: str) -> MutTable | None:
        """The table an ALTER TABLE acts on; ``None`` for a TEMP table (not modelled)."""
        place = self._resolve(schema, name)
        if place is None:
            raise Refused(f"no such table: {name if schema is None else schema + '.' + name}")
        if place == "temp":
            if self.state.temp.get(fold(name)) is None:
                raise Refused(view_message or f"view {name} may not be altered")
            return None
        if fold(name).startswith("sqlite_"):
            raise Refused(f"table {name} may not be altered")
        if fold(name) in self.state.views:
            raise Refused(view_message or f"view {name} may not be altered")
        if fold(name) in self.state.virtual:
            raise Refused("virtual tables may not be altered")
        table = self._table(name)
        assert table is not None
        return table

    def _users(self) -> Iterator[tuple[str, Uses]]:
        """Every view and trigger, as SQLite names it in its messages, with what it uses."""
        for view, uses in self.state.views.items():
            yield f"view {self.state.view_names.get(view, view)}", uses
        for trigger, (_, uses) in self.state.triggers.items():
            yield f"trigger {trigger}", uses

    def _schema_still_valid(self, dropped: tuple[str, str] | None = None) -> None:
        """After RENAME or DROP COLUMN SQLite re-reads every view and trigger; one that
        names a table that is gone (or the column being dropped) makes the ALTER fail.
        Not so under ``PRAGMA legacy_alter_table=ON``."""
        if self.legacy_alter_table:
            return
        known = set(self.state.tables) | set(self.state.views) | set(self.state.virtual)
        known |= {"sqlite_master", "sqlite_schema", "sqlite_sequence"}
        for who, uses in self._users():
            for ref in sorted(uses.tables - known):
                raise Refused(f"error in {who}: no such table: main.{ref}")
            if dropped is not None and uses.uses_column(*dropped):
                raise Refused(f"error in {who} after drop column: no such column: {dropped[1]}")
            self._columns_resolve(who, uses)

    def _columns_resolve(self, who: str, uses: Uses) -> None:
        """Every column a view or trigger names must still exist in the table it names."""
        tables = {t: self.state.tables.get(t) for t in uses.tables}
        for name in sorted(uses.dangling) if uses.closed else []:
            raise Refused(f"error in {who}: no such column: {name}")
        for table_name, column in sorted(uses.columns, key=lambda tc: (tc[0] or "", tc[1])):
            if table_name is not None:
                table = self.state.tables.get(table_name)
                if table is not None and not _has_column(table, column):
                    raise Refused(f"error in {who}: no such column: {column}")
            elif (
                uses.closed
                and tables
                and all(tables.values())
                and not any(_has_column(t, column) for t in tables.values() if t)
            ):
                raise Refused(f"error in {who}: no such column: {column}")

    def _rename_table(self, table: MutTable, new: str, origin: Origin) -> None:
        if self._taken_by_table(new) or self._index_exists(new):
            raise Refused(f"there is already another table or index with this name: {new}")
        self._check_object_name(new)
        self._schema_still_valid()
        old = table.name
        old_key, new_key = fold(old), fold(new)
        self.catalog.remove_table(table.key)
        del self.state.tables[old_key]
        facts = self.state.facts.pop(old_key)
        table.name = new
        table.origin = origin
        prefix = f"sqlite_autoindex_{old}_"

        def renamed(index: str | None) -> str | None:
            if index and fold(index).startswith(fold("sqlite_autoindex_")):
                return f"sqlite_autoindex_{new}_" + index[len(prefix) :]
            return index

        if table.primary_key:
            table.primary_key = replace(table.primary_key, name=renamed(table.primary_key.name))
        table.uniques = [replace(u, name=renamed(u.name)) for u in table.uniques]
        self._add_table(table, facts)
        for index, owner in self.state.indexes.items():
            if owner == old_key:
                self.state.indexes[index] = new_key
        for trigger, (owner, uses) in self.state.triggers.items():
            self.state.triggers[trigger] = (new_key if owner == old_key else owner, uses)
        for _, uses in self._users():
            uses.renamed_table(old_key, new_key)
        if not self.legacy_alter_table or self.foreign_keys:
            for other in self.state.tables.values():
                other.foreign_keys = [
                    replace(f, ref_table=new) if fold(f.ref_table) == old_key else f
                    for f in other.foreign_keys
                ]

    def _rename_column(self, table: MutTable, old: str, new: str, origin: Origin) -> None:
        current = next((c for c in table.columns if fold(c) == fold(old)), None)
        if current is None:
            raise Refused(f'no such column: "{old}"')
        if any(fold(c) == fold(new) and c != current for c in table.columns):
            raise Refused(f"duplicate column name: {new}")
        self._schema_still_valid()
        table.rename_column(current, new)
        table.columns[new] = replace(table.columns[new], origin=origin)
        for name, col in table.columns.items():
            if col.generated:
                table.columns[name] = replace(col, generated=_rename_in(col.generated, old, new))
        table.checks = [
            replace(c, expression=_rename_in(c.expression, old, new) or c.expression)
            for c in table.checks
        ]
        table.indexes = [
            replace(
                i,
                columns=tuple(
                    _rename_in(k, old, new) or k if k.startswith("(") else k for k in i.columns
                ),
                where=_rename_in(i.where, old, new),
            )
            for i in table.indexes
        ]
        for _, uses in self._users():
            uses.renamed_column(fold(table.name), fold(old), fold(new))
        facts = self.state.facts[fold(table.name)]
        facts.check_owner = [fold(new) if o == fold(old) else o for o in facts.check_owner]
        facts.fk_owner = [fold(new) if o == fold(old) else o for o in facts.fk_owner]
        for other in self.state.tables.values():
            other.foreign_keys = [
                replace(
                    f,
                    ref_columns=tuple(new if fold(c) == fold(old) else c for c in f.ref_columns),
                )
                if fold(f.ref_table) == fold(table.name)
                else f
                for f in other.foreign_keys
            ]

    def _add_column(self, p: Parser, table: MutTable | None, origin: Origin) -> None:
        """``ALTER TABLE ... ADD COLUMN``, restricted as ``sqlite3AlterFinishAddColumn`` does."""
        b = _Builder(table.name if table else "", origin)
        facts = self.state.facts.get(fold(table.name)) if table else None
        if table is not None:
            for col in table.columns.values():
                b.columns.append(_Col(col.name, col.type.sql, origin))
        col = self._column_def(p, b)
        p.end()
        if table is None or facts is None:
            self._temporary_alter(origin)
            return
        if col.primary:
            raise Refused("Cannot add a PRIMARY KEY column")
        if b.autos:
            raise Refused("Cannot add a UNIQUE column")
        names = {fold(c.name) for c in b.columns}
        for _, _, tokens in b.checks:
            self._known_columns(tokens, names, b)
        for _, tokens in b.generated:
            self._known_columns(tokens, names, b)
        if facts.strict:
            if not col.declared:
                raise Refused(f"missing datatype for {table.name}.{col.name}")
            if not is_std_type(col.declared):
                raise Refused(f'unknown datatype for {table.name}.{col.name}: "{col.declared}"')
        default = None if col.default is not None and col.default.upper() == "NULL" else col.default
        if facts.has_rows:
            if col.generated is not None and col.stored:
                raise Refused("cannot add a STORED column")
            if col.generated is None:
                if self.foreign_keys and b.fks and default is not None:
                    raise Refused("Cannot add a REFERENCES column with non-NULL default value")
                if col.notnull and default is None:
                    raise Refused("Cannot add a NOT NULL column with default value NULL")
                if default is not None and not col.default_constant:
                    raise Refused("Cannot add a column with non-constant default")
        table.columns[col.name] = self._column(col, b, set())
        table.foreign_keys.extend(fk for fk, _ in b.fks)
        facts.fk_owner.extend(fold(col.name) for _ in b.fks)
        table.checks.extend(c for c, _, _ in b.checks)
        facts.check_owner.extend(fold(col.name) for _ in b.checks)

    def _drop_column(self, table: MutTable, column: str, origin: Origin) -> None:
        """``ALTER TABLE ... DROP COLUMN``: refused while anything else still uses it."""
        name = next((c for c in table.columns if fold(c) == fold(column)), None)
        if name is None:
            raise Refused(f'no such column: "{column}"')
        key = fold(name)
        facts = self.state.facts[fold(table.name)]
        if table.primary_key and key in {fold(c) for c in table.primary_key.columns}:
            raise Refused(f'cannot drop PRIMARY KEY column: "{name}"')
        if any(key in {fold(c) for c in u.columns} for u in table.uniques):
            raise Refused(f'cannot drop UNIQUE column: "{name}"')
        if len(table.columns) == 1:
            raise Refused(f'cannot drop column "{name}": no other columns exist')
        self._schema_still_valid(dropped=(fold(table.name), key))
        for index in table.indexes:
            if any(fold(k) == key or (k.startswith("(") and _uses(k, name)) for k in index.columns):
                raise Refused(
                    f"error in index {index.name} after drop column: no such column: {name}"
                )
            if _uses(index.where, name):
                raise Refused(
                    f"error in index {index.name} after drop column: no such column: {name}"
                )
        for check, owner in zip(table.checks, facts.check_owner, strict=True):
            if owner != key and _uses(check.expression, name):
                raise Refused(
                    f"error in table {table.name} after drop column: no such column: {name}"
                )
        for fk, owner in zip(table.foreign_keys, facts.fk_owner, strict=True):
            if owner != key and key in {fold(c) for c in fk.columns}:
                raise Refused(
                    f"error in table {table.name} after drop column: "
                    f'unknown column "{name}" in foreign key definition'
                )
        for other in table.columns.values():
            if fold(other.name) != key and _uses(other.generated, name):
                raise Refused(
                    f"error in table {table.name} after drop column: no such column: {name}"
                )
        keep_checks = [o != key for o in facts.check_owner]
        keep_fks = [o != key for o in facts.fk_owner]
        table.checks = [c for c, keep in zip(table.checks, keep_checks, strict=True) if keep]
        facts.check_owner = [o for o in facts.check_owner if o != key]
        table.foreign_keys = [
            f for f, keep in zip(table.foreign_keys, keep_fks, strict=True) if keep
        ]
        facts.fk_owner = [o for o in facts.fk_owner if o != key]
        del table.columns[name]

    # DROP ----------------------------------------------------------------------------

    def _drop(self, p: Parser, origin: Origin) -> None:
        p.expect("DROP")
        kind = p.expect("TABLE", "INDEX", "VIEW", "TRIGGER")
        ie = p.if_exists()
        schema, name = p.qualified()
        p.end()
        shown = name if schema is None else f"{schema}.{name}"
        handler = {
            "TABLE": self._drop_table,
            "INDEX": self._drop_index,
            "VIEW": self._drop_view,
            "TRIGGER": self._drop_trigger,
        }[kind]
        try:
            handler(schema, name, shown, origin)
        except _Missing:
            if not ie:
                raise
            self.catalog.note("skipped", f"{kind.lower()} {shown} does not exist, skipping", origin)

    def _drop_table(self, schema: str | None, name: str, shown: str, origin: Origin) -> None:
        place = self._resolve(schema, name)
        key = fold(name)
        if place == "temp":
            if self.state.temp[key] is None:
                raise Refused(f"use DROP VIEW to delete view {name}")
            del self.state.temp[key]
            self.state.temp_indexes = {i: t for i, t in self.state.temp_indexes.items() if t != key}
            self.state.temp_triggers = {
                n: t for n, t in self.state.temp_triggers.items() if t != key
            }
            return
        if place is None:
            raise _Missing(f"no such table: {shown}")
        if key.startswith("sqlite_"):
            raise Refused(f"table {name} may not be dropped")
        if key in self.state.views:
            raise Refused(f"use DROP VIEW to delete view {name}")
        if key in self.state.virtual:
            del self.state.virtual[key]
            return
        table = self.state.tables.pop(key)
        self.state.facts.pop(key)
        self.catalog.remove_table(table.key)
        self.state.indexes = {i: t for i, t in self.state.indexes.items() if t != key}
        self.state.triggers = {n: t for n, t in self.state.triggers.items() if t[0] != key}

    def _drop_index(self, schema: str | None, name: str, shown: str, origin: Origin) -> None:
        key = fold(name)
        db = self._database(schema)
        if db != "main" and key in self.state.temp_indexes:
            del self.state.temp_indexes[key]
            return
        if db != "temp" and key in self._autoindexes():
            raise Refused(
                "index associated with UNIQUE or PRIMARY KEY constraint cannot be dropped"
            )
        if db == "temp" or key not in self.state.indexes:
            raise _Missing(f"no such index: {shown}")
        table = self.state.tables[self.state.indexes.pop(key)]
        table.indexes = [i for i in table.indexes if fold(i.name or "") != key]

    def _drop_view(self, schema: str | None, name: str, shown: str, origin: Origin) -> None:
        key = fold(name)
        place = self._resolve(schema, name)
        if place == "temp":
            if self.state.temp[key] is not None:
                raise Refused(f"use DROP TABLE to delete table {name}")
            del self.state.temp[key]
            return
        if place is None:
            raise _Missing(f"no such view: {shown}")
        if key not in self.state.views:
            raise Refused(f"use DROP TABLE to delete table {name}")
        del self.state.views[key]
        self.state.view_names.pop(key, None)
        self.state.triggers = {n: t for n, t in self.state.triggers.items() if t[0] != key}
        self.catalog.note("view", f"view {name} dropped", origin)

    def _drop_trigger(self, schema: str | None, name: str, shown: str, origin: Origin) -> None:
        found = self.state.triggers.pop(fold(name), None)
        if found is None and self.state.temp_triggers.pop(fold(name), None) is None:
            raise _Missing(f"no such trigger: {shown}")
        self.catalog.note("trigger", f"trigger {name} dropped", origin)

    # Data, pragmas, transactions, the rest --------------------------------------------

    def _data(self, p: Parser, first: str, origin: Origin) -> None:
        """INSERT, UPDATE, DELETE, SELECT ...: parsed by sqlglot, checked for the tables
        and columns they name, and noted; rows are tracked only as "has rows or not"."""
        from sqlglot import exp

        _plausible(p.toks)
        sql = self.text[p.toks[0].start : p.toks[-1].end]
        trees, problem = sqlglot_parse(_for_sqlglot(p.toks, sql))
        if problem is not None:
            raise Refused(problem)
        _reserved_names(trees)
        self._require_tables(_table_refs(trees))
        self._check_columns(trees)
        tree = trees[0] if trees else None
        target = self._target(tree)
        if isinstance(tree, exp.Insert) and target is not None:
            self._check_insert(tree, target)
            if target in self.state.facts:
                self.state.facts[target].has_rows = self._inserts_rows(tree)
        elif (
            isinstance(tree, exp.Delete)
            and target in self.state.facts
            and tree.args.get("where") is None
        ):
            self.state.facts[target].has_rows = False
        self.catalog.note(_NOTED[first], f"not modelled: {first} statement", origin)

    @staticmethod
    def _target(tree: Any) -> str | None:
        from sqlglot import exp

        if isinstance(tree, (exp.Insert, exp.Update, exp.Delete)):
            table = tree.this
            if isinstance(table, exp.Schema):
                table = table.this
            if isinstance(table, exp.Table):
                return fold(table.name)
        return None

    def _require_tables(self, names: set[str]) -> None:
        internal = {"sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_sequence"}
        for name in sorted(names):
            if name in internal or self._resolve(None, name) is not None:
                continue
            raise Refused(f"no such table: {name}")

    def _check_columns(self, trees: list[Any]) -> None:
        """Refuse column names SQLite would not resolve when it prepares the statement.

        Only what can be decided without guessing: scopes whose sources (and outer
        sources) are all known tables, not views, CTEs or subqueries; a qualifier naming
        one of them; the SET and WHERE of a single-table UPDATE or DELETE.  A quoted name
        that matches nothing may be a string literal to SQLite, and ``rowid`` always exists.
        """
        from sqlglot import exp
        from sqlglot.optimizer.scope import traverse_scope

        _joins_need_from(trees)
        for tree in trees:
            outer: dict[str, MutTable | None] = {}
            if isinstance(tree, (exp.Update, exp.Delete)):
                outer = self._check_target_columns(tree)
            root = tree.expression if isinstance(tree, exp.Insert) else tree
            if not isinstance(root, exp.Query):
                continue
            try:
                scopes = traverse_scope(root)
            except Exception:  # sqlglot cannot scope it: leave the judgement to SQLite
                log.debug("Skipped column checks of a statement sqlglot cannot scope")
                continue
            for scope in scopes:
                self._check_scope(scope, outer)

    def _source_table(self, source: Any) -> MutTable | None:
        """The table a FROM source reads, when its columns are known."""
        from sqlglot import exp

        if not isinstance(source, exp.Table) or not isinstance(source.this, exp.Identifier):
            return None
        name = fold(source.name)
        if name in self.state.temp:
            return self.state.temp[name]
        return self.state.tables.get(name)

    def _check_scope(self, scope: Any, outer: dict[str, MutTable | None]) -> None:
        from sqlglot import exp

        visible: dict[str, MutTable | None] = dict(outer)
        chain = []
        node = scope
        while node is not None:
            chain.append(node)
            node = node.parent
        for level in reversed(chain):
            for alias, source in level.sources.items():
                visible[fold(alias)] = self._source_table(source)
        # No source at all (SELECT without FROM): every name is unknown.
        complete = all(t is not None for t in visible.values())
        outputs = getattr(scope.expression, "expressions", [])
        aliases = {fold(e.alias) for e in outputs if isinstance(e, exp.Alias)}
        # SQLite lets WHERE, GROUP BY ... name an output alias, not the output list itself.
        in_outputs = {id(c) for e in outputs for c in e.find_all(exp.Column)}
        for col in scope.columns:
            if isinstance(col.this, exp.Star) or _always_there(col):
                continue
            if col.table:
                qualifier = fold(col.table)
                if qualifier not in visible:
                    raise Refused(f"no such column: {col.table}.{col.name}")
                table = visible[qualifier]
                if table is not None and not _has_column(table, col.name):
                    raise Refused(f"no such column: {col.table}.{col.name}")
            elif (
                complete
                and (fold(col.name) not in aliases or id(col) in in_outputs)
                and not any(_has_column(t, col.name) for t in visible.values() if t)
            ):
                raise Refused(f"no such column: {col.name}")

    def _check_target_columns(self, tree: Any) -> dict[str, MutTable | None]:
        """SET and WHERE columns of a single-table UPDATE or DELETE; its name for subqueries."""
        from sqlglot import exp

        source = tree.this
        table = self._source_table(source)
        if table is None:
            return {}
        names = {fold(source.name), fold(source.alias_or_name)}
        if tree.args.get("from_"):
            return {n: table for n in names}
        for assignment in tree.expressions:
            col = assignment.this if isinstance(assignment, exp.EQ) else None
            if isinstance(col, exp.Column) and not _has_column(table, col.name):
                raise Refused(f"no such column: {col.name}")
        where = tree.args.get("where")
        for col in where.find_all(exp.Column) if where is not None else []:
            if col.find_ancestor(exp.Select) is not None or _always_there(col):
                continue
            if col.table and fold(col.table) not in names:
                raise Refused(f"no such column: {col.table}.{col.name}")
            if not _has_column(table, col.name):
                raise Refused(f"no such column: {col.name}")
        return {n: table for n in names}

    def _check_insert(self, tree: Any, target: str) -> None:
        """The column list and VALUES arity of an INSERT, as SQLite checks them."""
        from sqlglot import exp

        table = self.state.tables.get(target)
        if table is None:
            table = self.state.temp.get(target)
        if table is None:
            return
        names = {fold(c): c for c in table.columns}
        listed = tree.this.expressions if isinstance(tree.this, exp.Schema) else []
        for ident in listed:
            if fold(ident.name) not in names:
                raise Refused(f"table {table.name} has no column named {ident.name}")
        values = tree.expression
        if values is None and not tree.args.get("default"):
            raise Refused("incomplete input")
        width = len(listed) or sum(1 for c in table.columns.values() if c.generated is None)
        if isinstance(values, exp.Query) and not isinstance(values, exp.Values):
            first = values
            while isinstance(first, exp.SetOperation):
                first = first.this
            outputs = getattr(first, "expressions", [])
            starred = any(isinstance(e.unalias(), exp.Star) for e in outputs)
            if outputs and not starred and len(outputs) != width:
                if listed:
                    raise Refused(f"{len(outputs)} values for {width} columns")
                raise Refused(
                    f"table {table.name} has {width} columns but {len(outputs)} values "
                    "were supplied"
                )
        if not isinstance(values, exp.Values):
            return
        for col in values.find_all(exp.Column):
            if col.find_ancestor(exp.Select) is None and not _always_there(col):
                raise Refused(f"no such column: {col.sql('sqlite')}")
        for row in values.expressions:
            count = len(row.expressions) if isinstance(row, exp.Tuple) else 1
            if count != width:
                if listed:
                    raise Refused(f"{count} values for {width} columns")
                raise Refused(
                    f"table {table.name} has {width} columns but {count} values were supplied"
                )

    def _rows(self, name: str) -> bool:
        facts = self.state.facts.get(fold(name))
        return facts.has_rows if facts else False

    def _inserts_rows(self, tree: Any) -> bool:
        from sqlglot import exp

        target = self._target(tree)
        already = self._rows(target) if target else False
        source = tree.expression
        if source is None or isinstance(source, exp.Values):
            return True
        tables = _table_refs([source])
        if not tables:
            return True
        return already or any(self._rows(t) for t in tables)

    def _pragma(self, p: Parser, origin: Origin) -> None:
        p.expect("PRAGMA")
        _, name = p.qualified()
        value: Tok | None = None
        if p.take_op("="):
            if not p.take_op("-"):
                p.take_op("+")
            value = p.peek()
            # nmnum in parse.y: a number, a name, ON, DELETE or DEFAULT
            if value is None or (
                value.word in RESERVED and value.word not in ("ON", "DELETE", "DEFAULT")
            ):
                raise p.error()
            p.i += 1
        elif p.at_op("("):
            opened, closed = p.group()
            value = p.toks[opened + 1] if closed > opened + 1 else None
        p.end()
        setting = fold(name)
        if value is not None and setting in ("foreign_keys", "legacy_alter_table"):
            on = dequote(value.raw).upper() in _TRUTHY
            if setting == "legacy_alter_table":
                self.legacy_alter_table = on
            elif not self._tx:  # a no-op inside a transaction
                self.foreign_keys = on
        self.catalog.note("pragma", f"PRAGMA {name}", origin)

    def _transaction(self, p: Parser) -> None:
        """BEGIN / COMMIT / ROLLBACK / SAVEPOINT / RELEASE, with ROLLBACK undoing changes."""
        word = p.take("BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE")
        if word == "BEGIN":
            p.take("DEFERRED", "IMMEDIATE", "EXCLUSIVE")
            if p.take("TRANSACTION") and not p.done():
                p.name()
            p.end()
            if self._tx:
                raise Refused("cannot start a transaction within a transaction")
            self._tx.append((None, self._snapshot()))
        elif word in ("COMMIT", "END"):
            if p.take("TRANSACTION") and not p.done():
                p.name()
            p.end()
            if not self._tx:
                raise Refused("cannot commit - no transaction is active")
            self._tx.clear()
        elif word == "SAVEPOINT":
            name = p.name()
            p.end()
            self._tx.append((fold(name), self._snapshot()))
        else:
            self._rollback_or_release(p, word)

    def _rollback_or_release(self, p: Parser, word: str | None) -> None:
        to = None
        if word == "ROLLBACK":
            if p.take("TRANSACTION") and not p.done() and not p.at("TO"):
                p.name()
            if p.take("TO"):
                p.take("SAVEPOINT")
                to = p.name()
            p.end()
            if to is None:
                if not self._tx:
                    raise Refused("cannot rollback - no transaction is active")
                self._restore(self._tx[0][1])
                self._tx.clear()
                return
        else:
            p.take("SAVEPOINT")
            to = p.name()
            p.end()
        depth = next(
            (k for k in range(len(self._tx) - 1, -1, -1) if self._tx[k][0] == fold(to)), None
        )
        if depth is None:
            raise Refused(f"no such savepoint: {to}")
        if word == "ROLLBACK":
            self._restore(self._tx[depth][1])
            self._tx[depth] = (self._tx[depth][0], self._snapshot())
            del self._tx[depth + 1 :]
        else:
            del self._tx[depth:]

    def _snapshot(self) -> tuple[Any, ...]:
        """A copy of everything a ROLLBACK restores.  The schema objects are frozen, so
        only the containers holding them are copied (a deep copy per BEGIN is too slow
        for streams that wrap every file in a transaction)."""
        tables = {key: _copy_table(t) for key, t in self.catalog.tables.items()}
        return tables, self.state.copy(tables)

    def _restore(self, snapshot: tuple[Any, ...]) -> None:
        """Put a snapshot back; it is not used again (ROLLBACK TO takes a new one)."""
        self.catalog.tables, self.state = snapshot

    def _other(self, p: Parser, origin: Origin) -> None:
        """No SQLite statement starts this way (``sqlite3RunParser`` stops at once)."""
        raise p.error()


def _has_column(table: MutTable, name: str) -> bool:
    return any(fold(c) == fold(name) for c in table.columns)


def _always_there(col: Any) -> bool:
    """``rowid`` and its aliases, and quoted names SQLite may take for string literals."""
    return fold(col.name) in ("rowid", "oid", "_rowid_") or bool(col.this.args.get("quoted"))


# Reserved words that may stand right after / before a comma, and at the very end.
_AFTER_COMMA = frozenset({"NULL", "NOT", "CASE", "EXISTS"})
_BEFORE_COMMA = frozenset({"NULL", "ISNULL", "NOTNULL"})
_AT_END = frozenset({"NULL", "NOTHING", "VALUES", "ISNULL", "NOTNULL"})
_DANGLING = frozenset({"BY"})  # fallback words that still cannot end a statement


def _plausible(tokens: list[Tok]) -> None:
    """Token patterns SQLite's grammar never accepts but sqlglot forgives: stray commas,
    a reserved word where a table name must be, INSERT without INTO, a dangling keyword."""

    def reserved(tok: Tok | None) -> bool:
        return tok is not None and tok.kind == "word" and tok.word in RESERVED

    def near(tok: Tok | None) -> Refused:
        return Refused(f'near "{tok.raw}": syntax error') if tok else Refused("incomplete input")

    for k, tok in enumerate(tokens):
        prev = tokens[k - 1] if k else None
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if tok.is_op(","):
            if prev is None or prev.is_op("(") or prev.is_op(","):
                raise near(tok)
            if reserved(prev) and prev.word not in _BEFORE_COMMA:
                raise near(tok)
            if nxt is None or nxt.is_op(")") or (reserved(nxt) and nxt.word not in _AFTER_COMMA):
                raise near(nxt)
        elif tok.word in ("FROM", "JOIN", "INTO") and (
            nxt is None or (reserved(nxt) and nxt.word not in JOIN_KW)
        ):
            raise near(nxt)
    head = [t.word for t in tokens[:3]]
    if head[:1] in (["INSERT"], ["REPLACE"]):
        into = 3 if head[:2] == ["INSERT", "OR"] else 1
        if len(tokens) <= into or tokens[into].word != "INTO":
            raise near(tokens[into] if len(tokens) > into else None)
    last = tokens[-1]
    if (reserved(last) and last.word not in _AT_END) or last.word in _DANGLING:
        raise Refused("incomplete input")


def _reserved_names(trees: list[Any]) -> None:
    """A reserved word sqlglot took for a name is a syntax error to SQLite."""
    from sqlglot import exp

    for tree in trees:
        for ident in tree.find_all(exp.Identifier):
            word = ident.name.split()[0].upper() if ident.name.strip() else ""
            if not ident.quoted and word in RESERVED and word not in JOIN_KW:
                raise Refused(f'near "{ident.name}": syntax error')


def _joins_need_from(trees: list[Any]) -> None:
    """sqlglot accepts ``SELECT ... JOIN`` without FROM; SQLite's grammar does not."""
    from sqlglot import exp

    for tree in trees:
        for select in tree.find_all(exp.Select):
            if select.args.get("from_"):
                continue
            if select.args.get("joins"):
                raise Refused('near "JOIN": syntax error')
            for e in select.expressions:
                if isinstance(e, exp.Star) or isinstance(e.unalias(), exp.Star):
                    raise Refused("no tables specified")


def _balanced(tokens: list[Tok]) -> None:
    """Parentheses must pair up before any parser is asked (sqlglot forgives some)."""
    depth = 0
    for tok in tokens:
        if tok.is_op("("):
            depth += 1
        elif tok.is_op(")"):
            depth -= 1
            if depth < 0:
                raise Refused('near ")": syntax error')
    if depth:
        raise Refused("incomplete input")


class _Missing(Refused):
    """An object a DROP names does not exist: an error unless IF EXISTS was given."""


def _constant(tokens: list[Tok]) -> bool:
    """Whether a parenthesised default is a literal SQLite can evaluate when it adds a
    column to a table with rows (``sqlite3ValueFromExpr``): a signed literal, in parens."""
    toks = [t for t in tokens if not (t.is_op("(") or t.is_op(")"))]
    if toks and (toks[0].is_op("+") or toks[0].is_op("-")):
        toks = toks[1:]
    if len(toks) == 2 and toks[0].is_op(".") and toks[1].kind == "number":
        return True
    return len(toks) == 1 and (
        toks[0].kind in ("number", "string", "blob") or toks[0].word in ("NULL", "TRUE", "FALSE")
    )


def _trigger_uses(commands: list[list[Any]], tokens: list[Tok], table: str) -> Uses:
    """What a trigger uses: the tables and columns of its commands, and ``NEW.x`` /
    ``OLD.x`` (read from the tokens) as columns of the trigger's own table."""
    own = fold(table)
    uses = Uses()
    for trees in commands:
        found = _uses_of(trees)
        uses.tables |= found.tables
        uses.columns |= {(t, c) for t, c in found.columns if t not in ("new", "old")}
        uses.dangling |= {d for d in found.dangling if fold(d.split(".")[0]) not in ("new", "old")}
        uses.closed = uses.closed and found.closed
    for k, tok in enumerate(tokens[:-2]):
        if tok.word in ("NEW", "OLD") and tokens[k + 1].is_op("."):
            uses.columns.add((own, fold(dequote(tokens[k + 2].raw))))
    return uses


def _for_sqlglot(tokens: list[Tok], sql: str) -> str:
    """SQLite spellings sqlglot does not parse, rewritten to ones it does (same meaning):
    ``REPLACE INTO`` is ``INSERT OR REPLACE INTO``; ``UPDATE OR x`` loses the ``OR x``."""
    base = tokens[0].start
    first = tokens[0].word
    if first == "REPLACE":
        return "INSERT OR " + sql
    if first == "UPDATE" and len(tokens) > 2 and tokens[1].word == "OR":
        return sql[: tokens[1].start - base] + sql[tokens[2].end - base :]
    return sql
