"""SQL finders: ordered migration streams in every common layout, and lone schema files."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from dbdrift.discover.dialect import choose_dialect
from dbdrift.discover.files import File, Files, why_not_schema
from dbdrift.discover.found import Candidate, Found
from dbdrift.discover.tree import ROOT, Skipped, Tree, basename, join, parent

# Lone files that are schema snapshots by name (they count as soon as they hold any DDL).
SCHEMA_NAMES = frozenset({"schema.sql", "init.sql", "structure.sql"})

KIND_MIGRATIONS = "sql-migrations"
KIND_SCHEMA = "sql-schema"


def is_sql(name: str) -> bool:
    return name.lower().endswith(".sql")


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """A numeric-aware sort key: ``2_x`` before ``10_x``."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part
    )


# Folder-per-migration layouts: Prisma (``<ts>basename/migration.sql``), Diesel (``up.sql``).
FOLDER_ENTRIES = {"migration.sql": "prisma", "up.sql": "diesel"}
FOLDER_DOWN = "down.sql"


def _folder_steps(tree: Tree, rel: str) -> list[tuple[str, str]]:
    """(step folder, migration file name) for each versioned subfolder of `rel`, in order."""
    steps = []
    for sub in tree.dirs[rel].subdirs:
        listing = tree.dirs.get(sub)
        if listing is None or not basename(sub)[:1].isdigit():
            continue
        entry = next((e for e in FOLDER_ENTRIES if e in listing.files), None)
        if entry is not None:
            steps.append((sub, entry))
    return sorted(steps, key=lambda step: _natural(basename(step[0])))


def _folder_stream(tree: Tree, files: Files, found: Found, rel: str) -> tuple[str, set[str]] | None:
    """The stream of a folder with one subfolder per step: its layout and the paths it took."""
    steps = _folder_steps(tree, rel)
    if not steps:
        return None
    layout = FOLDER_ENTRIES[steps[0][1]]
    taken = set()
    for sub, entry in steps:
        for name in tree.dirs[sub].files:
            if is_sql(name) and name != entry:
                what = "down migration" if name == FOLDER_DOWN else "not the migration file"
                found.skipped.append(Skipped(join(sub, name), f"{what} of a {layout} step"))
                taken.add(join(sub, name))
    paths = [join(sub, entry) for sub, entry in steps]
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
    tree: Tree, files: Files, found: Found, rel: str, names: list[str], layout_of: str | None
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
        alone = len(names) == layout.size or _MIGRATION_DIR.search(basename(rel))
        if not layout.steps or (len(layout.steps) < 2 and not alone):
            return set()
        for name, reason in layout.skipped:
            found.skipped.append(Skipped(join(rel, name), reason))
        paths = [join(rel, name) for name in layout.ordered()]
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
                    join(rel, name),
                    f"in migration folder {rel} but not named like its {label} steps; not applied",
                )
            )
    return taken


def _flat_label(layout: str, rel: str, steps: list[File]) -> str:
    """The tool a numbered folder belongs to, as far as names and markers tell."""
    if layout != "numbered":
        return layout
    if any(f.dbmate for f in steps):
        return "dbmate"
    if rel == "supabase/migrations" or rel.endswith("/supabase/migrations"):
        return "supabase"
    widths = {len(re.match(r"\d*", basename(f.rel)).group()) for f in steps}
    if widths <= {14} or widths <= {10}:
        return "timestamp"
    return "numbered"


def _add_stream(
    tree: Tree, files: Files, found: Found, rel: str, paths: list[str], layout: str
) -> None:
    """A migration stream, unless no step holds any DDL (a folder of seeds or queries)."""
    steps = [files.get(p) for p in paths]
    if all(f.text is not None and not f.scan.ddl for f in steps):
        found.skipped.append(Skipped(rel, why_not_schema([f.scan for f in steps], len(steps))))
        return
    shown = [p if rel == ROOT else p.removeprefix(rel + "/") for p in paths]
    dialect, evidence = choose_dialect(
        tree, files, [rel, parent(rel)], list(zip(shown, steps, strict=True))
    )
    digests = "\n".join(f.digest for f in steps).encode()
    found.candidates.append(
        Candidate(
            id=rel,
            kind=KIND_MIGRATIONS,
            dialect=dialect,
            evidence=evidence,
            files=tuple(paths),
            fingerprint=hashlib.blake2b(digests, digest_size=20).hexdigest(),
            details={"layout": layout},
        )
    )


def _lone_file(tree: Tree, files: Files, found: Found, rel: str) -> None:
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
        if not (scan.creates_table or (_is_schema_name(basename(rel)) and scan.ddl)):
            found.skipped.append(Skipped(rel, why_not_schema([scan])))
            return
    dialect, evidence = choose_dialect(tree, files, [parent(rel)], [(basename(rel), file)])
    found.candidates.append(Candidate(rel, KIND_SCHEMA, dialect, evidence, (rel,), file.digest))


def find_sql(tree: Tree, files: Files, found: Found) -> None:
    """SQL migration streams (one folder per step, or flat) and lone schema files."""
    claimed: set[str] = set()
    folder_layouts: dict[str, str] = {}
    for rel in sorted(tree.dirs):
        if stream := _folder_stream(tree, files, found, rel):
            folder_layouts[rel], taken = stream
            claimed |= taken
    for rel in sorted(tree.dirs):
        names = [n for n in tree.dirs[rel].files if is_sql(n) and join(rel, n) not in claimed]
        if not names:
            continue
        taken = _flat_stream(tree, files, found, rel, names, folder_layouts.get(rel))
        for name in names:
            if name not in taken:
                _lone_file(tree, files, found, join(rel, name))
