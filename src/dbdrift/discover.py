"""Discovery: every place a repository describes its database, found without running anything.

One walk of the tree (``os.scandir``, directory symlinks followed, loops detected) collects
the directory listings; then one small finder per kind of source turns listings into
`Source`s, `Skipped` entries (a file that looks like SQL but is not a schema, and why) and
`Error`s (what could not be walked).  Each candidate file is read once and hashed with
blake2b, so byte-identical copies anywhere in the tree become one source with every path.
"""

from __future__ import annotations

import ast
import errno
import hashlib
import json
import logging
import os
import posixpath
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from dbdrift.readers.sql.text import MAX_BYTES, up_section
from dbdrift.schema import FORMAT, Error, Origin
from dbdrift.source import Source

log = logging.getLogger(__name__)

ROOT = "."

# Directories never walked: version control, dependencies, build output, caches.  A
# directory holding ``pyvenv.cfg`` is a virtualenv whatever its name.
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "site-packages",
        ".venv",
        "venv",
        "__pycache__",
        "dist",
        "build",
        "vendor",
        "target",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
    }
)
VENV_MARKER = "pyvenv.cfg"

# Lone files that are schema snapshots by name (they count as soon as they hold any DDL).
SCHEMA_NAMES = frozenset({"schema.sql", "init.sql", "structure.sql"})

KIND_MIGRATIONS = "sql-migrations"
KIND_SCHEMA = "sql-schema"


@dataclass(frozen=True, slots=True)
class DiscoverConfig:
    """What a config file may change about the walk: more directories to leave out.

    An entry without a slash is a directory name skipped anywhere; with a slash, a
    repo-relative directory path.
    """

    exclude: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file or folder that looked like a schema source but is not one, and why."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class Discovery:
    """What `discover` found: sources sorted by id, what it skipped, what it could not walk."""

    sources: tuple[Source, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    errors: tuple[Error, ...] = ()

    def source(self, id_or_path: str) -> Source | None:
        """The source with this id, or the one holding this path as a copy, or ``None``."""
        wanted = PurePosixPath(id_or_path).as_posix()
        return next((s for s in self.sources if wanted in s.paths), None)

    def to_dict(self) -> dict[str, Any]:
        """The ``dbdrift sources --format json`` document; every list is already sorted."""
        return {
            "format": FORMAT,
            "sources": [
                {
                    "id": s.id,
                    "kind": s.kind,
                    "dialect": s.dialect,
                    "dialect_evidence": s.dialect_evidence,
                    "files": list(s.files),
                    "copies": list(s.copies),
                    "details": dict(sorted(s.details.items())),
                }
                for s in self.sources
            ],
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "errors": [asdict(e) for e in self.errors],
        }


def discover(root: Path, config: DiscoverConfig | None = None) -> Discovery:
    """Walk `root` once and return every schema source it holds."""
    root = Path(root)
    tree = _walk(root, config or DiscoverConfig())
    files = _Files(root)
    found = _Found(errors=list(tree.errors), skipped=list(tree.skipped))
    for finder in FINDERS:
        finder(tree, files, found)
    found.errors.extend(files.errors)
    return Discovery(
        sources=_merge_copies(root, found.candidates),
        skipped=tuple(sorted(set(found.skipped), key=lambda s: (s.path, s.reason))),
        errors=tuple(sorted(found.errors, key=lambda e: (e.origin.path, e.message))),
    )


# --------------------------------------------------------------------------- the walk


@dataclass
class _Dir:
    """A walked directory: its file names and the repo-relative paths of walked subfolders."""

    files: list[str] = field(default_factory=list)
    subdirs: list[str] = field(default_factory=list)


@dataclass
class _Tree:
    dirs: dict[str, _Dir] = field(default_factory=dict)
    errors: list[Error] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


_Key = tuple[int, int]


def _join(rel: str, name: str) -> str:
    """A repo-relative path, posix-style, with ``.`` as the root."""
    return name if rel == ROOT else f"{rel}/{name}"


def _parent(rel: str) -> str:
    head, _, _ = rel.rpartition("/")
    return head or ROOT


def _name(rel: str) -> str:
    return rel.rpartition("/")[2]


def _walk(root: Path, config: DiscoverConfig) -> _Tree:
    """Every walked directory with its files, following directory symlinks once.

    Real directories are walked first and symlinked ones afterwards, so a symlink to a
    directory of the tree is reported as already walked instead of shadowing the real path;
    a symlink to one of its own ancestors is a loop, reported as an error.
    """
    tree = _Tree()
    try:
        st = root.stat()
    except OSError as exc:
        tree.errors.append(_os_error("cannot read directory", ROOT, exc))
        return tree
    seen: dict[_Key, str] = {(st.st_dev, st.st_ino): ROOT}
    stack: list[tuple[str, tuple[_Key, ...]]] = [(ROOT, ((st.st_dev, st.st_ino),))]
    links: list[tuple[str, tuple[_Key, ...]]] = []
    while stack or links:
        if stack:
            rel, ancestors = stack.pop()
        else:
            rel, ancestors = links.pop(0)
            key = _follow_link(root, rel, ancestors, seen, tree)
            if key is None:
                continue
            ancestors = (*ancestors, key)
        listing = _scan_dir(root, rel, config, tree)
        if listing is None:
            continue
        directory, subdirs, linked = listing
        tree.dirs[rel] = directory
        for child, key in reversed(subdirs):
            seen.setdefault(key, child)
            stack.append((child, (*ancestors, key)))
        links.extend((child, ancestors) for child in linked)
    return tree


def _scan_dir(
    root: Path, rel: str, config: DiscoverConfig, tree: _Tree
) -> tuple[_Dir, list[tuple[str, _Key]], list[str]] | None:
    """One directory's files, real subdirectories and symlinked subdirectories."""
    try:
        with os.scandir(root / rel) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        tree.errors.append(_os_error("cannot read directory", rel, exc))
        return None
    if rel != ROOT and any(e.name == VENV_MARKER for e in entries):
        log.info("Skipped %s because it is a virtualenv", rel)
        return None
    directory = _Dir()
    subdirs: list[tuple[str, _Key]] = []
    linked: list[str] = []
    for entry in entries:
        child = _join(rel, entry.name)
        try:
            if entry.is_dir(follow_symlinks=False):
                if not _excluded(entry.name, child, config):
                    st = entry.stat(follow_symlinks=False)
                    subdirs.append((child, (st.st_dev, st.st_ino)))
                    directory.subdirs.append(child)
            elif entry.is_symlink():
                if entry.is_dir():
                    if not _excluded(entry.name, child, config):
                        linked.append(child)
                elif entry.is_file():
                    directory.files.append(entry.name)
                elif entry.name.lower().endswith(".sql"):
                    tree.skipped.append(Skipped(child, "broken symlink"))
            elif entry.is_file(follow_symlinks=False):
                directory.files.append(entry.name)
        except OSError as exc:
            tree.errors.append(_os_error("cannot follow", child, exc))
    return directory, subdirs, linked


def _follow_link(
    root: Path, rel: str, ancestors: tuple[_Key, ...], seen: dict[_Key, str], tree: _Tree
) -> _Key | None:
    """The (device, inode) of a symlinked directory to walk, or ``None`` with the reason."""
    try:
        st = (root / rel).stat()
    except OSError as exc:
        tree.errors.append(_os_error("cannot follow", rel, exc))
        return None
    key = (st.st_dev, st.st_ino)
    if Path(os.path.realpath(root / rel)).name in SKIP_DIRS:
        return None
    if key in ancestors:
        target = seen.get(key, "?")
        tree.errors.append(
            Error(f"symlink loop: {rel} points back to its ancestor {target}", Origin(rel, 1))
        )
        return None
    if key in seen:
        tree.skipped.append(Skipped(rel, f"symlink to {seen[key]}, already walked"))
        return None
    seen[key] = rel
    tree.dirs[_parent(rel)].subdirs.append(rel)
    return key


def _excluded(name: str, rel: str, config: DiscoverConfig) -> bool:
    if name in SKIP_DIRS:
        return True
    return any(rel == e.strip("/") if "/" in e else name == e for e in config.exclude)


def _os_error(what: str, rel: str, exc: OSError) -> Error:
    if exc.errno == errno.ELOOP:
        return Error(f"symlink loop: {rel} ({exc.strerror})", Origin(rel, 1))
    return Error(f"{what} {rel}: {exc.strerror or exc}", Origin(rel, 1))


# ------------------------------------------------------------------- reading candidates


@dataclass
class _File:
    """A candidate file, read once: its hash, its text when it is UTF-8, and what it holds."""

    rel: str
    digest: str
    text: str | None
    problem: str | None = None
    _scan: _Scan | None = None

    @property
    def scan(self) -> _Scan:
        if self._scan is None:
            text = self.text or ""
            self._scan = _Scan.of(up_section(text) if self.dbmate else text)
        return self._scan

    @property
    def dbmate(self) -> bool:
        """Whether the file has dbmate's ``-- migrate:up`` marker (only its up part is read)."""
        text = self.text or ""
        return "migrate:up" in text and bool(_DBMATE.search(text))


class _Files:
    """Reads each candidate file at most once; unreadable files become discovery errors."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[str, _File] = {}
        self.errors: list[Error] = []

    def get(self, rel: str) -> _File:
        cached = self.cache.get(rel)
        if cached is None:
            cached = self.cache[rel] = self._read(rel)
        return cached

    def _read(self, rel: str) -> _File:
        path = self.root / rel
        try:
            if path.stat().st_size > MAX_BYTES:
                return _File(rel, f"large:{rel}", None, "too large")
            data = path.read_bytes()
        except OSError as exc:
            self.errors.append(_os_error("cannot read file", rel, exc))
            return _File(rel, f"unreadable:{rel}", None, "unreadable")
        digest = hashlib.blake2b(data, digest_size=20).hexdigest()
        if b"\x00" in data:
            return _File(rel, digest, None, "binary")
        try:
            text = data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            return _File(rel, digest, None, "not UTF-8")
        return _File(rel, digest, text)


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
class _Scan:
    """A cheap look at a SQL text: what kinds of statement it holds, for classification.

    `upper` is the text with comments and strings blanked, upper-cased; `heads` counts
    statements by their label (``INSERT``, ``CREATE TABLE``).
    """

    upper: str
    heads: Counter[str]
    creates_table: bool

    @classmethod
    def of(cls, text: str) -> _Scan:
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


def _summary(scans: Iterable[_Scan], verbs: frozenset[str] | None = None) -> str:
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


def _why_not_schema(scans: list[_Scan], files: int = 1) -> str:
    """The reason a file (or a folder of them) is not a schema source."""
    where = f" in {files} files" if files > 1 else ""
    if all(s.empty for s in scans):
        return "only comments, no statements" if files == 1 else "no statements"
    if any(s.ddl for s in scans):
        return f"no CREATE TABLE: {_summary(scans, _DDL_VERBS)}{where} (a patch, not a schema)"
    if any(s.data for s in scans):
        return f"data only: {_summary(scans, _DATA_VERBS)}{where}, no DDL"
    return f"no DDL: {_summary(scans)}{where}"


# ---------------------------------------------------------------------------- dialects

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


def _syntax_dialect(named: list[tuple[str, _File]]) -> tuple[str, str] | None:
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


def _provider(files: _Files, rel: str, text_filter: Callable[[str], str] = str) -> str | None:
    file = files.get(rel)
    if file.text is None:
        return None
    found = _PROVIDER.search(text_filter(file.text))
    return found.group(1) if found and found.group(1) in PROVIDERS else None


def _datasource(text: str) -> str:
    """The body of a Prisma ``datasource`` block, ``//`` comments removed."""
    found = _DATASOURCE.search(re.sub(r"//[^\n]*", "", text))
    return found.group(1) if found else ""


def _dialect(
    tree: _Tree, files: _Files, dirs: list[str], named: list[tuple[str, _File]]
) -> tuple[str, str]:
    """The dialect of a source and why: a Prisma lock or datasource nearby, syntax, or default.

    `dirs` are the directories to look in for ``migration_lock.toml`` (the first one only)
    and a sibling ``schema.prisma`` (all of them, nearest first).
    """
    lock = _join(dirs[0], "migration_lock.toml")
    if "migration_lock.toml" in tree.dirs[dirs[0]].files and (p := _provider(files, lock)):
        return PROVIDERS[p], f'{lock}: provider = "{p}"'
    for directory in dirs:
        listing = tree.dirs.get(directory)
        if listing is None or "schema.prisma" not in listing.files:
            continue
        prisma = _join(directory, "schema.prisma")
        if p := _provider(files, prisma, _datasource):
            return PROVIDERS[p], f'{prisma}: provider = "{p}"'
    return _syntax_dialect(named) or (DEFAULT_DIALECT, "default")


# --------------------------------------------------------------------- SQL: the finders


@dataclass
class _Candidate:
    """A source before byte-identical copies are merged."""

    id: str
    kind: str
    dialect: str
    evidence: str
    files: tuple[str, ...]
    fingerprint: str
    details: dict[str, str] = field(default_factory=dict)
    generated: bool = False  # a generated copy: never the id of a source, only a copy


@dataclass
class _Found:
    candidates: list[_Candidate] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[Error] = field(default_factory=list)


def _is_sql(name: str) -> bool:
    return name.lower().endswith(".sql")


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """A numeric-aware sort key: ``2_x`` before ``10_x``."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part
    )


# Folder-per-migration layouts: Prisma (``<ts>_name/migration.sql``), Diesel (``up.sql``).
FOLDER_ENTRIES = {"migration.sql": "prisma", "up.sql": "diesel"}
FOLDER_DOWN = "down.sql"


def _folder_steps(tree: _Tree, rel: str) -> list[tuple[str, str]]:
    """(step folder, migration file name) for each versioned subfolder of `rel`, in order."""
    steps = []
    for sub in tree.dirs[rel].subdirs:
        listing = tree.dirs.get(sub)
        if listing is None or not _name(sub)[:1].isdigit():
            continue
        entry = next((e for e in FOLDER_ENTRIES if e in listing.files), None)
        if entry is not None:
            steps.append((sub, entry))
    return sorted(steps, key=lambda step: _natural(_name(step[0])))


def _folder_stream(
    tree: _Tree, files: _Files, found: _Found, rel: str
) -> tuple[str, set[str]] | None:
    """The stream of a folder with one subfolder per step: its layout and the paths it took."""
    steps = _folder_steps(tree, rel)
    if not steps:
        return None
    layout = FOLDER_ENTRIES[steps[0][1]]
    taken = set()
    for sub, entry in steps:
        for name in tree.dirs[sub].files:
            if _is_sql(name) and name != entry:
                what = "down migration" if name == FOLDER_DOWN else "not the migration file"
                found.skipped.append(Skipped(_join(sub, name), f"{what} of a {layout} step"))
                taken.add(_join(sub, name))
    paths = [_join(sub, entry) for sub, entry in steps]
    _add_stream(tree, files, found, rel, paths, layout)
    return layout, taken.union(paths)


# Flat layouts.  Flyway versions may use ``.`` or ``_`` between parts (V2_1 is 2.1).
_FLYWAY_V = re.compile(r"V(\d+(?:[._]\d+)*)__.+\.sql", re.IGNORECASE)
_FLYWAY_R = re.compile(r"R__.+\.sql", re.IGNORECASE)
_FLYWAY_U = re.compile(r"U(\d+(?:[._]\d+)*)__.+\.sql", re.IGNORECASE)
_UPDOWN = re.compile(r"(\d+)[_-].*\.(up|down)\.sql", re.IGNORECASE)
_NUMBERED = re.compile(r"(\d+)(?:[_.-].*)?\.sql", re.IGNORECASE)
# A folder so named is a migration folder even when one numbered file sits beside others.
_MIGRATION_DIR = re.compile(r"migrat", re.IGNORECASE)


@dataclass
class _Layout:
    """How one folder's files are named: the steps with their sort keys, and the skipped."""

    name: str
    steps: list[tuple[tuple[object, ...], str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.steps) + len(self.skipped)

    def ordered(self) -> list[str]:
        return [name for _, name in sorted(self.steps)]


def _flyway(names: list[str]) -> _Layout:
    """Flyway: versions compared part by part as numbers; repeatables last, by name."""
    layout = _Layout("flyway")
    for name in names:
        if m := _FLYWAY_V.fullmatch(name):
            version = tuple(int(p) for p in re.split(r"[._]", m.group(1)))
            layout.steps.append(((0, version, name), name))
        elif _FLYWAY_R.fullmatch(name):
            layout.steps.append(((1, (), name), name))
        elif _FLYWAY_U.fullmatch(name):
            layout.skipped.append((name, "Flyway undo migration (not run by migrate)"))
    return layout


def _updown(names: list[str]) -> _Layout:
    """golang-migrate (and sqlx): ``<version>_<title>.up.sql``, down files not applied."""
    layout = _Layout("golang-migrate")
    for name in names:
        if m := _UPDOWN.fullmatch(name):
            if m.group(2).lower() == "down":
                layout.skipped.append((name, "golang-migrate down migration"))
            else:
                layout.steps.append(((int(m.group(1)), _natural(name)), name))
    return layout


def _numbered(names: list[str]) -> _Layout:
    """Any leading number: ``001_init.sql``, ``0002-x.sql``, timestamps, dbmate, Supabase."""
    layout = _Layout("numbered")
    for name in names:
        if (m := _NUMBERED.fullmatch(name)) and not _UPDOWN.fullmatch(name):
            layout.steps.append(((int(m.group(1)), _natural(name)), name))
    return layout


LAYOUTS = (_flyway, _updown, _numbered)  # the layout fitting most files wins; a tie, the first


def _is_schema_name(name: str) -> bool:
    lower = name.lower()
    return lower in SCHEMA_NAMES or lower.endswith("_schema.sql")


def _flat_stream(
    tree: _Tree, files: _Files, found: _Found, rel: str, names: list[str], layout_of: str | None
) -> set[str]:
    """The stream a folder of ordered `.sql` files forms, if it is one; returns the names taken.

    A folder is a stream when two files follow one layout, or one does and the folder is
    named like a migration folder or holds nothing else.  `layout_of` names the layout of a
    folder-per-step stream living in `rel`, whose own loose files are then all strays.
    Strays are reported and left out of the stream; a stray named like a schema snapshot
    (``schema.sql``) is left for the lone-file finder.
    """
    if layout_of is None:
        layout = max((fit(names) for fit in LAYOUTS), key=lambda lay: lay.size)
        alone = len(names) == layout.size or _MIGRATION_DIR.search(_name(rel))
        if not layout.steps or (len(layout.steps) < 2 and not alone):
            return set()
        for name, reason in layout.skipped:
            found.skipped.append(Skipped(_join(rel, name), reason))
        paths = [_join(rel, name) for name in layout.ordered()]
        label = _flat_label(layout.name, rel, [files.get(p) for p in paths])
        _add_stream(tree, files, found, rel, paths, label)
        taken = {name for _, name in layout.steps} | {name for name, _ in layout.skipped}
    else:
        label, taken = layout_of, set()
    for name in names:
        if name not in taken and not _is_schema_name(name):
            taken.add(name)
            found.skipped.append(
                Skipped(
                    _join(rel, name),
                    f"in migration folder {rel} but not named like its {label} steps; not applied",
                )
            )
    return taken


def _flat_label(layout: str, rel: str, steps: list[_File]) -> str:
    """The tool a numbered folder belongs to, as far as names and markers tell."""
    if layout != "numbered":
        return layout
    if any(f.dbmate for f in steps):
        return "dbmate"
    if rel == "supabase/migrations" or rel.endswith("/supabase/migrations"):
        return "supabase"
    widths = {len(re.match(r"\d*", _name(f.rel)).group()) for f in steps}
    if widths <= {14} or widths <= {10}:
        return "timestamp"
    return "numbered"


def _add_stream(
    tree: _Tree, files: _Files, found: _Found, rel: str, paths: list[str], layout: str
) -> None:
    """A migration stream, unless no step holds any DDL (a folder of seeds or queries)."""
    steps = [files.get(p) for p in paths]
    if all(f.text is not None and not f.scan.ddl for f in steps):
        found.skipped.append(Skipped(rel, _why_not_schema([f.scan for f in steps], len(steps))))
        return
    shown = [p if rel == ROOT else p.removeprefix(rel + "/") for p in paths]
    dialect, evidence = _dialect(
        tree, files, [rel, _parent(rel)], list(zip(shown, steps, strict=True))
    )
    digests = "\n".join(f.digest for f in steps).encode()
    found.candidates.append(
        _Candidate(
            id=rel,
            kind=KIND_MIGRATIONS,
            dialect=dialect,
            evidence=evidence,
            files=tuple(paths),
            fingerprint=hashlib.blake2b(digests, digest_size=20).hexdigest(),
            details={"layout": layout},
        )
    )


def _lone_file(tree: _Tree, files: _Files, found: _Found, rel: str) -> None:
    """A single `.sql` file: a schema if it creates tables (or is named like one), else skipped.

    A file that cannot be decoded is kept as a source, so the reader reports where it breaks.
    """
    file = files.get(rel)
    if file.problem == "unreadable":
        return
    if file.text is not None:
        if not file.text.strip():
            found.skipped.append(Skipped(rel, "empty file"))
            return
        scan = file.scan
        if not (scan.creates_table or (_is_schema_name(_name(rel)) and scan.ddl)):
            found.skipped.append(Skipped(rel, _why_not_schema([scan])))
            return
    dialect, evidence = _dialect(tree, files, [_parent(rel)], [(_name(rel), file)])
    found.candidates.append(_Candidate(rel, KIND_SCHEMA, dialect, evidence, (rel,), file.digest))


def _sql_sources(tree: _Tree, files: _Files, found: _Found) -> None:
    """SQL migration streams (one folder per step, or flat) and lone schema files."""
    claimed: set[str] = set()
    folder_layouts: dict[str, str] = {}
    for rel in sorted(tree.dirs):
        if stream := _folder_stream(tree, files, found, rel):
            folder_layouts[rel], taken = stream
            claimed |= taken
    for rel in sorted(tree.dirs):
        names = [n for n in tree.dirs[rel].files if _is_sql(n) and _join(rel, n) not in claimed]
        if not names:
            continue
        taken = _flat_stream(tree, files, found, rel, names, folder_layouts.get(rel))
        for name in names:
            if name not in taken:
                _lone_file(tree, files, found, _join(rel, name))


# ----------------------------------------------------------------------- Prisma: the finder

KIND_PRISMA = "prisma"
PRISMA_SCHEMA = "schema.prisma"
# Datasource providers -> the dialect a Prisma source is read as; the provider itself is kept
# in the source's details (CockroachDB is read as PostgreSQL with its own type table).
PRISMA_DIALECTS = {**PROVIDERS, "sqlserver": "sqlserver", "mongodb": "mongodb"}
GENERATED_COPY = "generated Prisma client copy"
# The only places inside a package's node_modules where a generated Prisma client keeps its
# copy of the schema; the rest of node_modules is never walked.
PRISMA_CLIENT_DIRS = ("node_modules/.prisma", "node_modules/@prisma/client")
PRISMA_CLIENT_DEPTH = 3
# Prisma's config files (Prisma 6.6+); ``schema:`` in them names the schema file or folder.
PRISMA_CONFIGS = frozenset(
    f"prisma.config.{ext}" for ext in ("ts", "mts", "cts", "js", "mjs", "cjs")
)

# Comments blanked (newlines kept, so lines stay true), strings kept, in Prisma and in JS.
_PRISMA_NOISE = re.compile(r'"(?:[^"\\\n]|\\.)*"|//[^\n]*|/\*.*?\*/', re.DOTALL)
_JS_NOISE = re.compile(
    r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`[^`]*`|//[^\n]*|/\*.*?\*/', re.DOTALL
)
# A top-level block and its body (strings may hold braces).
_PRISMA_BLOCK = re.compile(
    r'^[ \t]*(datasource|generator)[ \t]+[\w-]+[ \t]*\{((?:[^}"]|"(?:[^"\\\n]|\\.)*")*)\}',
    re.MULTILINE,
)
_PRISMA_PROPERTY = r'^[ \t]*{}[ \t]*=[ \t]*"((?:[^"\\\n]|\\.)*)"'
_PROVIDER_LINE = re.compile(_PRISMA_PROPERTY.format("provider"), re.MULTILINE)
_OUTPUT_LINE = re.compile(_PRISMA_PROPERTY.format("output"), re.MULTILINE)
_SCHEMA_FOLDER_FEATURE = re.compile(r'previewFeatures\s*=\s*\[[^\]]*"prismaSchemaFolder"')
_CONFIG_SCHEMA = re.compile(
    r"""\bschema\s*:\s*(?:(["'`])([^"'`\n]+)\1|(?:path\s*\.\s*)?(?:join|resolve)\s*\(([^)]*)\))"""
)
_JS_STRING = re.compile(r"""(["'`])([^"'`\n]*)\1""")
_SCRIPT_SCHEMA = re.compile(r"""--schema(?:=|\s+)["']?([^\s"'&|;]+)""")


def _blank_noise(pattern: re.Pattern[str], text: str) -> str:
    """`text` with the comments `pattern` finds blanked; strings and newlines are kept."""

    def blank(match: re.Match[str]) -> str:
        found = match.group()
        if found[0] in "\"'`":
            return found
        return re.sub(r"[^\n]", " ", found)

    return pattern.sub(blank, text)


@dataclass
class _PrismaText:
    """What discovery needs from a `.prisma` file, read with regular expressions only."""

    provider: tuple[str, int] | None = None  # the datasource provider and its line
    has_datasource: bool = False
    schema_folder: bool = False  # a generator enables the prismaSchemaFolder preview feature
    outputs: tuple[str, ...] = ()  # generator output folders, as written

    @classmethod
    def of(cls, text: str | None) -> _PrismaText:
        if text is None:
            return cls()
        clean = _blank_noise(_PRISMA_NOISE, text)
        found = cls()
        outputs = []
        for block in _PRISMA_BLOCK.finditer(clean):
            kind, body = block.group(1), block.group(2)
            if kind == "datasource":
                found.has_datasource = True
                provider = _PROVIDER_LINE.search(body)
                if provider and found.provider is None:
                    line = clean.count("\n", 0, block.start(2) + provider.start(1)) + 1
                    found.provider = (provider.group(1), line)
            else:
                found.schema_folder |= bool(_SCHEMA_FOLDER_FEATURE.search(body))
                outputs.extend(m.group(1) for m in _OUTPUT_LINE.finditer(body))
        found.outputs = tuple(outputs)
        return found


def _is_generated_path(rel: str) -> bool:
    """A generated client's copy by its place: under node_modules or a ``generated`` folder."""
    folders = rel.split("/")[:-1]
    return "node_modules" in folders or "generated" in folders


def _resolve(base: str, path: str) -> str | None:
    """`path` as written in a config file of folder `base`, repo-relative; None if outside."""
    path = path.strip().replace("\\", "/")
    if not path or path.startswith("/") or "${" in path:
        return None
    joined = posixpath.normpath(posixpath.join("" if base == ROOT else base, path))
    if joined == ".":
        return ROOT
    return None if joined.startswith("../") or joined == ".." else joined


def _under(rel: str, folder: str) -> bool:
    return folder == ROOT or rel.startswith(folder + "/")


def _client_copies(root: Path, tree: _Tree) -> list[str]:
    """``.prisma`` files a generated client keeps under the node_modules of each package."""
    found: list[str] = []
    for rel, listing in tree.dirs.items():
        if rel != ROOT and "package.json" not in listing.files:
            continue
        for sub in PRISMA_CLIENT_DIRS:
            _prisma_files_under(root, _join(rel, sub), PRISMA_CLIENT_DEPTH, found)
    return sorted(found)


def _prisma_files_under(root: Path, rel: str, depth: int, found: list[str]) -> None:
    try:
        with os.scandir(root / rel) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        child = _join(rel, entry.name)
        try:
            if entry.is_file() and entry.name.endswith(".prisma"):
                found.append(child)
            elif depth > 1 and entry.is_dir(follow_symlinks=False):
                _prisma_files_under(root, child, depth - 1, found)
        except OSError:
            continue


def _declared_schemas(tree: _Tree, files: _Files, found: _Found) -> dict[str, str]:
    """Schema paths that package.json and prisma.config.* name, with where each was named.

    package.json: ``"prisma": {"schema": ...}`` and ``--schema`` in its scripts; a Prisma
    config: ``schema: "..."`` or ``schema: path.join(...)`` of string literals, read as text
    and never run.
    """
    declared: dict[str, str] = {}
    for rel in sorted(tree.dirs):
        names = tree.dirs[rel].files
        for name in names:
            if name != "package.json" and name not in PRISMA_CONFIGS:
                continue
            config = _join(rel, name)
            file = files.get(config)
            if file.text is None:
                continue
            paths = (
                _package_json_schemas(file.text)
                if name == "package.json"
                else _config_schemas(file.text)
            )
            for path in paths:
                target = _resolve(rel, path)
                if target is None:
                    found.skipped.append(
                        Skipped(config, f"its Prisma schema path {path!r} is outside the tree")
                    )
                elif target not in tree.dirs and not _is_file(tree, target):
                    found.skipped.append(
                        Skipped(config, f"its Prisma schema path {path!r} does not exist")
                    )
                else:
                    declared.setdefault(target, config)
    return declared


def _is_file(tree: _Tree, rel: str) -> bool:
    listing = tree.dirs.get(_parent(rel))
    return listing is not None and _name(rel) in listing.files


def _package_json_schemas(text: str) -> list[str]:
    paths = []
    try:
        document = json.loads(text)
    except ValueError:
        document = None
    if isinstance(document, dict):
        prisma = document.get("prisma")
        if isinstance(prisma, dict) and isinstance(prisma.get("schema"), str):
            paths.append(prisma["schema"])
        scripts = document.get("scripts")
        if isinstance(scripts, dict):
            for script in scripts.values():
                if isinstance(script, str) and "prisma" in script:
                    paths.extend(m.group(1) for m in _SCRIPT_SCHEMA.finditer(script))
    return paths


def _config_schemas(text: str) -> list[str]:
    clean = _blank_noise(_JS_NOISE, text)
    match = _CONFIG_SCHEMA.search(clean)
    if match is None:
        return []
    if match.group(2) is not None:
        return [match.group(2)]
    parts = [m.group(2) for m in _JS_STRING.finditer(match.group(3))]
    return ["/".join(parts)] if parts else []


def _schema_folder(rel: str) -> str | None:
    """The ``prisma/schema`` folder a file is in (at any depth below it), if any."""
    parts = rel.split("/")[:-1]
    for i in range(len(parts) - 1, 0, -1):
        if parts[i] == "schema" and parts[i - 1] == "prisma":
            return "/".join(parts[: i + 1])
    return None


def _prisma_candidate(
    files: _Files, rel: str, members: list[str], texts: dict[str, _PrismaText], how: str
) -> _Candidate:
    """One Prisma schema (a file, or a folder of files) and its dialect from its datasource."""
    provider = next(((*found, m) for m in members if (found := texts[m].provider)), None)
    details = {"layout": "folder" if members != [rel] else "file", "found_by": how}
    if provider is None:
        dialect, evidence = DEFAULT_DIALECT, "default: no datasource provider"
    else:
        name, line, path = provider
        details["provider"] = name
        dialect = PRISMA_DIALECTS.get(name, DEFAULT_DIALECT)
        evidence = f'provider "{name}" in {path}:{line}'
        if name not in PRISMA_DIALECTS:
            evidence = f"default: unknown {evidence}"
    if members == [rel]:
        fingerprint = files.get(rel).digest
    else:
        prefix = "" if rel == ROOT else rel + "/"
        parts = "\n".join(f"{m.removeprefix(prefix)}:{files.get(m).digest}" for m in members)
        fingerprint = hashlib.blake2b(parts.encode(), digest_size=20).hexdigest()
    return _Candidate(rel, KIND_PRISMA, dialect, evidence, tuple(members), fingerprint, details)


def _prisma_sources(tree: _Tree, files: _Files, found: _Found) -> None:
    """Prisma schemas: single files, folders of files, and their generated copies.

    A schema is a folder when package.json or a Prisma config names a folder, when it is a
    ``prisma/schema`` folder, or when its generator enables ``prismaSchemaFolder``; else
    every ``schema.prisma`` (or named, or other ``.prisma`` file with a datasource) is one.
    Generated client copies merge into the source they are byte-identical to; the others
    are skipped.  Fragments that belong to no schema are skipped too, with the reason.
    """
    real, copies, texts = _prisma_files(tree, files)
    declared = _declared_schemas(tree, files, found)
    candidates = _prisma_folders(files, found, real, texts, declared, tree)
    claimed = {f for c in candidates for f in c.files}
    for p in real:
        if p in claimed:
            continue
        how = declared.get(p)
        if how is None and _name(p) == PRISMA_SCHEMA:
            how = "its name"
        if how is None and texts[p].has_datasource:
            how = "its datasource block"
        if how is not None:
            candidates.append(_prisma_candidate(files, p, [p], texts, how))
        elif problem := files.get(p).problem:
            found.skipped.append(Skipped(p, f"Prisma file that cannot be read ({problem})"))
        else:
            reason = "Prisma schema fragment (no datasource) outside any Prisma schema folder"
            found.skipped.append(Skipped(p, reason))
    found.candidates.extend(candidates)
    _prisma_copies(files, found, candidates, copies)


def _prisma_files(
    tree: _Tree, files: _Files
) -> tuple[list[str], list[str], dict[str, _PrismaText]]:
    """The `.prisma` files a developer edits, the generated copies, and what each real holds.

    A copy is generated by its place (node_modules, a ``generated`` folder) or because it
    lies in the ``output`` folder of a schema's generator.
    """
    walked = sorted(
        _join(rel, name)
        for rel, listing in tree.dirs.items()
        for name in listing.files
        if name.endswith(".prisma")
    )
    copies = [p for p in walked if _is_generated_path(p)] + _client_copies(files.root, tree)
    real = [p for p in walked if not _is_generated_path(p)]
    texts = {p: _PrismaText.of(files.get(p).text) for p in real}
    outputs = {
        out
        for p in real
        for written in texts[p].outputs
        if (out := _resolve(_parent(p), written)) is not None and out != ROOT
    }
    generated = {p for p in real if any(_under(p, out) for out in outputs)}
    real = [p for p in real if p not in generated]
    return real, sorted(set(copies) | generated), texts


def _prisma_folders(
    files: _Files,
    found: _Found,
    real: list[str],
    texts: dict[str, _PrismaText],
    declared: dict[str, str],
    tree: _Tree,
) -> list[_Candidate]:
    """Folder schemas, outermost first; a folder inside one already read is part of it."""
    folders = {p: how for p, how in declared.items() if p in tree.dirs}
    for p in real:
        if (folder := _schema_folder(p)) is not None:
            folders.setdefault(folder, "a prisma/schema folder")
        if texts[p].schema_folder:
            folders.setdefault(_parent(p), f"prismaSchemaFolder in {p}")
    candidates: list[_Candidate] = []
    for folder in sorted(folders, key=lambda f: (f.count("/") + (f != ROOT), f)):
        if any(_under(folder, c.id) for c in candidates):
            continue
        members = [p for p in real if _under(p, folder)]
        if not members:
            found.skipped.append(Skipped(folder, "no .prisma files in this Prisma schema folder"))
            continue
        candidates.append(_prisma_candidate(files, folder, members, texts, folders[folder]))
    return candidates


def _prisma_copies(
    files: _Files, found: _Found, sources: list[_Candidate], copies: list[str]
) -> None:
    """Generated copies: byte-identical to a source's only file -> a copy; else skipped."""
    by_digest = {c.fingerprint: c for c in sources if len(c.files) == 1}
    for rel in copies:
        file = files.get(rel)
        source = by_digest.get(file.digest)
        if source is None:
            nearest = _nearest(rel, sources)
            detail = f"; it differs from {nearest.id}" if nearest else ""
            found.skipped.append(Skipped(rel, f"{GENERATED_COPY}{detail}"))
            continue
        found.candidates.append(
            _Candidate(
                id=rel,
                kind=KIND_PRISMA,
                dialect=source.dialect,
                evidence=source.evidence,
                files=(rel,),
                fingerprint=file.digest,
                details=source.details,
                generated=True,
            )
        )


def _nearest(rel: str, sources: list[_Candidate]) -> _Candidate | None:
    """The source sharing the longest folder prefix with `rel` (its package's schema)."""

    def shared(source: _Candidate) -> int:
        a, b = rel.split("/")[:-1], source.id.split("/")
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        return n

    return max(sources, key=lambda s: (shared(s), -len(s.id)), default=None)


# ------------------------------------------------------------- SQLAlchemy: the finder

KIND_SQLALCHEMY = "sqlalchemy"

# Cheap pre-filter: only files mentioning one of these are parsed with `ast`.
_PY_MODELS = re.compile(
    r"declarative_base|DeclarativeBase|registry\(|as_declarative|SQLModel|db\.Model"
    r"|Table\(|mapped_column|Column\("
)
# Imported files that matter to a model even without a table: enums, custom types, bases.
_PY_RELEVANT = re.compile(r"sqlalchemy|sqlmodel|\bEnum\b|TypeDecorator")
# Markers that settle it without parsing: a table name in a class body, ``table=True`` on
# a class, ``Table("name", ...)``.  Other candidates are parsed to find their table classes.
_PY_STRONG = re.compile(
    r"^[ \t]+__table(?:name)?__[ \t]*(?::[^=\n]*)?=(?!=)"
    r"|^class [^\n]*\btable[ \t]*=[ \t]*True"
    r"|\bTable\([ \t\r\n]*[\"'\w]",
    re.MULTILINE,
)
# A real import of a model library, at the start of a line (not inside a string).
_PY_LIBRARY = re.compile(
    r"^[ \t]*(?:from|import)[ \t]+(?:sqlalchemy|sqlmodel|flask_sqlalchemy)\b", re.MULTILINE
)
# Triple-quoted strings (docstrings, embedded code) are blanked before the markers above
# are looked for, so a model written inside a string is not taken for one.
_PY_LONG_STRING = re.compile(r"(\"\"\"|\'\'\')[\s\S]*?\1")
# An Alembic revision builds tables with ``op`` calls: the alembic reader's, not a model.
_ALEMBIC_REVISION = re.compile(r"^down_revision\b", re.MULTILINE)
_PY_IMPORT = re.compile(
    r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)"
    r"|^[ \t]*import[ \t]+([\w. ,]+)",
    re.MULTILINE,
)
_COLUMN_CALLS = frozenset({"Column", "mapped_column"})
_PLAIN_BASES = frozenset(
    {"object", "BaseModel", "TypedDict", "Protocol", "NamedTuple", "Enum", "IntEnum", "StrEnum"}
)
# A database URL where an engine is made or configured: the dialect's evidence.
_PY_URL = re.compile(
    r"(create_engine|create_async_engine|SQLALCHEMY_DATABASE_URI|sqlalchemy\.url|DATABASE_URL)"
    r"""[^\n"']{0,40}["']?(postgresql|postgres|mysql|mariadb|sqlite)(?:\+\w+)?:"""
)
_URL_DIALECTS = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}


def _call_name(node: ast.AST) -> str | None:
    """``Column`` for ``Column(...)``, ``sa.Column(...)`` and ``db.Column(...)``."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _base_name(node: ast.expr) -> str:
    if isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _assigned(stmt: ast.stmt) -> list[str]:
    if isinstance(stmt, ast.Assign):
        return [t.id for t in stmt.targets if isinstance(t, ast.Name)]
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return [stmt.target.id]
    return []


def _is_table_class(node: ast.ClassDef) -> bool:
    """Whether a class maps a table: a table name, ``table=True``, or columns on a real base.

    Mixins (no base but ``object``), abstract bases (``__abstract__ = True``), Pydantic and
    SQLModel classes without ``table=True`` are not tables.
    """
    names: dict[str, ast.stmt] = {}
    columns = False
    for stmt in node.body:
        for name in _assigned(stmt):
            names[name] = stmt
        value = getattr(stmt, "value", None)
        if _call_name(value) in _COLUMN_CALLS:
            columns = True
        if isinstance(stmt, ast.AnnAssign) and "Mapped" in ast.dump(stmt.annotation):
            columns = True
    abstract = names.get("__abstract__")
    value = abstract.value if isinstance(abstract, ast.Assign) else None
    if isinstance(value, ast.Constant) and value.value is True:
        return False
    if "__tablename__" in names or "__table__" in names:
        return True
    for keyword in node.keywords:
        if keyword.arg == "table":
            return isinstance(keyword.value, ast.Constant) and keyword.value.value is True
    bases = [_base_name(b) for b in node.bases]
    if not bases or all(b in _PLAIN_BASES for b in bases) or "SQLModel" in bases:
        return False
    return columns


def _defines_tables(tree: ast.Module) -> bool:
    """A declarative table class or a SQLAlchemy ``Table(...)`` anywhere in the module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and _is_table_class(node):
            return True
        if _call_name(node) == "Table" and _is_core_table(node):  # type: ignore[arg-type]
            return True
    return False


def _is_core_table(call: ast.Call) -> bool:
    """``Table("name", metadata, ...)``, or Flask's ``db.Table("name", db.Column(...))``."""
    if len(call.args) < 2:
        return False
    second = call.args[1]
    named = second.id if isinstance(second, ast.Name) else getattr(second, "attr", "")
    if "meta" in named.lower() or _call_name(second) == "MetaData":
        return True
    return any(_call_name(arg) in _COLUMN_CALLS for arg in call.args[1:])


def _imports(text: str) -> list[tuple[int, str, tuple[str, ...]]]:
    """(level, dotted module, imported names) of each import statement, read as text.

    A regex instead of `ast`, so that discovery parses only files whose tables it cannot
    tell from the text; an import-looking line inside a string only adds a candidate file.
    """
    found: list[tuple[int, str, tuple[str, ...]]] = []
    for match in _PY_IMPORT.finditer(text):
        dots, module, names, plain = match.groups()
        if plain is not None:
            found.extend((0, part.split()[0], ()) for part in plain.split(",") if part.strip())
            continue
        listed = names.strip("()").replace("\\\n", " ")
        words = tuple(part.split()[0] for part in listed.split(",") if part.split())
        found.append((len(dots), module, words))
    return found


def _module_file(tree: _Tree, folder: str, dotted: str) -> str | None:
    """The repo file of module `dotted` under `folder`: ``a/b.py`` or ``a/b/__init__.py``."""
    parts = [p for p in dotted.split(".") if p]
    base = folder
    for part in parts:
        base = _join(base, part)
    if parts and _is_file(tree, base + ".py"):
        return base + ".py"
    init = _join(base, "__init__.py")
    return init if _is_file(tree, init) else None


def _resolve_import(
    tree: _Tree, rel: str, level: int, dotted: str, names: tuple[str, ...]
) -> list[str]:
    """Repo files an import names: relative to the file's package, or to any ancestor folder."""
    if level:
        folder = _parent(rel)
        for _ in range(level - 1):
            folder = _parent(folder)
        roots = [folder]
    else:
        roots, folder = [], _parent(rel)
        while True:
            roots.append(folder)
            if folder == ROOT:
                break
            folder = _parent(folder)
    for root in roots:
        target = _module_file(tree, root, dotted)
        if target is None:
            continue
        hits = [target]
        if target.endswith("__init__.py"):  # from pkg import submodule
            package = _parent(target)
            hits += [s for n in names if (s := _module_file(tree, package, n)) is not None]
        return [h for h in hits if h != rel]
    return []


def _py_parse(files: _Files, rel: str) -> ast.Module | None:
    file = files.get(rel)
    if file.text is None:
        return None
    try:
        return ast.parse(file.text, filename=rel)
    except (SyntaxError, ValueError):
        return None


def _sqlalchemy_sources(tree: _Tree, files: _Files, found: _Found) -> None:
    """SQLAlchemy, SQLModel and Flask-SQLAlchemy model packages, never imported.

    A file is a model file when it declares a table class or a ``Table(...)``; the files it
    imports from within the repository (bases, mixins, enums, custom types) join its source.
    Model files of one package folder (one with ``__init__.py``) form one source, whose id is
    the folder; a lone model file is its own source.  A file that matches the pre-filter but
    does not parse is kept, so the reader can say where it breaks.
    """
    python = sorted(
        _join(rel, name)
        for rel, listing in tree.dirs.items()
        for name in listing.files
        if name.endswith(".py")
    )
    models: list[str] = []
    for rel in python:
        file = files.get(rel)
        if file.text is None or not _PY_MODELS.search(file.text):
            continue
        if _ALEMBIC_REVISION.search(file.text):
            continue
        code = (
            _PY_LONG_STRING.sub("", file.text)
            if "''" in file.text or '""' in file.text
            else file.text
        )
        if _PY_STRONG.search(code) and _PY_LIBRARY.search(code):
            models.append(rel)
            continue
        module = _py_parse(files, rel)
        if module is None or _defines_tables(module):
            models.append(rel)
    groups: dict[str, list[str]] = {}
    for rel in models:
        folder = _parent(rel)
        package = _is_file(tree, _join(folder, "__init__.py"))
        siblings = sum(_parent(m) == folder for m in models)
        key = folder if package and (siblings > 1 or _name(rel) == "__init__.py") else rel
        groups.setdefault(key, []).append(rel)
    for key, members in sorted(groups.items()):
        ordered = _py_closure(tree, files, members)
        found.candidates.append(_py_candidate(tree, files, key, ordered))


def _py_closure(tree: _Tree, files: _Files, members: list[str]) -> list[str]:
    """The members and the relevant repo files they import, imported files first."""
    ordered: list[str] = []
    state: dict[str, int] = {}

    def visit(rel: str) -> None:
        if state.get(rel):
            return
        state[rel] = 1
        text = files.get(rel).text
        if text is not None:
            for level, dotted, names in _imports(text):
                for target in _resolve_import(tree, rel, level, dotted, names):
                    text = files.get(target).text
                    if text is not None and _PY_RELEVANT.search(text):
                        visit(target)
        ordered.append(rel)

    for rel in sorted(members):
        visit(rel)
    return ordered


def _py_candidate(tree: _Tree, files: _Files, key: str, members: list[str]) -> _Candidate:
    folder = key if key in tree.dirs else _parent(key)
    dialect, evidence = _py_dialect(tree, files, folder, members)
    if len(members) == 1:
        fingerprint = files.get(members[0]).digest
    else:
        prefix = "" if folder == ROOT else folder + "/"
        parts = "\n".join(f"{m.removeprefix(prefix)}:{files.get(m).digest}" for m in members)
        fingerprint = hashlib.blake2b(parts.encode(), digest_size=20).hexdigest()
    details = {"layout": "package" if key in tree.dirs else "file"}
    return _Candidate(key, KIND_SQLALCHEMY, dialect, evidence, tuple(members), fingerprint, details)


def _py_dialect(tree: _Tree, files: _Files, folder: str, members: list[str]) -> tuple[str, str]:
    """A database URL in the source's files, its folder, or an ``alembic.ini`` above it."""
    candidates = list(members)
    listing = tree.dirs.get(folder)
    if listing is not None:
        candidates += [_join(folder, n) for n in listing.files if n.endswith(".py")]
    current = folder
    while True:
        listing = tree.dirs.get(current)
        if listing is not None and "alembic.ini" in listing.files:
            candidates.append(_join(current, "alembic.ini"))
        if current == ROOT:
            break
        current = _parent(current)
    seen: set[str] = set()
    for rel in candidates:
        if rel in seen:
            continue
        seen.add(rel)
        text = files.get(rel).text
        match = _PY_URL.search(text) if text else None
        if match:
            line = text.count("\n", 0, match.start()) + 1
            dialect = _URL_DIALECTS[match.group(2)]
            return dialect, f"{match.group(1)} {match.group(2)} URL in {rel}:{line}"
    return _py_dialect_imports(files, members) or (
        DEFAULT_DIALECT,
        "default: no database URL near the models",
    )


# ``from sqlalchemy.dialects import mysql`` / ``from sqlalchemy.dialects.mysql import TINYINT``.
_PY_DIALECT_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+sqlalchemy\.dialects(?:\.(postgresql|mysql|sqlite)[\w.]*)?[ \t]+import"
    r"[ \t]+\(?([^\n)]*)|import[ \t]+sqlalchemy\.dialects\.(postgresql|mysql|sqlite))",
    re.MULTILINE,
)


def _py_dialect_imports(files: _Files, members: list[str]) -> tuple[str, str] | None:
    """Without a URL: the one dialect whose SQLAlchemy types the models import, if only one
    is (a model using ``mysql.TINYINT`` runs on MySQL; one importing both postgresql and
    mysql types says nothing)."""
    found: dict[str, str] = {}
    for rel in members:
        text = files.get(rel).text or ""
        for match in _PY_DIALECT_IMPORT.finditer(text):
            names = [match.group(1) or match.group(3)]
            if names[0] is None:
                names = [n.strip().partition(" ")[0] for n in match.group(2).split(",")]
            for name in names:
                if name in _URL_DIALECTS.values() and name not in found:
                    line = text.count("\n", 0, match.start()) + 1
                    found[name] = f"sqlalchemy.dialects.{name} imported in {rel}:{line}"
    if len(found) != 1:
        return None
    ((dialect, evidence),) = found.items()
    return dialect, evidence


# One finder per kind of source; the Python finders join this tuple.
FINDERS: tuple[Callable[[_Tree, _Files, _Found], None], ...] = (
    _sql_sources,
    _prisma_sources,
    _sqlalchemy_sources,
)


# ------------------------------------------------------------------------------ copies


def _merge_copies(root: Path, candidates: list[_Candidate]) -> tuple[Source, ...]:
    """One source per distinct content: the first path in sorted order, the rest as copies.

    Generated copies (a Prisma client's ``schema.prisma``) come after every real path, so
    the source is always named after the file a developer edits.
    """
    groups: dict[tuple[str, str, str], list[_Candidate]] = {}
    for c in sorted(candidates, key=lambda c: (c.generated, c.id)):
        groups.setdefault((c.kind, c.dialect, c.fingerprint), []).append(c)
    sources = []
    for group in groups.values():
        first = group[0]
        if len(group) > 1:
            log.info("Detected %d copies of %s", len(group), first.id)
        sources.append(
            Source(
                id=first.id,
                kind=first.kind,
                dialect=first.dialect,
                root=root,
                files=first.files,
                copies=tuple(c.id for c in group[1:]),
                dialect_evidence=first.evidence,
                details=first.details,
            )
        )
    return tuple(sorted(sources, key=lambda s: s.id))
