"""DBD5xx (sources): copies of model files, competing or broken migration streams, old snapshots."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import combinations
from pathlib import PurePosixPath

from dbdrift.align import MIGRATION_KINDS, SQL_KINDS, Group, Member
from dbdrift.checks.common import column_evidence, describe, edit, kind_label, table_evidence
from dbdrift.checks.registry import Hit, rule
from dbdrift.findings import Evidence, Severity
from dbdrift.history import PrefixMatch

GENERATED_FOLDERS = frozenset({"node_modules", "generated", ".prisma"})
"""Folders whose copies a tool writes (a Prisma client): expected, not duplicated by hand."""

SHARED_TABLES = 0.8
"""Two ORM sources sharing at least this fraction of all their tables are copies of one file."""


def _is_generated(path: str) -> bool:
    return any(part in GENERATED_FOLDERS for part in PurePosixPath(path).parts[:-1])


def _source_line(member: Member, path: str) -> int | None:
    """Line 1 for a single-file source (its copies are files too), ``None`` for a folder."""
    return 1 if member.source.files == (member.id,) else None


@rule("DBD501", "duplicate-model-files", severity=Severity.medium, over="member")
def duplicate_model_files(group: Group, member: Member) -> Iterator[Hit]:
    """The same schema file is kept byte for byte in several places.

    ## What it detects
    A source that discovery found at more than one path with identical bytes (for example
    `services/*/shared/db/models.py` copied into five services).  Copies a tool generates,
    such as a Prisma client's `schema.prisma` under `node_modules` or a `generated` folder,
    are expected and not counted.

    ## Why it breaks
    Nothing fails today: the copies agree.  But the next change is made in one copy, the
    others keep the old columns, and the services start reading and writing different
    tables under the same names (DBD502 is what that looks like later).

    ## Example
    ```text
    services/billing/shared/db/models.py    (blake2b 1f3a...)
    services/gateway/shared/db/models.py    (blake2b 1f3a...)
    ```

    ## Fix
    Keep one shared module (a package every service installs, or a single path they
    import) and delete the copies.

    ## Fix safety
    Safe: the copies are identical, so importing the shared one changes no behaviour.

    ## References
    - DESIGN.md, "Findings and severity": duplicate copies of model files are medium.
    """
    copies = [path for path in member.source.copies if not _is_generated(path)]
    if not copies:
        return
    paths = [member.id, *copies]
    listed = ", ".join(paths)
    yield Hit(
        title=f"{member.id} is copied byte for byte in {len(paths)} places",
        message=(
            f"{member.id} ({kind_label(member)}) exists as {len(paths)} identical files: "
            f"{listed}.  A change made to one copy will not reach the others."
        ),
        evidence=tuple(
            Evidence(member.id, path, _source_line(member, path), "identical copy")
            for path in paths
        ),
        fix=f"Keep one shared module for {member.id} and import it instead of the copies.",
        data={"paths": paths},
    )


@rule("DBD502", "diverged-copies", severity=Severity.medium, over="group")
def diverged_copies(group: Group) -> Iterator[Hit]:
    """Copies of one model file that no longer say the same thing.

    ## What it detects
    Two or more ORM sources of the same kind that are clearly one file copied around, either
    because their paths end alike (`services/a/shared/db/models.py` and
    `services/b/shared/db/models.py`) and they share a table, or because they define nearly
    the same tables, but whose contents differ.  The finding lists, per table, how many
    columns differ between the copies.

    ## Why it breaks
    Each service reads and writes the database through its own copy.  A column one copy
    added is never written by the services using the others; a type changed in one copy
    makes the services disagree on what is stored.

    ## Example
    ```python
    # services/a/shared/db/models.py
    class User(Base):
        __tablename__ = "users"
        email = Column(String(255))
    # services/b/shared/db/models.py
    class User(Base):
        __tablename__ = "users"
        email = Column(String(100))
    ```

    ## Fix
    Merge the copies into one shared module that agrees with the canonical schema and
    import it everywhere.

    ## Fix safety
    Needs review: the services using the copies that change may start writing columns or
    values they did not write before.

    ## References
    - DESIGN.md, "Findings and severity": duplicate copies of model files are medium.
    """
    for copies in _copy_sets(group):
        by_table = _table_differences(copies)
        if not by_table:
            continue
        ids = [m.id for m in copies]
        parts = [
            f"{key}: {_plural(len(names), 'column')} {_differ(names)} ({', '.join(names)})"
            if names
            else f"{key}: not in every copy"
            for key, names in by_table.items()
        ]
        first = next(iter(by_table))
        yield Hit(
            title=f"{len(copies)} copies of {_tail(copies[0].id)} have diverged",
            message=(
                f"{', '.join(ids)} are copies of one {kind_label(copies[0])} file but differ: "
                + "; ".join(parts)
                + "."
            ),
            evidence=tuple(_copy_evidence(m, by_table, first) for m in copies),
            fix="Merge the copies into one shared module that matches the canonical schema, "
            "and import it everywhere.",
            data={"sources": ids, "tables": by_table},
        )


def _tail(source_id: str) -> str:
    """The parent folder and file name: what copied files have in common."""
    parts = PurePosixPath(source_id).parts
    return "/".join(parts[-2:])


def _copy_sets(group: Group) -> list[list[Member]]:
    """ORM members linked by a shared path tail (and a table) or by mostly shared tables."""
    orms = [m for m in group.members if m.is_orm]
    parent = {m.id: m.id for m in orms}

    def root(key: str) -> str:
        while parent[key] != key:
            key = parent[key]
        return key

    for a, b in combinations(orms, 2):
        if a.kind != b.kind:
            continue
        shared = a.tables.keys() & b.tables.keys()
        union = a.tables.keys() | b.tables.keys()
        same_tail = _tail(a.id) == _tail(b.id) and len(PurePosixPath(a.id).parts) > 1
        mostly = len(shared) >= 2 and len(shared) >= SHARED_TABLES * len(union)
        if shared and (same_tail or mostly):
            parent[root(b.id)] = root(a.id)
    sets: dict[str, list[Member]] = {}
    for m in orms:
        sets.setdefault(root(m.id), []).append(m)
    return [members for members in sets.values() if len(members) > 1]


def _table_differences(copies: Sequence[Member]) -> dict[str, list[str]]:
    """Table key -> the columns that differ between the copies, in the first copy's order
    (an empty list: the table is not in every copy)."""
    result: dict[str, list[str]] = {}
    keys = sorted(set().union(*(m.tables.keys() for m in copies)))
    for key in keys:
        tables = [m.tables.get(key) for m in copies]
        if any(t is None for t in tables):
            result[key] = []
            continue
        names = list(dict.fromkeys(c.name for t in tables if t is not None for c in t.columns))
        differing = [
            name
            for name in names
            if len(
                {
                    (c.type.sql, c.nullable, c.default) if c is not None else None
                    for t in tables
                    if t is not None
                    for c in [t.column(name)]
                }
            )
            > 1
        ]
        if differing:
            result[key] = differing
    return result


def _differ(names: list[str]) -> str:
    return "differs" if len(names) == 1 else "differ"


def _copy_evidence(member: Member, by_table: dict[str, list[str]], first: str) -> Evidence:
    """Where a copy defines the first column that differs (or its table, or the copy)."""
    key = next((k for k in by_table if k in member.tables), first)
    table = member.tables.get(key)
    differing = by_table.get(key, [])
    if table is None:
        return Evidence(member.id, member.id, _source_line(member, member.id), f"no table {key}")
    if not differing:
        return table_evidence(member, table, f"defines {key}")
    count = f"{_plural(len(differing), 'column')} of {key} {_differ(differing)} between copies"
    column = next((c for name in differing if (c := table.column(name)) is not None), None)
    if column is None:
        return table_evidence(member, table, f"defines {key}; {count}")
    return column_evidence(member, column, table, f"{key}.{describe(column)}; {count}")


@rule("DBD503", "competing-migration-streams", severity=Severity.high, over="group")
def competing_migration_streams(group: Group) -> Iterator[Hit]:
    """Two migration streams both create the same tables.

    ## What it detects
    Two migration histories in one group (for example `db/migrations` and
    `services/billing/migrations`) that each create some of the same tables.

    ## Why it breaks
    Only one of them can be the history the database was built from.  Applied one after
    the other, the second fails with `relation "users" already exists`; applied to
    different environments, the environments end up with different tables under the same
    names, and queries written against one silently read the other's columns.

    ## Example
    ```sql
    -- db/migrations/001_init.sql
    CREATE TABLE users (id uuid PRIMARY KEY);
    -- services/billing/migrations/0001_users.sql
    CREATE TABLE users (id serial PRIMARY KEY);
    ```

    ## Fix
    Keep one stream as the history of the database and turn the tables the other creates
    into migrations of the first (or delete the second stream if it is dead).

    ## Fix safety
    Needs review: an environment built from the other stream must be migrated by hand
    onto the kept history.

    ## References
    - Issue 5: two migration streams that both create the same tables are themselves a finding.
    """
    streams = [m for m in group.members if m.kind in MIGRATION_KINDS]
    for a, b in combinations(streams, 2):
        shared = sorted(a.tables.keys() & b.tables.keys())
        if not shared:
            continue
        listed = ", ".join(shared)
        evidence = [
            table_evidence(member, member.tables[key], f"creates {key}")
            for member in (a, b)
            for key in shared
        ]
        yield Hit(
            title=f"{a.id} and {b.id} both create {_plural(len(shared), 'table')}",
            message=(
                f"The migration streams {a.id} and {b.id} both create {listed}; only one of "
                "them can be the history of this database."
            ),
            evidence=tuple(evidence),
            fix=f"Keep one migration stream for {listed} and remove the other's CREATE "
            "statements (or the stream).",
            data={"streams": [a.id, b.id], "tables": shared},
        )


@rule("DBD504", "stale-snapshot", severity=Severity.medium, over="group")
def stale_snapshot(group: Group) -> Iterator[Hit]:
    """A schema snapshot describes an older state of the migration stream.

    ## What it detects
    A schema file (`schema.sql`, `database_schema.sql`) whose tables and columns equal the
    state of the group's migration stream after an earlier migration, or are closest to
    such an earlier state: the migrations after it are missing from the snapshot.  Streams
    of more than 200 files are not replayed prefix by prefix; the rule then says so at
    info level.

    ## Why it breaks
    Whoever builds a database from the snapshot (a test fixture, a new environment, a
    reader of the repository) gets tables without the columns the later migrations added,
    and every query using them fails there.

    ## Example
    ```sql
    -- database_schema.sql: no render_jobs.priority
    -- db/migrations/005_render_priority.sql
    ALTER TABLE render_jobs ADD COLUMN priority integer NOT NULL DEFAULT 0;
    ```

    ## Fix
    Regenerate the snapshot from a database with every migration applied (for PostgreSQL
    `pg_dump --schema-only`), or delete it if nothing uses it.

    ## Fix safety
    Safe for the database: only the snapshot file changes.  Anything built from the old
    snapshot (test fixtures) sees the newer schema afterwards.

    ## References
    - DESIGN.md, "Findings and severity": a snapshot file that is outdated is medium.
    """
    for snapshot_id, match in sorted(group.snapshots.items()):
        snapshot = group.member(snapshot_id)
        if snapshot.kind == "database":
            continue  # a live database behind its stream is DBD507
        if match.skipped is not None:
            yield Hit(
                title=f"{snapshot_id} was not compared with every state of {match.stream}",
                message=f"Skipped checking whether {snapshot_id} is outdated: {match.skipped}.",
                evidence=(Evidence(match.stream, match.stream, None, match.skipped),),
                severity=Severity.info,
                data={"snapshot": snapshot_id, "stream": match.stream},
            )
            continue
        if not match.behind:
            continue
        yield _stale_hit(group, snapshot, match)


def _stale_hit(group: Group, snapshot: Member, match: PrefixMatch) -> Hit:
    stream = group.member(match.stream)
    state = _state_name(match)
    missing = _range([PurePosixPath(p).name for p in match.missing])
    if match.exact:
        title = f"{snapshot.id} matches {stream.id} up to {state}"
        message = f"{snapshot.id} matches {stream.id} up to {state}; {missing} missing from it."
    else:
        n = len(match.differences)
        title = f"{snapshot.id} is closest to {stream.id} after {state}"
        message = (
            f"{snapshot.id} is closest to the state of {stream.id} after {state} "
            f"({_plural(n, 'difference')}: {'; '.join(match.differences[:5])}"
            f"{'; ...' if n > 5 else ''}); {missing} missing from it."
        )
    first_missing = match.missing[0]
    evidence = (
        Evidence(snapshot.id, snapshot.source.files[0], 1, f"matches the state after {state}"),
        Evidence(stream.id, first_missing, 1, "not reflected in the snapshot"),
    )
    table = next(iter(snapshot.tables.values()), None) or next(iter(stream.tables.values()))
    edits = (
        edit(
            "regenerate",
            snapshot,
            table,
            note=f"regenerate {snapshot.id} from {stream.id} with every migration applied",
        ),
    )
    return Hit(
        title=title,
        message=message,
        evidence=evidence,
        fix=f"Regenerate {snapshot.id} from a database with every migration of {stream.id} "
        "applied.",
        edits=edits,
        data={
            "snapshot": snapshot.id,
            "stream": stream.id,
            "files": match.files,
            "total": match.total,
            "exact": match.exact,
            "missing": list(match.missing),
        },
    )


def _state_name(match: PrefixMatch) -> str:
    k = match.files
    return PurePosixPath(match.stream_files[k - 1]).name if k else "no migration (empty)"


def _range(names: Sequence[str]) -> str:
    """`005_x.sql is` or `005..008 are`: the missing files, numbered ones by their numbers."""
    if len(names) == 1:
        return f"{names[0]} is"
    first, last = (n.split("_", 1)[0] for n in (names[0], names[-1]))
    if first.isdigit() and last.isdigit():
        return f"{first}..{last} are"
    return f"{names[0]} .. {names[-1]} ({len(names)} files) are"


@rule("DBD505", "migration-does-not-apply", severity=Severity.critical, over="member")
def migration_does_not_apply(group: Group, member: Member) -> Iterator[Hit]:
    """A migration that the database would refuse.

    ## What it detects
    A statement in a migration stream that cannot be applied at its point of the history:
    a syntax error, a file that is not UTF-8, or a statement that refers to a table or column
    that does not exist yet (or any more) when it runs.

    ## Why it breaks
    `migrate up` stops at that statement: `ALTER TABLE nothere ADD COLUMN x int` fails
    with `relation "nothere" does not exist`, so a fresh database (a new environment, CI)
    cannot be built from the repository, and everything after it is never applied.

    ## Example
    ```sql
    -- db/migrations/003_tags.sql
    ALTER TABLE tag ADD COLUMN color text;   -- the table is called tags
    ```

    ## Fix
    Correct the statement so that it applies at that point (or move it after the migration
    that creates what it needs).

    ## Fix safety
    Editing an applied migration changes history: databases that already ran it keep the
    old version.  Prefer a new migration when the broken one has been applied somewhere.

    ## References
    - DESIGN.md, "Findings and severity": a migration stream that does not apply is critical.
    """
    if member.kind not in MIGRATION_KINDS:
        return
    for error in member.schema.errors:
        where = str(error.origin)
        yield Hit(
            title=f"{where}: migration does not apply: {error.message}",
            message=(
                f"The {kind_label(member)} {member.id} cannot be applied: {error.message} "
                f"at {where}."
            ),
            evidence=(Evidence(member.id, error.origin.path, error.origin.line, error.message),),
            fix=f"Correct the statement at {where} so that it applies at that point of "
            f"{member.id}.",
            data={"error": error.message},
        )


@rule("DBD506", "orm-only-schema", severity=Severity.medium, over="group")
def orm_only_schema(group: Group) -> Iterator[Hit]:
    """A database that only ORM models describe: no migration creates its tables.

    ## What it detects
    A group of sources (one database) with Prisma or SQLAlchemy models but no SQL schema
    and no migration stream at all.

    ## Why it breaks
    Nothing in the repository creates those tables, so they exist only where someone ran
    `prisma db push` or `create_all()` by hand; a new environment has no tables, and a
    column added to a model never reaches a database that already exists.

    ## Example
    ```prisma
    model Asset { id String @id  @@map("assets") }   // and no migrations folder
    ```

    ## Fix
    Generate a first migration from the models (`prisma migrate dev`, `alembic revision
    --autogenerate`) and keep the history in the repository.

    ## Fix safety
    Safe on an empty database.  On a database created by hand, mark the first migration
    as applied instead of running it.

    ## References
    - DESIGN.md, "Findings and severity": tables defined only in an ORM are medium.
    """
    if not any(m.is_orm for m in group.members):
        return
    if any(m.kind in SQL_KINDS for m in group.members):
        return
    keys = [row.key for row in group.rows]
    if not keys:
        return
    evidence = [
        table_evidence(m, row.tables[m.id], f"maps {row.key}")
        for row in group.rows
        for m in group.members
        if m.id in row.tables
    ]
    orms = ", ".join(m.id for m in group.members if m.is_orm)
    yield Hit(
        title=f"no migration creates the {_plural(len(keys), 'table')} of {orms}",
        message=(
            f"Group {group.id} is described only by {orms}; no migration or SQL schema "
            f"creates {', '.join(keys)}."
        ),
        evidence=tuple(evidence),
        fix="Generate a first migration from the models and keep it in the repository.",
        data={"tables": keys},
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
