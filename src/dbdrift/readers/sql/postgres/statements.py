"""A PostgreSQL file as a sequence of parsed statements, each with its place in the file.

The whole file goes through pglast's JSON path in one call, which is also PostgreSQL's own
syntax check.  Two things keep this fast and robust: a file with a syntax error is split by
PostgreSQL's scanner and parsed statement by statement, so only the bad statement is lost;
and in a file dominated by data (seed files, dumps) the data statements are recognised by
their first keyword and never decoded, since decoding their trees costs ten times the parse.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pglast.parser import ParseError, parse_sql_json, scan, split

from dbdrift.readers.sql.postgres.psql import ClientLine, blank
from dbdrift.readers.sql.text import LineIndex

Node = dict[str, Any]

# First keywords of statements that never change the schema's structure.
DATA_KEYWORDS = frozenset(
    {"INSERT", "UPDATE", "DELETE", "COPY", "SELECT", "VALUES", "TRUNCATE", "MERGE", "CALL"}
)
# A file with more data than this (bytes of parse tree) takes the selective path.
_SELECTIVE_ABOVE = 4 * 1024 * 1024

_LEADING = re.compile(r"(?:\s+|--[^\n]*|/\*.*?\*/)*", re.DOTALL)
_LEADING_BYTES = re.compile(rb"(?:\s+|--[^\n]*|/\*.*?\*/)*", re.DOTALL)
_FIRST_WORD = re.compile(r"[A-Za-z]+")


@dataclass
class Statement:
    """One parsed statement: its tree, and byte offsets into the file's UTF-8 text."""

    node: Node
    kind: str
    base: int  # offset that the tree's own locations are relative to
    start: int  # first token
    end: int  # just past the statement (before its semicolon)


@dataclass
class Skipped:
    """A data statement recognised by its keyword and not decoded."""

    keyword: str
    start: int  # byte offset of its first token


@dataclass
class Problem:
    """A syntax error: the message and the character offset PostgreSQL points at."""

    message: str
    offset: int


@dataclass
class ParsedFile:
    text: str
    data: bytes
    lines: LineIndex
    items: list[Statement | Skipped | Problem] = field(default_factory=list)
    client: list[ClientLine] = field(default_factory=list)


_TAIL_NOISE = re.compile(r"(?s)(;|\s|--[^\n]*|/\*.*?\*/)+")
_LEADING_TEXT = re.compile(r"(?s)\A(;|\s|--[^\n]*|/\*.*?\*/)*")


def parse_file(text: str) -> ParsedFile:
    """Every statement of `text`, in order, as a `Statement`, `Skipped` or `Problem`."""
    text, client = blank(text)
    parsed = ParsedFile(text, text.encode("utf-8"), LineIndex(text), client=client)
    try:
        raw = parse_sql_json(text)
    except ParseError:
        parsed.items.extend(_one_by_one(parsed))
        return parsed
    if len(raw) > _SELECTIVE_ABOVE and _mostly_data(text):
        parsed.items.extend(_selective(parsed))
        return parsed
    parsed.items.extend(_statements(parsed, json.loads(raw), 0, len(parsed.data)))
    return parsed


def _statements(parsed: ParsedFile, tree: Node, base: int, limit: int) -> Iterator[Statement]:
    for raw in tree.get("stmts", []):
        ((kind, node),) = raw["stmt"].items()
        location = base + raw.get("stmt_location", 0)
        start = _LEADING_BYTES.match(parsed.data, location).end()  # type: ignore[union-attr]
        length = raw.get("stmt_len", 0)
        end = location + length if length else limit
        yield Statement(node, kind, base, start, end)


def _mostly_data(text: str) -> bool:
    sample = text[:200_000]
    words = re.findall(r"(?m)^\s*([A-Za-z]+)", sample)
    data = sum(1 for w in words if w.upper() in DATA_KEYWORDS)
    return data * 2 > len(words)


def _selective(parsed: ParsedFile) -> Iterator[Statement | Skipped]:
    """Split by the scanner; decode only the statements that are not data."""
    for piece, base in _slices_with_bytes(
        parsed.text, split(parsed.text, with_parser=False, only_slices=True)
    ):
        chunk = parsed.text[piece]
        keyword = _first_keyword(chunk)
        if keyword in DATA_KEYWORDS:
            lead = len(_LEADING.match(chunk).group().encode("utf-8"))  # type: ignore[union-attr]
            yield Skipped(keyword, base + lead)
            continue
        tree = json.loads(parse_sql_json(chunk))
        yield from _statements(parsed, tree, base, base + len(chunk.encode("utf-8")))


def _one_by_one(parsed: ParsedFile) -> Iterator[Statement | Problem]:
    """Split with PostgreSQL's scanner and parse each statement on its own."""
    text = parsed.text
    broken_at = None
    try:
        slices = list(split(text, with_parser=False, only_slices=True))
    except ParseError as exc:
        # An unterminated quote, dollar quote or comment swallows the rest of the file.
        broken_at = _error_offset(exc, len(text))
        slices = list(split(text[:broken_at], with_parser=False, only_slices=True))
        if slices and ";" not in text[slices[-1].stop : broken_at]:
            slices.pop()
    for piece, base in _slices_with_bytes(text, slices):
        chunk = text[piece]
        try:
            tree = json.loads(parse_sql_json(chunk))
        except ParseError as exc:
            offset = _error_offset(exc, len(chunk.rstrip()))
            yield Problem(str(exc.args[0]), piece.start + offset)
            continue
        yield from _statements(parsed, tree, base, base + len(chunk.encode("utf-8")))
    if broken_at is not None:
        yield Problem(_scanner_message(text, broken_at), broken_at)
    else:
        yield from _unfinished_tail(text, slices)


def _unfinished_tail(text: str, slices: list[slice]) -> Iterator[Problem]:
    """A last statement that is still open at the end of the file (an unclosed parenthesis),
    which the scanner's split leaves out: the server refuses it, so the replay must too."""
    start = slices[-1].stop if slices else 0
    tail = text[start:]
    if not _TAIL_NOISE.sub("", tail):
        return
    try:
        parse_sql_json(tail.lstrip(";"))
    except ParseError as exc:
        body = start + len(tail) - len(_LEADING_TEXT.sub("", tail, count=1))
        yield Problem(str(exc.args[0]), body)


def _error_offset(exc: ParseError, default: int) -> int:
    """Where PostgreSQL points; "at end of input" carries no position, so: the end."""
    offset = exc.args[1] if len(exc.args) > 1 else None
    return offset if isinstance(offset, int) else default


def _slices_with_bytes(text: str, slices: Any) -> Iterator[tuple[slice, int]]:
    """Each slice with the UTF-8 byte offset of its start, computed incrementally."""
    if text.isascii():
        for piece in slices:
            yield piece, piece.start
        return
    position = offset = 0
    for piece in slices:
        offset += len(text[position : piece.start].encode("utf-8"))
        position = piece.start
        yield piece, offset


def _first_keyword(chunk: str) -> str:
    rest = chunk[_LEADING.match(chunk).end() :]  # type: ignore[union-attr]
    word = _FIRST_WORD.match(rest)
    return word.group().upper() if word else ""


def _scanner_message(text: str, offset: int) -> str:
    rest = text[offset:]
    if rest.startswith("$"):
        return "unterminated dollar-quoted string"
    if rest.startswith("/*"):
        return "unterminated /* comment"
    if rest.startswith('"'):
        return "unterminated quoted identifier"
    return "unterminated quoted string"


# Source text of expressions ----------------------------------------------------------------

_OPEN, _CLOSE, _COMMA = "ASCII_40", "ASCII_41", "ASCII_44"


def statement_text(parsed: ParsedFile, statement: Statement) -> str:
    return parsed.data[statement.start : statement.end].decode("utf-8", errors="replace")


def parenthesised_after(text: str, keyword_offset: int) -> str | None:
    """The text inside the first parenthesised group at or after `keyword_offset` (chars).

    Used for ``CHECK (...)`` and ``GENERATED ALWAYS AS (...)``, whose trees PostgreSQL
    itself would print in its own normal form; the source spelling is valid SQL as it is.
    """
    depth = 0
    begin = None
    for token in _tokens(text):
        if token.start < keyword_offset:
            continue
        if token.name == _OPEN:
            if depth == 0 and begin is None:
                begin = token.end + 1
            depth += 1
        elif token.name == _CLOSE:
            depth -= 1
            if depth == 0 and begin is not None:
                return text[begin : token.start].strip()
    return None


def after_last_top_level(text: str, keyword: str) -> str | None:
    """The text after the last `keyword` outside parentheses (an index's ``WHERE``)."""
    depth = 0
    found = None
    for token in _tokens(text):
        if token.name == _OPEN:
            depth += 1
        elif token.name == _CLOSE:
            depth -= 1
        elif depth == 0 and token.name == keyword:
            found = token.end + 1
    return text[found:].strip().rstrip(";").strip() if found is not None else None


def list_items_after(text: str, keyword: str) -> list[str]:
    """The comma-separated items of the first parenthesised list after `keyword`."""
    items: list[str] = []
    depth = 0
    seen_keyword = False
    begin = None
    for token in _tokens(text):
        if not seen_keyword:
            seen_keyword = token.name == keyword
            continue
        if token.name == _OPEN:
            depth += 1
            if depth == 1:
                begin = token.end + 1
                continue
        elif token.name == _CLOSE:
            depth -= 1
            if depth == 0 and begin is not None:
                items.append(text[begin : token.start].strip())
                return items
        elif token.name == _COMMA and depth == 1 and begin is not None:
            items.append(text[begin : token.start].strip())
            begin = token.end + 1
    return items


# Keywords that end a column default inside a column definition.
_AFTER_DEFAULT = frozenset(
    {
        "NOT",
        "NULL_P",
        "CONSTRAINT",
        "CHECK",
        "REFERENCES",
        "PRIMARY",
        "UNIQUE",
        "GENERATED",
        "COLLATE",
        "DEFAULT",
        "ASCII_59",
    }
)


def expression_from(text: str, inside: int) -> str | None:
    """The source text of the expression that follows the last ``DEFAULT`` before `inside`
    (a character offset within the expression), up to where the column definition goes on."""
    tokens = _tokens(text)
    begin = None
    for index, token in enumerate(tokens):
        if token.start > inside:
            break
        if token.name == "DEFAULT":
            begin = index + 1
    if begin is None or begin >= len(tokens):
        return None
    depth = 0
    end = len(text)
    for token in tokens[begin:]:
        if token.name == _OPEN:
            depth += 1
        elif token.name == _CLOSE:
            depth -= 1
            if depth < 0:
                end = token.start
                break
        elif depth == 0 and (token.name == _COMMA or token.name in _AFTER_DEFAULT):
            if token.name == "NULL_P" and token is tokens[begin]:
                continue
            end = token.start
            break
    return text[tokens[begin].start : end].strip() or None


def _tokens(text: str) -> list[Any]:
    try:
        return scan(text)
    except ParseError:
        return []
