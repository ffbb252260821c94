"""Reading candidate files: each file is read once, decoded, hashed (blake2b) and scanned
cheaply for the statements it holds, so finders can tell schema files from data files.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from dbdrift.discover.tree import os_error
from dbdrift.readers.sql.text import MAX_BYTES, up_section
from dbdrift.schema import Error


@dataclass
class File:
    """A candidate file, read once: its hash, its text when it is UTF-8, and what it holds."""

    rel: str
    digest: str
    text: str | None
    problem: str | None = None
    _scan: Scan | None = None

    @property
    def scan(self) -> Scan:
        if self._scan is None:
            text = self.text or ""
            self._scan = Scan.of(up_section(text) if self.dbmate else text)
        return self._scan

    @property
    def dbmate(self) -> bool:
        """Whether the file has dbmate's ``-- migrate:up`` marker (only its up part is read)."""
        text = self.text or ""
        return "migrate:up" in text and bool(_DBMATE.search(text))


class Files:
    """Reads each candidate file at most once; unreadable files become discovery errors."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[str, File] = {}
        self.errors: list[Error] = []

    def get(self, rel: str) -> File:
        cached = self.cache.get(rel)
        if cached is None:
            cached = self.cache[rel] = self._read(rel)
        return cached

    def _read(self, rel: str) -> File:
        path = self.root / rel
        try:
            if path.stat().st_size > MAX_BYTES:
                return File(rel, f"large:{rel}", None, "too large")
            data = path.read_bytes()
        except OSError as exc:
            self.errors.append(os_error("cannot read file", rel, exc))
            return File(rel, f"unreadable:{rel}", None, "unreadable")
        digest = hashlib.blake2b(data, digest_size=20).hexdigest()
        if b"\x00" in data:
            return File(rel, digest, None, "binary")
        try:
            text = data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            return File(rel, digest, None, "not UTF-8")
        return File(rel, digest, text)


# Comments and string literals are blanked (newlines kept, so lines stay true) and the rest
# upper-cased before any keyword is looked for; backslash escapes are honoured for MySQL
# dumps.  Patterns start with a literal, so a 20 MB dump is searched in milliseconds.
_NOISE = re.compile(r"--[^\n]*|/\*.*?\*/|'(?:[^'\\]+|\\.|'')*'", re.DOTALL)
_WORDS = r"([A-Z_]+(?:\s+[A-Z_]+){0,4})"
_FIRST_HEAD = re.compile(r"\s*" + _WORDS)
_HEAD = re.compile(r";\s*" + _WORDS)
_CREATE_TABLE = re.compile(
    r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:GLOBAL|LOCAL)\s+)?"
    r"(?:(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\b"
)
_DDL_VERBS = frozenset({"CREATE", "ALTER", "DROP", "COMMENT", "RENAME"})
_DATA_VERBS = frozenset({"INSERT", "UPDATE", "DELETE", "COPY", "REPLACE", "MERGE", "TRUNCATE"})
_QUALIFIERS = frozenset(
    {"OR", "REPLACE", "UNIQUE", "TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL", "IF", "NOT"}
)
_DBMATE = re.compile(r"^--\s*migrate:up\b", re.MULTILINE)


def _blank(match: re.Match[str]) -> str:
    return "\n" * match.group().count("\n")


@dataclass(frozen=True, slots=True)
class Scan:
    """A cheap look at a SQL text: what kinds of statement it holds, for classification.

    `upper` is the text with comments and strings blanked, upper-cased; `heads` counts
    statements by their label (``INSERT``, ``CREATE TABLE``).
    """

    upper: str
    heads: Counter[str]
    creates_table: bool

    @classmethod
    def of(cls, text: str) -> Scan:
        upper = _NOISE.sub(_blank, text).upper()
        raw: Counter[str] = Counter(m.group(1) for m in _HEAD.finditer(upper))
        if first := _FIRST_HEAD.match(upper):
            raw[first.group(1)] += 1
        heads: Counter[str] = Counter()
        for head, n in raw.items():
            heads[_label(head)] += n
        return cls(upper, heads, bool(_CREATE_TABLE.search(upper)))

    @property
    def empty(self) -> bool:
        return not self.upper.strip(" \t\r\n;")

    def count(self, verbs: frozenset[str]) -> int:
        return sum(n for label, n in self.heads.items() if label.split()[0] in verbs)

    @property
    def ddl(self) -> int:
        return self.count(_DDL_VERBS)

    @property
    def data(self) -> int:
        return self.count(_DATA_VERBS)


def _label(head: str) -> str:
    """``CREATE UNIQUE INDEX IF NOT EXISTS`` -> ``CREATE INDEX``, ``INSERT INTO`` -> ``INSERT``."""
    words = head.split()
    if words[0] not in _DDL_VERBS:
        return words[0]
    rest = [w for w in words[1:] if w not in _QUALIFIERS]
    return f"{words[0]} {rest[0]}" if rest else words[0]


def _summary(scans: Iterable[Scan], verbs: frozenset[str] | None = None) -> str:
    """``12 INSERT statements`` or ``2 ALTER TABLE, 1 CREATE INDEX statements``."""
    total: Counter[str] = Counter()
    for scan in scans:
        total.update(scan.heads)
    items = [
        (label, n)
        for label, n in sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))
        if verbs is None or label.split()[0] in verbs
    ]
    if not items:
        return "no statements"
    noun = "statement" if sum(n for _, n in items) == 1 else "statements"
    return ", ".join(f"{n} {label}" for label, n in items[:4]) + f" {noun}"


def why_not_schema(scans: list[Scan], files: int = 1) -> str:
    """The reason a file (or a folder of them) is not a schema source."""
    where = f" in {files} files" if files > 1 else ""
    if all(s.empty for s in scans):
        return "only comments, no statements" if files == 1 else "no statements"
    if any(s.ddl for s in scans):
        return f"no CREATE TABLE: {_summary(scans, _DDL_VERBS)}{where} (a patch, not a schema)"
    if any(s.data for s in scans):
        return f"data only: {_summary(scans, _DATA_VERBS)}{where}, no DDL"
    return f"no DDL: {_summary(scans)}{where}"
