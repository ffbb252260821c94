"""The table x source matrix: every source's tables lined up by physical name.

Steps, in order:

1. group the sources that describe one database (`groups`): the same dialect family, linked
   by at least one shared table; a source whose dialect is only the default joins the group
   it shares most tables with.  Sources in different groups are never compared;
2. choose each group's canonical source (`choose_canonical`): a migration stream over a
   schema snapshot over an ORM, then the one with most tables, then the id;
3. line tables up by physical name (`TableRow`); a table whose name differs from a canonical
   table only in spelling (`User` / `users`) is aligned to it *and* recorded in `spelled`,
   so that a rule reports the mapping that fixes it;
4. line columns up in each row against the row's reference source (`ColumnRow`): the exact
   name, then the same spelling, then a likely rename of the same type family, each pairing
   one-to-one; a source whose table shares too few columns with the reference is recorded
   in `unrelated` and its columns are not paired (a different table with the same name).

Assumptions: names are compared exactly as the database sees them; every set that reaches
output is sorted, so the matrix is the same whatever order the sources came in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from dbdrift import names
from dbdrift.schema import Column, Error, Schema, Table
from dbdrift.source import Source

if TYPE_CHECKING:
    from dbdrift.history import PrefixMatch
    from dbdrift.verify import Verification

K = TypeVar("K")
V = TypeVar("V")

MIGRATION_KINDS = frozenset({"sql-migrations", "alembic", "django-migrations"})
"""Ordered histories: replayed, they are what a database built from the repo contains."""
SNAPSHOT_KINDS = frozenset({"sql-schema"})
ORM_KINDS = frozenset({"prisma", "sqlalchemy", "django"})
"""Sources that code reads and writes through: a table or column they map must exist."""
SQL_KINDS = MIGRATION_KINDS | SNAPSHOT_KINDS

DIALECT_FAMILY = {"mariadb": "mysql"}
"""Dialects that describe the same kind of database for grouping."""

DEFAULT_SCHEMAS = frozenset({"public", "main", "dbo"})
"""Schemas a table lives in when it names none; left out of its key."""

UNRELATED_OVERLAP = 0.5
"""A table sharing less than this fraction of the smaller side's columns (after renames) with
the reference is a different table that happens to have the same name."""


def pair(left: Iterable[K], right: Iterable[K]) -> tuple[list[K], list[K], list[K]]:
    """Only in `left`, only in `right`, and in both; each sorted (migra's `differences`)."""
    a, b = set(left), set(right)
    return sorted(a - b), sorted(b - a), sorted(a & b)  # type: ignore[type-var]


def kind_rank(kind: str) -> int:
    """0 for migration histories, 1 for snapshots, 2 for ORMs, 3 for anything else."""
    if kind in MIGRATION_KINDS:
        return 0
    if kind in SNAPSHOT_KINDS:
        return 1
    if kind in ORM_KINDS:
        return 2
    return 3


def table_key(table: Table) -> str:
    """The physical name a table is aligned by: `schema.name` outside the default schema."""
    if table.schema and table.schema not in DEFAULT_SCHEMAS:
        return f"{table.schema}.{table.name}"
    return table.name


@dataclass(eq=False)
class Member:
    """One source in the scan, with its schema and its tables by key."""

    source: Source
    schema: Schema
    tables: dict[str, Table] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.tables:
            self.tables = {table_key(t): t for t in self.schema.tables}

    @property
    def id(self) -> str:
        return self.source.id

    @property
    def kind(self) -> str:
        return self.source.kind

    @property
    def dialect(self) -> str:
        return self.source.dialect

    @property
    def is_orm(self) -> bool:
        return self.kind in ORM_KINDS

    @property
    def family(self) -> str:
        return DIALECT_FAMILY.get(self.dialect, self.dialect)


@dataclass(eq=False)
class ColumnRow:
    """One column across the sources of a table row, keyed by source id.

    `name` is the reference source's name for it (or the only name it has); `spelled`
    holds, for a source that names it differently, that source's name and whether it is a
    spelling variant (``"spelling"``) or a likely rename (``"rename"``).
    """

    table: TableRow
    name: str
    columns: dict[str, Column] = field(default_factory=dict)
    spelled: dict[str, tuple[str, str]] = field(default_factory=dict)
    memo: dict[str, object] = field(default_factory=dict, repr=False)
    """What rules computed once for this row and share (a rule family's classification)."""

    def reference(self) -> Column | None:
        return self.columns.get(self.table.reference)


@dataclass(eq=False)
class TableRow:
    """One table across the sources of a group, keyed by source id.

    `reference` is the source the others are compared with for this table: the canonical
    source when it has the table, else the best-ranked source that has it.
    """

    group: Group
    key: str
    tables: dict[str, Table] = field(default_factory=dict)
    spelled: dict[str, str] = field(default_factory=dict)
    unrelated: dict[str, float] = field(default_factory=dict)
    reference: str = ""
    columns: list[ColumnRow] = field(default_factory=list)

    def table(self, source_id: str) -> Table | None:
        return self.tables.get(source_id)

    def others(self) -> Iterator[tuple[Member, Table]]:
        """Every source but the reference that has this table, in source order."""
        for member in self.group.members:
            if member.id != self.reference and member.id in self.tables:
                yield member, self.tables[member.id]

    @property
    def in_canonical(self) -> bool:
        return self.group.canonical in self.tables


@dataclass(eq=False)
class Group:
    """Sources that describe one database, compared with each other and with `canonical`."""

    id: str
    dialect: str
    members: list[Member]
    canonical: str
    why: str
    canonical_why: str
    rows: list[TableRow] = field(default_factory=list)
    snapshots: dict[str, PrefixMatch] = field(default_factory=dict)
    """Snapshot id -> the prefix of the group's migration stream it matches (`history`)."""
    stale: set[str] = field(default_factory=set)
    """Snapshots equal to an older state of the stream: their per-column drift is that age."""
    verified: dict[str, Verification] = field(default_factory=dict)
    """Source id -> its replay in a real scratch database (`verify.attach`, scan --verify)."""

    _spellings: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    _by_id: dict[str, Member] = field(default_factory=dict, repr=False)

    def member(self, source_id: str) -> Member:
        if len(self._by_id) != len(self.members):
            self._by_id = {m.id: m for m in self.members}
        return self._by_id[source_id]

    def spellings(self, source_id: str) -> dict[str, str]:
        """The table names a source spells differently, mapped to their row keys."""
        found = self._spellings.get(source_id)
        if found is None:
            found = {r.spelled[source_id]: r.key for r in self.rows if source_id in r.spelled}
            self._spellings[source_id] = found
        return found

    @property
    def canonical_member(self) -> Member:
        return self.member(self.canonical)

    def row(self, key: str) -> TableRow | None:
        return next((r for r in self.rows if r.key == key), None)


@dataclass(eq=False)
class Matrix:
    """Every group of the scan, and the members each was formed from."""

    members: list[Member]
    groups: list[Group]
    discovery_errors: tuple[Error, ...] = ()
    """What discovery could not walk or read (set by `scan`), so rules can report it."""

    def group_of(self, source_id: str) -> Group | None:
        return next((g for g in self.groups if any(m.id == source_id for m in g.members)), None)


def align(members: Sequence[Member], canonical: str | None = None) -> Matrix:
    """The matrix of `members`; `canonical` names the canonical source of its group."""
    ordered = sorted(members, key=lambda m: m.id)
    groups = [
        _build_group(gid, dialect, grouped, why, canonical)
        for gid, dialect, grouped, why in group_members(ordered)
    ]
    return Matrix(ordered, groups)


def group_members(members: Sequence[Member]) -> list[tuple[str, str, list[Member], str]]:
    """Split sources into groups: (id, dialect, members, why), in a stable order."""
    by_family: dict[str, list[Member]] = {}
    floating: list[Member] = []
    unread: list[Member] = []
    for member in members:
        if member.source.dialect_evidence == "default" and member.is_orm:
            floating.append(member)
        elif member.kind == "database" and member.schema.errors and not member.tables:
            unread.append(member)  # a database that could not be read shares nothing yet
        else:
            by_family.setdefault(member.family, []).append(member)
    components: list[tuple[str, list[Member]]] = []
    for family in sorted(by_family):
        for component in _linked(by_family[family]):
            components.append((family, component))
    for member in floating:
        _place(member, components)
    for member in unread:
        same = next((c for family, c in components if family == member.family), None)
        if same is None:
            components.append((member.family, [member]))
        else:
            same.append(member)
    result = []
    seen: dict[str, int] = {}
    for family, component in components:
        seen[family] = seen.get(family, 0) + 1
        gid = family if seen[family] == 1 else f"{family}-{seen[family]}"
        component.sort(key=lambda m: m.id)
        result.append((gid, family, component, _why(family, component)))
    return result


def _linked(members: list[Member]) -> list[list[Member]]:
    """Connected components of `members`, two sources linked when they share a table."""
    parent = list(range(len(members)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, member in enumerate(members):
        for key in _table_keys(member):
            if key in owner:
                parent[root(i)] = root(owner[key])
            else:
                owner[key] = i
    components: dict[int, list[Member]] = {}
    for i, member in enumerate(members):
        components.setdefault(root(i), []).append(member)
    return sorted(components.values(), key=lambda c: min(m.id for m in c))


def _table_keys(member: Member) -> set[str]:
    return {names.spelling_key(key) for key in member.tables}


def _place(member: Member, components: list[tuple[str, list[Member]]]) -> None:
    """Put a source without dialect evidence in the component it shares most tables with."""
    keys = _table_keys(member)
    best: tuple[int, int] | None = None
    for index, (_, component) in enumerate(components):
        shared = len(keys & set().union(*(_table_keys(m) for m in component)))
        if shared and (best is None or shared > best[0]):
            best = (shared, index)
    if best is not None:
        components[best[1]][1].append(member)
    else:
        components.append((member.family, [member]))


def _why(family: str, members: list[Member]) -> str:
    if len(members) == 1:
        return f"{family}: shares no table with any other {family} source"
    return f"{family}: {len(members)} sources linked by shared table names"


def choose_canonical(members: Sequence[Member], wanted: str | None = None) -> tuple[str, str]:
    """The canonical source of a group and the rule that chose it."""
    if wanted is not None and any(m.id == wanted for m in members):
        return wanted, "named with --canonical"
    best = min(members, key=lambda m: (kind_rank(m.kind), -len(m.tables), m.id))
    label = {0: "a migration history", 1: "a schema snapshot", 2: "an ORM schema"}.get(
        kind_rank(best.kind), "a source"
    )
    return best.id, (
        f"{label} ({best.kind}) with {len(best.tables)} tables: migration histories rank "
        "over schema snapshots over ORM schemas, then the source with most tables"
    )


def _build_group(
    gid: str, dialect: str, members: list[Member], why: str, wanted: str | None
) -> Group:
    canonical, canonical_why = choose_canonical(members, wanted)
    group = Group(gid, dialect, members, canonical, why, canonical_why)
    ranked = sorted(members, key=lambda m: (m.id != canonical, kind_rank(m.kind), m.id))
    rows: dict[str, TableRow] = {}
    for member in ranked:
        _add_tables(group, rows, member)
    group.rows = [rows[key] for key in sorted(rows)]
    for row in group.rows:
        _align_columns(row)
    return group


def _add_tables(group: Group, rows: dict[str, TableRow], member: Member) -> None:
    """Add a member's tables to the rows: exact names first, then spelling variants of a
    row the member does not already fill."""
    pending = []
    for key, table in member.tables.items():
        if key in rows:
            rows[key].tables[member.id] = table
        else:
            pending.append((key, table))
    by_spelling: dict[str, list[str]] = {}
    for key, row in rows.items():
        if member.id not in row.tables:
            by_spelling.setdefault(names.spelling_key(key), []).append(key)
    for key, table in sorted(pending, key=lambda item: item[0]):
        candidates = by_spelling.get(names.spelling_key(key), [])
        if len(candidates) == 1 and member.id not in rows[candidates[0]].tables:
            row = rows[candidates[0]]
            row.tables[member.id] = table
            row.spelled[member.id] = key
            continue
        row = TableRow(group, key, {member.id: table}, reference=member.id)
        rows[key] = row
    for row in rows.values():
        if not row.reference:
            row.reference = member.id


def _align_columns(row: TableRow) -> None:
    """Pair each source's columns with the reference's: exact, spelling, then likely rename."""
    reference = row.tables[row.reference]
    by_name: dict[str, ColumnRow] = {}
    for column in reference.columns:
        by_name[column.name] = ColumnRow(row, column.name, {row.reference: column})
    for member, table in row.others():
        matched = _match_columns(reference.columns, table.columns)
        overlap = len(matched) / max(1, min(len(reference.columns), len(table.columns)))
        if overlap < UNRELATED_OVERLAP and min(len(reference.columns), len(table.columns)) >= 2:
            row.unrelated[member.id] = round(overlap, 2)
            continue
        for column in table.columns:
            ref_name, how = matched.get(column.name, (None, None))
            if ref_name is None:
                name = column.name
                if name not in by_name:
                    by_name[name] = ColumnRow(row, name)
                target = by_name[name]
                if row.reference in target.columns:
                    # The reference has a column of this name that another column paired
                    # with; keep this one apart under its own qualified key.
                    target = by_name.setdefault(f"{name}\0{member.id}", ColumnRow(row, name))
            else:
                target = by_name[ref_name]
                if how != "exact":
                    target.spelled[member.id] = (column.name, how or "")
            target.columns[member.id] = column
    order = {c.name: i for i, c in enumerate(reference.columns)}
    row.columns = sorted(
        by_name.values(), key=lambda c: (order.get(c.name, len(order)), c.name, len(c.columns))
    )


def _match_columns(
    reference: Sequence[Column], other: Sequence[Column]
) -> dict[str, tuple[str, str]]:
    """`other`'s column name -> (reference column name, how): exact, spelling or rename."""
    ref_names = {c.name for c in reference}
    matched: dict[str, tuple[str, str]] = {}
    for column in other:
        if column.name in ref_names:
            matched[column.name] = (column.name, "exact")
    free_ref = [c for c in reference if c.name not in matched]
    free_other = [c for c in other if c.name not in matched]
    by_key: dict[str, list[Column]] = {}
    for column in free_ref:
        by_key.setdefault(names.spelling_key(column.name), []).append(column)
    for column in list(free_other):
        candidates = by_key.get(names.spelling_key(column.name), [])
        if len(candidates) == 1:
            target = candidates.pop()
            matched[column.name] = (target.name, "spelling")
            free_ref.remove(target)
            free_other.remove(column)
    scored = sorted(
        (
            (-names.similarity(o.name, r.name), o.name, r.name)
            for o in free_other
            for r in free_ref
            if o.type.family == r.type.family and names.likely_same(o.name, r.name)
        ),
    )
    used: set[str] = set()
    for _, other_name, ref_name in scored:
        if other_name in matched or ref_name in used:
            continue
        matched[other_name] = (ref_name, "rename")
        used.add(ref_name)
    return matched
