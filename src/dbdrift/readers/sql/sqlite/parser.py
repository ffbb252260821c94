"""The terminals of SQLite's grammar (``parse.y``) over one statement's tokens, and the
token-level questions the replay asks of an expression: which columns it names, and its
text with a column renamed."""

from __future__ import annotations

import re

from dbdrift.readers.sql.sqlite.common import JOIN_KW, KEYWORDS, RESERVED, Refused, fold
from dbdrift.readers.sql.sqlite.statements import Tok, tokenize
from dbdrift.types.sqlite import dequote

_CONFLICT = ("ROLLBACK", "ABORT", "FAIL", "IGNORE", "REPLACE")
_SPACE = " \t\n\r\f\v"  # sqlite3Isspace
_BARE = re.compile(r"[A-Za-z_\x80-\U0010ffff][A-Za-z0-9_$\x80-\U0010ffff]*\Z")


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


def expression_uses(text: str | None, column: str) -> bool:
    """Whether an expression's text names `column`."""
    if not text:
        return False
    tokens, _ = tokenize(text)
    return any(fold(name) == fold(column) for name, _ in column_refs(tokens, strict=False))


def rename_in(text: str | None, old: str, new: str) -> str | None:
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
    """`name` as a double-quoted identifier."""
    return '"' + name.replace('"', '""') + '"'
