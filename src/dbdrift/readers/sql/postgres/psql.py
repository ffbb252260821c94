"""psql's own lines in a SQL file: meta-commands and ``COPY ... FROM stdin`` data.

`pg_dump` writes plain dumps for psql, not for the server: since PostgreSQL 17.6 / 16.10 /
15.14 every dump opens with ``\\restrict KEY`` and ends with ``\\unrestrict KEY``, a dump of
data carries ``COPY t (...) FROM stdin;`` followed by rows up to a line ``\\.``, and
pg_dumpall adds ``\\connect db``.  The server's parser refuses all of these.  `blank`
replaces them with spaces (line breaks kept, so every offset and line number stays true)
and says what it blanked, so the replay can note each one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Quoted text, comments and dollar quotes, in which a backslash line is not psql's.
_SKIP = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|/\*.*?\*/|(\$[A-Za-z_0-9]*\$)""",
    re.DOTALL,
)
_META = re.compile(r"(?m)^[ \t]*\\([A-Za-z!?.]+)[^\n]*")
_COPY_STDIN = re.compile(r"(?is)\bcopy\b[^;]*?\bfrom\s+stdin\b[^;]*;[^\n]*\n")
_END_OF_DATA = re.compile(r"(?m)^\\\.[ \t]*$")


@dataclass(frozen=True, slots=True)
class ClientLine:
    """A psql-only line (or a block of COPY data) that was blanked, and where it began."""

    offset: int
    what: str


def blank(text: str) -> tuple[str, list[ClientLine]]:
    """`text` with psql's own lines blanked, and what was blanked; unchanged if none."""
    if "\\" not in text:
        return text, []
    spans: list[tuple[int, int, str]] = []
    position = 0
    while True:
        meta = _META.search(text, position)
        if meta is None:
            break
        quoted_end = _inside_quote(text, position, meta.start())
        if quoted_end is not None:
            position = quoted_end
            continue
        spans.append((meta.start(), meta.end(), f"psql meta-command \\{meta.group(1)}"))
        position = meta.end()
    for copy in _COPY_STDIN.finditer(text):
        end = _END_OF_DATA.search(text, copy.end())
        stop = end.end() if end is not None else len(text)
        spans = [s for s in spans if not copy.end() <= s[0] < stop]
        spans.append((copy.end(), stop, "COPY FROM stdin data"))
    if not spans:
        return text, []
    spans.sort()
    pieces, last = [], 0
    for start, stop, _ in spans:
        pieces.append(text[last:start])
        pieces.append(re.sub(r"[^\n]", " ", text[start:stop]))
        last = stop
    pieces.append(text[last:])
    return "".join(pieces), [ClientLine(start, what) for start, _, what in spans]


def _inside_quote(text: str, start: int, target: int) -> int | None:
    """Where the quote or comment that covers `target` ends, or ``None`` if none does.

    Scans from `start`, which is never inside a quote, token by token."""
    position = start
    while True:
        match = _SKIP.search(text, position)
        if match is None or match.start() > target:
            return None
        end = match.end()
        if match.group(1):
            close = text.find(match.group(1), end)
            end = len(text) if close < 0 else close + len(match.group(1))
        if target < end:
            return end
        position = end
