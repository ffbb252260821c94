"""Which dialect a source is written for, and the evidence: a Prisma provider nearby, the
syntax of its files (markers weighed per dialect), or the default.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from dbdrift.discover.files import File, Files
from dbdrift.discover.tree import Tree, join

# Provider names in migration_lock.toml and Prisma datasources -> the dialect read.
PROVIDERS = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "cockroachdb": "postgresql",
    "mysql": "mysql",
    "sqlite": "sqlite",
}
_PROVIDER = re.compile(r'provider\s*=\s*"([^"]+)"')
_DATASOURCE = re.compile(r"datasource\s+\w+\s*\{([^}]*)\}", re.DOTALL)
DEFAULT_DIALECT = "postgresql"


@dataclass(frozen=True, slots=True)
class _Marker:
    """Syntax only one dialect accepts, searched in upper-cased text without comments/strings.

    `pattern` starts with a literal (fast to search); a keyword hit inside a longer word, or
    not at the start of its line when `line_start` is set, does not count.
    """

    dialect: str
    name: str
    pattern: re.Pattern[str]
    weight: float = 1.0
    line_start: bool = False

    def find(self, upper: str) -> int | None:
        """The offset of the first real hit, or ``None``."""
        for hit in self.pattern.finditer(upper):
            start = hit.start()
            before = upper[start - 1] if start else "\n"
            if self.line_start:
                line = upper[upper.rfind("\n", 0, start) + 1 : start]
                if not line.strip():
                    return start
            elif not upper[start].isalnum() or not (before.isalnum() or before in "_$"):
                return start
        return None


def _m(dialect: str, name: str, pattern: str, weight: float = 1.0, line: bool = False) -> _Marker:
    return _Marker(dialect, name, re.compile(pattern), weight, line)


# Backticks are weak: SQLite accepts them too.
MARKERS = (
    _m("mysql", "AUTO_INCREMENT", r"AUTO_INCREMENT\b"),
    _m("mysql", "ENGINE=", r"ENGINE\s*="),
    _m("mysql", "UNSIGNED", r"UNSIGNED\b"),
    _m("mysql", "DELIMITER", r"DELIMITER\b", line=True),
    _m("mysql", "backticks", r"`", 0.5),
    # ClickHouse: its table engines and wrapper types outweigh MySQL's plain ENGINE=.
    _m("clickhouse", "ENGINE = MergeTree", r"ENGINE\s*=\s*\w*MERGETREE\b", 3.0),
    _m("clickhouse", "LowCardinality", r"LOWCARDINALITY\s*\(", 2.0),
    _m("clickhouse", "DateTime64", r"DATETIME64\s*\(", 2.0),
    _m("sqlite", "AUTOINCREMENT", r"AUTOINCREMENT\b"),
    _m("sqlite", "WITHOUT ROWID", r"WITHOUT\s+ROWID\b"),
    _m("sqlite", "PRAGMA", r"PRAGMA\b", line=True),
    _m("postgresql", "SERIAL", r"(?:SMALL|BIG)?SERIAL\b"),
    _m("postgresql", "::", r"::"),
    _m("postgresql", "$$", r"\$\$"),
    _m("postgresql", "JSONB", r"JSONB\b"),
    _m("postgresql", "CREATE EXTENSION", r"CREATE\s+EXTENSION\b"),
    _m("postgresql", "TIMESTAMPTZ", r"TIMESTAMPTZ\b"),
)


def syntax_dialect(named: list[tuple[str, File]]) -> tuple[str, str] | None:
    """The dialect the syntax of these files points to, with its first piece of evidence.

    Each marker counts once per source (by its weight); the highest total wins, a tie goes
    to the marker seen first in apply order.
    """
    hits: dict[_Marker, tuple[int, int, str]] = {}
    for order, (shown, file) in enumerate(named):
        if file.text is None:
            continue
        upper = file.scan.upper
        for marker in MARKERS:
            if marker in hits:
                continue
            offset = marker.find(upper)
            if offset is not None:
                line = upper.count("\n", 0, offset) + 1
                hits[marker] = (order, offset, f"{shown}:{line}")
    if not hits:
        return None
    scores: Counter[str] = Counter()
    for marker in hits:
        scores[marker.dialect] += marker.weight

    def first(dialect: str) -> _Marker:
        return min((m for m in hits if m.dialect == dialect), key=lambda m: hits[m][:2])

    def rank(dialect: str) -> tuple[float, int, int]:
        order, offset, _ = hits[first(dialect)]
        return scores[dialect], -order, -offset

    best = max(scores, key=rank)
    marker = first(best)
    return best, f"syntax: {marker.name} in {hits[marker][2]}"


def _provider(files: Files, rel: str, text_filter: Callable[[str], str] = str) -> str | None:
    file = files.get(rel)
    if file.text is None:
        return None
    found = _PROVIDER.search(text_filter(file.text))
    return found.group(1) if found and found.group(1) in PROVIDERS else None


def _datasource(text: str) -> str:
    """The body of a Prisma ``datasource`` block, ``//`` comments removed."""
    found = _DATASOURCE.search(re.sub(r"//[^\n]*", "", text))
    return found.group(1) if found else ""


def choose_dialect(
    tree: Tree, files: Files, dirs: list[str], named: list[tuple[str, File]]
) -> tuple[str, str]:
    """The dialect of a source and why: a Prisma lock or datasource nearby, syntax, or default.

    `dirs` are the directories to look in for ``migration_lock.toml`` (the first one only)
    and a sibling ``schema.prisma`` (all of them, nearest first).
    """
    lock = join(dirs[0], "migration_lock.toml")
    if "migration_lock.toml" in tree.dirs[dirs[0]].files and (p := _provider(files, lock)):
        return PROVIDERS[p], f'{lock}: provider = "{p}"'
    for directory in dirs:
        listing = tree.dirs.get(directory)
        if listing is None or "schema.prisma" not in listing.files:
            continue
        prisma = join(directory, "schema.prisma")
        if p := _provider(files, prisma, _datasource):
            return PROVIDERS[p], f'{prisma}: provider = "{p}"'
    return syntax_dialect(named) or (DEFAULT_DIALECT, "default")
