"""Turning SQL files into text a replay can trust: decoding, migration sections, lines."""

from __future__ import annotations

import bisect
import re
from pathlib import Path

from dbdrift.schema import Error, Origin

MAX_BYTES = 64 * 1024 * 1024

_DBMATE_UP = re.compile(r"^--\s*migrate:up\b.*$", re.MULTILINE)
_DBMATE_DOWN = re.compile(r"^--\s*migrate:down\b.*$", re.MULTILINE)


def load_text(root: Path, relative: str) -> tuple[str | None, Error | None]:
    """The file's text, or an error saying why it cannot be read as SQL.

    A NUL byte means a binary file; anything that is not UTF-8 is refused with the line of
    the first bad byte, because guessing an encoding would put wrong names in the schema.
    """
    try:
        data = (root / relative).read_bytes()
    except OSError as exc:
        return None, Error(f"cannot read file: {exc.strerror or exc}", Origin(relative, 1))
    if len(data) > MAX_BYTES:
        return None, Error(
            f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB; not read",
            Origin(relative, 1),
        )
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return None, Error("binary file (contains a NUL byte); not SQL", Origin(relative, line))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, Error(
            f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}",
            Origin(relative, line),
        )
    return text.removeprefix("\ufeff"), None


def up_section(text: str) -> str:
    """The part of a dbmate file that ``dbmate up`` runs; other files are returned as they are.

    The ``-- migrate:down`` section is blanked, not cut, so line numbers stay true.
    """
    if not _DBMATE_UP.search(text):
        return text
    down = _DBMATE_DOWN.search(text)
    if down is None:
        return text
    tail = text[down.start() :]
    return text[: down.start()] + "\n" * tail.count("\n")


class LineIndex:
    """Offsets to 1-based lines, for character offsets and for UTF-8 byte offsets."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._chars = [m.end() for m in re.finditer("\n", text)]
        self._bytes: list[int] | None = None

    def line(self, offset: int) -> int:
        """The line of a character offset."""
        return bisect.bisect_right(self._chars, offset) + 1

    def line_of_byte(self, offset: int) -> int:
        """The line of a UTF-8 byte offset (pglast's parse-tree locations are bytes)."""
        if self._bytes is None:
            if self._text.isascii():
                self._bytes = self._chars
            else:
                data = self._text.encode("utf-8")
                self._bytes = [m.end() for m in re.finditer(b"\n", data)]
        return bisect.bisect_right(self._bytes, offset) + 1
