"""Splitting a file into statements as the ``mysql`` client does, and the sqlglot dialect
the whole replay tokenizes and parses with.

sqlglot's MySQL tokenizer finds strings and comments, so a delimiter inside them does not
count; the client's ``DELIMITER`` command is honoured, and ``/*!NNNNN ... */`` executable
comments are opened as the server runs them.  A `Statement` keeps its tokens (what sqlglot
does not parse is read from them) and the line the client reports its errors at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from sqlglot.dialects.mysql import MySQL
from sqlglot.errors import TokenError
from sqlglot.tokens import Token, TokenType

from dbdrift.readers.sql.text import LineIndex
from dbdrift.types import mysql as mytypes

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
LITERALS = frozenset(
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
    code = [(tk.start, tk.end + 1) for tk in tokens if tk.token_type not in LITERALS]
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
    words = tuple(tk.text.upper() if tk.token_type not in LITERALS else "" for tk in tokens[:16])
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
