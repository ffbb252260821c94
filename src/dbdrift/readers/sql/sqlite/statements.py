"""A file cut into statements, the way SQLite cuts it.

sqlglot's tokenizer finds the tokens (kept with their exact source spans, since SQLite
reports types and defaults as written), and SQLite's own ``sqlite3_complete`` state
machine (``complete.c``) decides where a statement ends, which keeps a
``CREATE TRIGGER ... BEGIN ...; END;`` whole.  A token SQLite cannot read costs only the
statement holding it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from dbdrift.readers.sql.text import LineIndex

_SKIP = re.compile(r"(?:[ \t\n\r\f\v]+|--[^\n]*(?:\n|\Z)|/\*.*?(?:\*/|\Z))*", re.DOTALL)


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
