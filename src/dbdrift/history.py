"""How far a schema snapshot is behind its migration stream, computed once before the checks.

Rules never read files (DESIGN.md), yet telling that `database_schema.sql` is the state after
migration 004 of 8 needs the schema after every prefix of the stream.  `attach(matrix)` runs
before the checks: for each schema snapshot it replays the group's migration stream once,
compares the snapshot with the state after each file and records the best match on the group
(`Group.snapshots`, and `Group.stale` when an older state matches exactly).

A live database (kind ``"database"``) is matched the same way: the longest prefix whose
replay equals it says which migrations it lacks (DBD507).  Because a database usually has
other drift too, its match also records `PrefixMatch.changes`, the tables and columns the
missing migrations touch, so only the findings those explain are folded into DBD507.

Assumptions: the snapshot and the stream are read by the same reader (or, for a database, a
reader proven to spell things as the replay does), so equal things are spelled equally;
constraint names are ignored (a dump names what the migrations left unnamed).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from dbdrift.align import (
    DEFAULT_SCHEMAS,
    MIGRATION_KINDS,
    SNAPSHOT_KINDS,
    Group,
    Matrix,
    Member,
    table_key,
)
from dbdrift.schema import Schema, Table

log = logging.getLogger(__name__)

MAX_STREAM_FILES = 200
"""Longer streams are not replayed prefix by prefix; the snapshot check says it skipped them."""

SQL_KINDS = frozenset({"sql-migrations", "sql-schema"})
"""Kinds read by the SQL replay, whose catalog can be frozen after each file."""

KEYS = "(keys)"
"""The column of a `PrefixMatch.changes` entry for a change of a table's keys."""

DATABASE_KIND = "database"
"""Live databases are matched against the stream like snapshots (`attach`)."""

TableShape = tuple[
    dict[str, tuple[str, bool, str | None]],
    tuple[str, ...],
    frozenset[tuple[object, ...]],
    frozenset[tuple[object, ...]],
]
Shape = dict[str, TableShape]
"""table key -> ({column: (type, nullable)}, primary key columns, foreign keys without names)."""


@dataclass(frozen=True, slots=True)
class PrefixMatch:
    """The prefix of `stream` whose replay is closest to `snapshot`.

    `files` is how many stream files that prefix holds (0 = the empty schema) out of
    `total`; `differences` says what still differs from it (empty when `exact`).  `skipped`
    says why no prefix was replayed (then `files` is 0 and nothing else is meaningful).
    """

    snapshot: str
    stream: str
    files: int
    total: int
    differences: tuple[str, ...] = ()
    stream_files: tuple[str, ...] = ()
    skipped: str | None = None
    changes: frozenset[tuple[str, str | None]] = frozenset()
    """What the missing files change: (table key, column); column ``None`` for a table they
    create or drop, `KEYS` for a table whose primary or foreign keys they change."""

    @property
    def exact(self) -> bool:
        return self.skipped is None and not self.differences

    @property
    def behind(self) -> bool:
        """Whether the snapshot is closest to an older state than the whole stream."""
        return self.skipped is None and self.files < self.total

    @property
    def missing(self) -> tuple[str, ...]:
        """The stream files after the matching prefix."""
        return self.stream_files[self.files :]


def attach(matrix: Matrix) -> None:
    """Fill `snapshots` and `stale` of every group that has a snapshot (or a readable live
    database) and a stream."""
    for group in matrix.groups:
        stream = stream_of(group)
        if stream is None:
            continue
        for member in group.members:
            if member.kind not in SNAPSHOT_KINDS and member.kind != DATABASE_KIND:
                continue
            if member.kind == DATABASE_KIND and member.schema.errors:
                continue  # not read: nothing to match
            match = prefix_match(stream, member)
            if match is None:
                continue
            group.snapshots[member.id] = match
            if match.exact and match.behind:
                group.stale.add(member.id)


def stream_of(group: Group) -> Member | None:
    """The group's migration stream: the canonical one when it is a stream, else the largest."""
    canonical = group.canonical_member
    if canonical.kind in MIGRATION_KINDS:
        return canonical
    streams = [m for m in group.members if m.kind in MIGRATION_KINDS]
    if not streams:
        return None
    return min(streams, key=lambda m: (-len(m.source.files), m.id))


def prefix_match(stream: Member, snapshot: Member) -> PrefixMatch | None:
    """The longest prefix of `stream` equal to `snapshot`, else the closest (fewest
    differences, the longest on a tie); ``None`` when the stream has no files."""
    files = stream.source.files
    if not files:
        return None
    wanted = shape(snapshot.schema)
    # 1. the whole stream is the schema already read: an up-to-date snapshot costs nothing.
    full = differences(shape(stream.schema), wanted)
    if not full:
        return PrefixMatch(snapshot.id, stream.id, len(files), len(files), (), files)
    if len(files) > MAX_STREAM_FILES:
        log.info(
            "Skipped snapshot check of %s because %s has %d files",
            snapshot.id,
            stream.id,
            len(files),
        )
        return PrefixMatch(
            snapshot.id,
            stream.id,
            0,
            len(files),
            stream_files=files,
            skipped=f"{stream.id} has {len(files)} files (more than {MAX_STREAM_FILES})",
        )
    # 2. replay once; a state is compared in full only when its table names alone do not
    #    already make it worse than the best so far (the longest wins a tie).
    best: tuple[int, tuple[str, ...]] = (len(files), full)
    best_state: Shape = {}
    allowed = len(full) - 1
    for k, (keys, freeze) in enumerate(states(stream)):
        if k == len(files) or len(keys ^ wanted.keys()) > allowed:
            continue
        state = shape(freeze())
        found = differences(state, wanted)
        if len(found) <= allowed:
            best, allowed, best_state = (k, found), len(found), state
    log.info(
        "Detected %s closest to %s after %d of %d files",
        snapshot.id,
        stream.id,
        best[0],
        len(files),
    )
    changes = changed(best_state, shape(stream.schema)) if best[0] < len(files) else frozenset()
    return PrefixMatch(snapshot.id, stream.id, best[0], len(files), best[1], files, None, changes)


def states(stream: Member) -> Iterator[tuple[set[str], Callable[[], Schema]]]:
    """Before the first file, then after each file of the stream: the table keys and a
    function that freezes the whole schema (call it before taking the next state).

    A SQL stream is replayed once and its catalog frozen on demand; other kinds are read
    once per prefix.
    """
    source = stream.source
    empty = Schema(source.ref())
    yield set(), lambda: empty
    if source.kind not in SQL_KINDS:
        from dbdrift.scan import read_source

        for k in range(1, len(source.files) + 1):
            schema = read_source(replace(source, files=source.files[:k]))
            yield {table_key(t) for t in schema.tables}, lambda schema=schema: schema
        return
    from importlib import import_module

    from dbdrift.readers.sql import REPLAYS
    from dbdrift.readers.sql.catalog import Catalog
    from dbdrift.readers.sql.text import load_text, up_section

    catalog = Catalog(source.ref())
    replay = import_module(REPLAYS.get(source.dialect, REPLAYS["postgresql"])).Replay(catalog)
    for relative in source.files:
        text, error = load_text(source.root, relative)
        if error is None and text is not None:
            replay.file(relative, up_section(text))
        keys = {
            name if schema is None or schema in DEFAULT_SCHEMAS else f"{schema}.{name}"
            for schema, name in catalog.tables
        }
        yield keys, catalog.freeze


def shape(schema: Schema) -> Shape:
    """What a snapshot must agree on: tables, columns by name, type, nullability and default,
    primary keys, foreign keys, unique constraints and indexes, without constraint names (a
    migration that only adds an index or a default is a state of its own)."""
    return {table_key(t): _table_shape(t) for t in schema.tables}


def _table_shape(table: Table) -> TableShape:
    columns = {c.name: (c.type.sql, c.nullable, c.default) for c in table.columns}
    pk = table.primary_key.columns if table.primary_key else ()
    fks = frozenset(
        (fk.columns, fk.ref_table, fk.ref_columns, fk.on_delete, fk.on_update)
        for fk in table.foreign_keys
    )
    indexes = frozenset(
        [("unique", u.columns) for u in table.uniques]
        + [("index", i.columns, i.unique, i.where is not None) for i in table.indexes]
    )
    return columns, pk, fks, indexes


def changed(before: Shape, after: Shape) -> frozenset[tuple[str, str | None]]:
    """The tables, columns and keys that differ between two states (`PrefixMatch.changes`)."""
    found: set[tuple[str, str | None]] = {(key, None) for key in before.keys() ^ after.keys()}
    for key in before.keys() & after.keys():
        (cols, pk, fks, idx), (new_cols, new_pk, new_fks, new_idx) = before[key], after[key]
        found.update((key, name) for name in cols.keys() ^ new_cols.keys())
        found.update(
            (key, name) for name in cols.keys() & new_cols.keys() if cols[name] != new_cols[name]
        )
        if pk != new_pk or fks != new_fks or idx != new_idx:
            found.add((key, KEYS))
    return frozenset(found)


def differences(state: Shape, snapshot: Shape) -> tuple[str, ...]:
    """What `snapshot` says differently from `state`, one short line per difference."""
    found: list[str] = []
    for key in sorted(state.keys() - snapshot.keys()):
        found.append(f"table {key} is missing from the snapshot")
    for key in sorted(snapshot.keys() - state.keys()):
        found.append(f"table {key} is only in the snapshot")
    for key in sorted(state.keys() & snapshot.keys()):
        (cols, pk, fks, idx), (snap_cols, snap_pk, snap_fks, snap_idx) = state[key], snapshot[key]
        for name in sorted(cols.keys() - snap_cols.keys()):
            found.append(f"column {key}.{name} is missing from the snapshot")
        for name in sorted(snap_cols.keys() - cols.keys()):
            found.append(f"column {key}.{name} is only in the snapshot")
        for name in sorted(cols.keys() & snap_cols.keys()):
            if cols[name] != snap_cols[name]:
                found.append(f"column {key}.{name} differs")
        if pk != snap_pk:
            found.append(f"primary key of {key} differs")
        if fks != snap_fks:
            found.append(f"foreign keys of {key} differ")
        if idx != snap_idx:
            found.append(f"unique constraints or indexes of {key} differ")
    return tuple(found)
