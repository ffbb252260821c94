"""DBD3xx (keys): primary keys, foreign keys, uniques and indexes that sources disagree on.

Constraints are compared by what they cover, never by name: a primary key by its column
set, a foreign key by its column set (then its target and actions), a unique by its column
set (unique constraints and unique indexes alike), an index by its column tuple.  Column
and table names of a source are first translated into the reference source's names
(`Names`), so that a column or table spelled differently, which DBD1xx reports already,
does not make every constraint on it differ as well.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from dbdrift.align import SQL_KINDS, Member, TableRow
from dbdrift.checks.common import edit, kind_label, member_of
from dbdrift.checks.registry import Hit, rule
from dbdrift.findings import Evidence, Severity
from dbdrift.schema import ForeignKey, Origin, Table

SAME_ACTION = {"RESTRICT": "NO ACTION"}
"""Referential actions that behave alike for every statement an application runs: RESTRICT
and NO ACTION differ only for deferred constraints in PostgreSQL and not at all in MySQL
(https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK,
https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html)."""


@dataclass(frozen=True, slots=True)
class Names:
    """A source's table and column names translated into the reference source's names."""

    columns: dict[str, str]
    tables: dict[str, str]

    def column(self, name: str) -> str:
        return self.columns.get(name, name)

    def cols(self, names: Iterable[str]) -> tuple[str, ...]:
        return tuple(self.column(n) for n in names)

    def table(self, name: str) -> str:
        return self.tables.get(name, name)


def names_of(row: TableRow, member: Member) -> Names:
    """How `member` names this row's columns and the group's tables, in reference terms."""
    columns = {}
    for column_row in row.columns:
        spelled = column_row.spelled.get(member.id)
        if spelled is not None:
            columns[spelled[0]] = column_row.name
    return Names(columns, row.group.spellings(member.id))


REFERENCE_NAMES = Names({}, {})


@dataclass(frozen=True, slots=True)
class Side:
    """One source's version of the table, with its names translated."""

    member: Member
    table: Table
    names: Names

    @property
    def column_names(self) -> set[str]:
        return {self.names.column(c.name) for c in self.table.columns}

    def pk(self) -> frozenset[str]:
        pk = self.table.primary_key
        return frozenset(self.names.cols(pk.columns)) if pk is not None else frozenset()

    def foreign_keys(self) -> dict[frozenset[str], ForeignKey]:
        return {frozenset(self.names.cols(fk.columns)): fk for fk in self.table.foreign_keys}

    def target(self, fk: ForeignKey, row: TableRow) -> tuple[str, tuple[str, ...]]:
        """The referenced table and columns in reference names, ordered by the key's own
        (translated) columns so that a composite key written in another order is equal."""
        ref_table = self.names.table(fk.ref_table)
        target_row = row.group.row(ref_table)
        names = names_of(target_row, self.member) if target_row is not None else REFERENCE_NAMES
        pairs = sorted(zip(self.names.cols(fk.columns), names.cols(fk.ref_columns), strict=False))
        return ref_table, tuple(ref for _, ref in pairs)

    def origin(self, origin: Origin | None, columns: tuple[str, ...]) -> Origin | None:
        """Where a constraint on `columns` (the source's names) is declared: its own origin,
        or its column's when a reader placed a column-level constraint at its table."""
        if origin is not None and origin != self.table.origin:
            return origin
        column = self.table.column(columns[0]) if len(columns) == 1 else None
        if column is not None and column.origin is not None:
            return column.origin
        return origin

    def uniques(self) -> dict[frozenset[str], Origin | None]:
        """Column sets that are unique (constraints and unique indexes), and where."""
        found: dict[frozenset[str], Origin | None] = {}
        for unique in self.table.uniques:
            key = frozenset(self.names.cols(unique.columns))
            found.setdefault(key, self.origin(unique.origin, unique.columns))
        for index in self.table.indexes:
            if index.unique and index.where is None:
                key = frozenset(self.names.cols(index.columns))
                found.setdefault(key, self.origin(index.origin, index.columns))
        return found

    def indexes(self) -> dict[tuple[str, ...], Origin | None]:
        """Column tuples of the non-unique indexes, and where each is declared."""
        found: dict[tuple[str, ...], Origin | None] = {}
        for index in self.table.indexes:
            if not index.unique:
                key = self.names.cols(index.columns)
                found.setdefault(key, self.origin(index.origin, index.columns))
        return found


def sides(row: TableRow) -> Iterator[tuple[Side, Side]]:
    """(reference, other) for every related source that has the table."""
    reference = member_of(row, row.reference)
    ref_side = Side(reference, row.tables[row.reference], REFERENCE_NAMES)
    for member, table in row.others():
        if member.id in row.unrelated:
            continue
        yield ref_side, Side(member, table, names_of(row, member))


def has_table(side: Side, row: TableRow, name: str) -> bool:
    """Whether the side's source defines table `name` (a reference name)."""
    if name in side.member.tables:
        return True
    target = row.group.row(name)
    return target is not None and side.member.id in target.tables


def _at(side: Side, origin: Origin | None, says: str) -> Evidence:
    return Evidence.at(side.member.id, origin or side.table.origin, says)


def _absent(side: Side, says: str) -> Evidence:
    """Evidence of an absence: at the table's definition, where the constraint would be."""
    return Evidence.at(side.member.id, side.table.origin, says)


def _cols(columns: Iterable[str]) -> str:
    return ", ".join(sorted(columns))


def _fk_text(fk: ForeignKey) -> str:
    return (
        f"FOREIGN KEY ({', '.join(fk.columns)}) REFERENCES {fk.ref_table} "
        f"({', '.join(fk.ref_columns)}) ON DELETE {fk.on_delete} ON UPDATE {fk.on_update}"
    )


@rule("DBD301", "primary-key-mismatch", severity=Severity.critical, over="table")
def primary_key_mismatch(row: TableRow) -> Iterator[Hit]:
    """Two sources give a table different primary keys (or one gives it none).

    ## What it detects
    A table whose primary key columns differ between the reference source and another
    source: no primary key against one, or keys over different columns.  Columns are
    compared after alignment, so a key column that is only spelled differently
    (`userId` / `user_id`, reported by the column rules) is the same column here, and the
    name of the constraint does not matter.

    ## Why it breaks
    An ORM identifies rows by what it believes the primary key is.  Updates and deletes
    are issued `WHERE id = $1`; when the database's key is another column, they hit
    several rows or none, `upsert` conflicts on the wrong target (`there is no unique or
    exclusion constraint matching the ON CONFLICT specification`), and a table without a
    key in the database accepts duplicate rows the model treats as one.

    ## Example
    ```sql
    CREATE TABLE memberships (user_id uuid, team_id uuid, PRIMARY KEY (user_id, team_id));
    ```
    ```prisma
    model Membership { id Int @id @default(autoincrement()) userId String teamId String }
    ```

    ## Fix
    Declare the model's primary key on the database's key columns (Prisma `@@id([...])`,
    SQLAlchemy `primary_key=True` on each), or migrate the database's key.

    ## Fix safety
    Changing a model's key changes how code looks rows up.  Changing a database primary
    key fails on duplicate or NULL values and rebuilds the index; foreign keys pointing at
    it must change too: the edit is marked unsafe.

    ## References
    - DESIGN.md, "Findings and severity": incompatible primary keys are critical.
    - https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-PRIMARY-KEYS
    """
    for ref, other in sides(row):
        ref_pk, pk = ref.pk(), other.pk()
        if ref_pk == pk:
            continue
        ref_says = f"PRIMARY KEY ({_cols(ref_pk)})" if ref_pk else "no primary key"
        says = f"PRIMARY KEY ({_cols(pk)})" if pk else "no primary key"
        ref_origin = ref.table.primary_key.origin if ref.table.primary_key else None
        origin = other.table.primary_key.origin if other.table.primary_key else None
        yield Hit(
            title=f"{row.key} has {says.lower()} in {other.member.id} but {ref_says.lower()} "
            f"in {ref.member.id}",
            message=(
                f"The {kind_label(other.member)} {other.member.id} gives {row.key} {says}, "
                f"while the {kind_label(ref.member)} {ref.member.id} has {ref_says}: rows are "
                "identified by different columns."
            ),
            table=row.key,
            evidence=(_at(ref, ref_origin, ref_says), _at(other, origin, says)),
            fix=f"Declare the primary key of {row.key} in {other.member.id} on "
            f"({_cols(ref_pk) or 'the columns the database uses'}), as {ref.member.id} has it.",
            edits=(
                edit(
                    "edit-source",
                    other.member,
                    other.table,
                    unsafe=other.member.kind in SQL_KINDS,
                    note=f"primary key ({_cols(ref_pk)})" if ref_pk else "no primary key",
                ),
            ),
            data={"reference": sorted(ref_pk), "source": sorted(pk)},
        )


@rule("DBD302", "foreign-key-missing", severity=Severity.high, over="table")
def foreign_key_missing(row: TableRow) -> Iterator[Hit]:
    """A foreign key that one source declares and another lacks.

    ## What it detects
    A foreign key (identified by its columns) present in the reference source and absent
    from another source, or declared by another source and absent from the reference.
    Only when the key's columns and the referenced table exist on both sides: a model that
    does not map the referenced table cannot declare the relation, and a missing column
    or table is reported by DBD1xx.

    ## Why it breaks
    A model that declares a relation the database does not enforce lets orphans in:
    deleting a user leaves orders pointing at nothing, and the joins the model relies on
    silently drop rows.  A model that lacks a relation the database has issues deletes in
    an order the database refuses (`violates foreign key constraint`), and Prisma's
    `onDelete` emulation or SQLAlchemy's cascade do not run.

    ## Example
    ```sql
    user_id uuid NOT NULL REFERENCES users (id)         -- db/migrations/001_init.sql
    ```
    ```python
    user_id = Column(Uuid, nullable=False)               # app/models.py: no ForeignKey
    ```

    ## Fix
    Declare the relation in the model (`ForeignKey("users.id")`, a Prisma `@relation`), or
    add the foreign key to the database with a migration when the model has it.

    ## Fix safety
    Declaring the relation in a model is safe.  Adding a foreign key to the database fails
    when existing rows violate it; clean orphans first: that edit is marked unsafe.

    ## References
    - DESIGN.md, "Findings and severity": a foreign key one source has and another lacks is
      high.
    - https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK
    """
    for ref, other in sides(row):
        ref_fks, fks = ref.foreign_keys(), other.foreign_keys()
        both_columns = ref.column_names & other.column_names
        for columns in sorted(set(ref_fks) - set(fks), key=sorted):
            fk = ref_fks[columns]
            if columns <= both_columns and has_table(other, row, fk.ref_table):
                yield _missing_fk(row, ref, other, fk, lacking=other)
        for columns in sorted(set(fks) - set(ref_fks), key=sorted):
            fk = fks[columns]
            target = other.names.table(fk.ref_table)
            if columns <= both_columns and has_table(ref, row, target):
                yield _missing_fk(row, ref, other, fk, lacking=ref)


def _missing_fk(row: TableRow, ref: Side, other: Side, fk: ForeignKey, lacking: Side) -> Hit:
    having = other if lacking is ref else ref
    columns = _cols(having.names.cols(fk.columns))
    says = _fk_text(fk)
    evidence = [
        _at(having, having.origin(fk.origin, fk.columns), says),
        _absent(lacking, f"no foreign key on ({columns})"),
    ]
    if having is other:
        evidence.reverse()
    if lacking is ref:
        fix = (
            f"Add a migration to {ref.member.id} that adds the foreign key on {row.key} "
            f"({columns}), or remove the relation from {other.member.id}."
        )
        change = edit(
            "add-foreign-key",
            ref.member,
            ref.table,
            foreign_key=fk,
            unsafe=True,
            note="existing rows may violate it",
        )
    else:
        fix = f"Declare the foreign key on {row.key} ({columns}) in {other.member.id}."
        change = edit(
            "add-foreign-key",
            other.member,
            other.table,
            foreign_key=fk,
            unsafe=other.member.kind in SQL_KINDS,
        )
    return Hit(
        title=f"{row.key} ({columns}) references {fk.ref_table} in {having.member.id} but has "
        f"no foreign key in {lacking.member.id}",
        message=(
            f"The {kind_label(having.member)} {having.member.id} declares {says} on "
            f"{row.key}; the {kind_label(lacking.member)} {lacking.member.id} has no foreign "
            "key on these columns."
        ),
        table=row.key,
        column=columns if len(fk.columns) == 1 else None,
        evidence=tuple(evidence),
        fix=fix,
        edits=(change,),
        data={"columns": sorted(having.names.cols(fk.columns)), "missing_in": lacking.member.id},
    )


@rule("DBD303", "foreign-key-target", severity=Severity.high, over="table")
def foreign_key_target(row: TableRow) -> Iterator[Hit]:
    """Two sources point the same foreign key columns at different tables or columns.

    ## What it detects
    A foreign key on the same columns in both sources whose referenced table or columns
    differ (`orders.user_id -> users.id` against `orders.user_id -> accounts.id`), after
    translating spelled names into the reference's.

    ## Why it breaks
    The model joins through one table while the database checks another: inserts the
    model considers valid are refused (`violates foreign key constraint`), and joins the
    model generates match the wrong rows, silently.

    ## Example
    ```sql
    user_id uuid REFERENCES accounts (id)                -- db/migrations/001_init.sql
    ```
    ```prisma
    user User @relation(fields: [userId], references: [id])   // prisma/schema.prisma
    ```

    ## Fix
    Point the model's relation at the table and columns the database references.

    ## Fix safety
    Changing the model is safe.  Re-pointing a database foreign key fails when existing
    rows violate the new one: the edit is marked unsafe for SQL sources.

    ## References
    - https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK
    """
    for ref, other in sides(row):
        ref_fks, fks = ref.foreign_keys(), other.foreign_keys()
        for columns in sorted(set(ref_fks) & set(fks), key=sorted):
            ref_fk, fk = ref_fks[columns], fks[columns]
            ref_target, target = ref.target(ref_fk, row), other.target(fk, row)
            if ref_target == target:
                continue
            shown = f"{target[0]} ({', '.join(target[1])})"
            ref_shown = f"{ref_target[0]} ({', '.join(ref_target[1])})"
            cols = _cols(columns)
            yield Hit(
                title=f"{row.key} ({cols}) references {shown} in {other.member.id} but "
                f"{ref_shown} in {ref.member.id}",
                message=(
                    f"The {kind_label(other.member)} {other.member.id} points the foreign key "
                    f"on {row.key} ({cols}) at {shown}; the {kind_label(ref.member)} "
                    f"{ref.member.id} points it at {ref_shown}."
                ),
                table=row.key,
                column=cols if len(columns) == 1 else None,
                evidence=(
                    _at(ref, ref.origin(ref_fk.origin, ref_fk.columns), _fk_text(ref_fk)),
                    _at(other, other.origin(fk.origin, fk.columns), _fk_text(fk)),
                ),
                fix=f"Point the relation on {row.key} ({cols}) in {other.member.id} at "
                f"{ref_shown}.",
                edits=_replace_fk(other, fk, ref_fk),
                data={"reference": list(ref_target), "source": list(target)},
            )


def _replace_fk(other: Side, old: ForeignKey, new: ForeignKey) -> tuple:
    unsafe = other.member.kind in SQL_KINDS
    return (
        edit("drop-foreign-key", other.member, other.table, foreign_key=old),
        edit("add-foreign-key", other.member, other.table, foreign_key=new, unsafe=unsafe),
    )


def _action(action: str) -> str:
    spelled = " ".join(action.upper().split())
    return SAME_ACTION.get(spelled, spelled)


@rule("DBD304", "foreign-key-action", severity=Severity.medium, over="table")
def foreign_key_action(row: TableRow) -> Iterator[Hit]:
    """Two sources give the same foreign key different ON DELETE or ON UPDATE actions.

    ## What it detects
    A foreign key on the same columns and target whose `ON DELETE` or `ON UPDATE` action
    differs (`CASCADE` against `SET NULL` or `NO ACTION`).  `RESTRICT` and `NO ACTION` are
    treated as the same: they differ only for deferred constraints.

    ## Why it breaks
    Code written for one behaviour meets the other: a delete the model expects to cascade
    fails with `violates foreign key constraint`, or a delete the model expects to be
    refused silently removes (or nulls) dependent rows.

    ## Example
    ```sql
    user_id uuid REFERENCES users (id) ON DELETE CASCADE -- db/migrations/001_init.sql
    ```
    ```prisma
    user User @relation(fields: [userId], references: [id])  // onDelete: Restrict
    ```

    ## Fix
    Declare the database's actions in the model (Prisma `onDelete: Cascade`, SQLAlchemy
    `ForeignKey(..., ondelete="CASCADE")`).

    ## Fix safety
    Changing the model's declaration is safe; code that relied on the other behaviour must
    change.  Changing the database's action recreates the constraint.

    ## References
    - https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK
    - https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/referential-actions
    """
    for ref, other in sides(row):
        ref_fks, fks = ref.foreign_keys(), other.foreign_keys()
        for columns in sorted(set(ref_fks) & set(fks), key=sorted):
            ref_fk, fk = ref_fks[columns], fks[columns]
            if ref.target(ref_fk, row) != other.target(fk, row):
                continue
            diffs = [
                f"ON {what} {theirs} against {ours}"
                for what, theirs, ours in (
                    ("DELETE", fk.on_delete, ref_fk.on_delete),
                    ("UPDATE", fk.on_update, ref_fk.on_update),
                )
                if _action(theirs) != _action(ours)
            ]
            if not diffs:
                continue
            cols = _cols(columns)
            yield Hit(
                title=f"{row.key} ({cols}) foreign key actions differ between "
                f"{other.member.id} and {ref.member.id}",
                message=(
                    f"The foreign key on {row.key} ({cols}) has {'; '.join(diffs)} in "
                    f"{other.member.id} (against {ref.member.id})."
                ),
                table=row.key,
                column=cols if len(columns) == 1 else None,
                evidence=(
                    _at(ref, ref.origin(ref_fk.origin, ref_fk.columns), _fk_text(ref_fk)),
                    _at(other, other.origin(fk.origin, fk.columns), _fk_text(fk)),
                ),
                fix=f"Declare ON DELETE {ref_fk.on_delete} ON UPDATE {ref_fk.on_update} on the "
                f"foreign key of {row.key} ({cols}) in {other.member.id}.",
                edits=_replace_fk(other, fk, ref_fk),
            )


@rule("DBD305", "unique-mismatch", severity=Severity.medium, over="table")
def unique_mismatch(row: TableRow) -> Iterator[Hit]:
    """A uniqueness one source declares and another lacks.

    ## What it detects
    A set of columns that is unique in one source only.  Unique constraints and unique
    indexes count alike (Prisma's `@unique` is a unique index, SQLAlchemy's `unique=True`
    a constraint), columns are compared as a set, partial unique indexes are left out,
    and a primary key is not a unique.  Constraint names do not matter.

    ## Why it breaks
    When the source expects uniqueness the database lacks, duplicates get in: Prisma's
    `findUnique` and `upsert` on that field return one arbitrary row or fail with `no
    unique or exclusion constraint matching the ON CONFLICT specification` (medium).  When
    the database has a unique the model does not declare, writes fail with `duplicate key
    value violates unique constraint`, which the model did not expect but nothing is lost
    (low).

    ## Example
    ```sql
    email text NOT NULL                                 -- db/migrations/001_init.sql
    ```
    ```prisma
    email String @unique                                  // prisma/schema.prisma
    ```

    ## Fix
    Add the unique constraint to the database with a migration, or remove it from the
    model; declare a database unique in the model.

    ## Fix safety
    Adding a unique constraint to a database fails while duplicates exist: the edit is
    marked unsafe.  Declaring it in a model is safe.

    ## References
    - https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-UNIQUE-CONSTRAINTS
    - https://www.prisma.io/docs/orm/reference/prisma-schema-reference#unique
    """
    for ref, other in sides(row):
        ref_uniques, uniques = ref.uniques(), other.uniques()
        known = ref.column_names & other.column_names
        for columns in sorted(set(uniques) - set(ref_uniques), key=sorted):
            if columns <= known:
                origin = uniques[columns]
                yield _unique_hit(row, other, ref, columns, origin, expects=True)
        for columns in sorted(set(ref_uniques) - set(uniques), key=sorted):
            if columns <= known:
                origin = ref_uniques[columns]
                yield _unique_hit(row, ref, other, columns, origin, expects=False)


def _unique_hit(
    row: TableRow,
    having: Side,
    lacking: Side,
    columns: frozenset[str],
    origin: Origin | None,
    expects: bool,
) -> Hit:
    """`expects`: the non-reference source (`having`) has the unique the reference lacks."""
    cols = _cols(columns)
    says = f"UNIQUE ({cols})"
    evidence = [_at(having, origin, says), _absent(lacking, f"no unique on ({cols})")]
    if expects:
        evidence.reverse()
        consequence = "the database accepts duplicates the source assumes impossible"
        fix = (
            f"Add a migration to {lacking.member.id} that makes {row.key} ({cols}) unique, "
            f"or remove the unique from {having.member.id}."
        )
        change = edit(
            "edit-source",
            lacking.member,
            lacking.table,
            unsafe=True,
            note=f"add unique ({cols}); fails while duplicates exist",
        )
    else:
        consequence = "writes of duplicates fail, which the source does not expect"
        fix = f"Declare {row.key} ({cols}) unique in {lacking.member.id}."
        change = edit("edit-source", lacking.member, lacking.table, note=f"add unique ({cols})")
    return Hit(
        title=f"{row.key} ({cols}) is unique in {having.member.id} but not in {lacking.member.id}",
        message=(
            f"The {kind_label(having.member)} {having.member.id} makes {row.key} ({cols}) "
            f"unique; the {kind_label(lacking.member)} {lacking.member.id} does not: "
            f"{consequence}."
        ),
        table=row.key,
        column=cols if len(columns) == 1 else None,
        evidence=tuple(evidence),
        fix=fix,
        edits=(change,),
        severity=Severity.medium if expects else Severity.low,
        data={"columns": sorted(columns), "missing_in": lacking.member.id},
    )


@rule("DBD306", "index-mismatch", severity=Severity.low, over="table")
def index_mismatch(row: TableRow) -> Iterator[Hit]:
    """An index (not unique) that a source declares and the database lacks, or the reverse.

    ## What it detects
    A non-unique index, identified by its column tuple (not its name), that a source
    declares while the reference source lacks it; and an index of the reference that a SQL
    source (a schema snapshot, another migration stream) lacks.  An index of the database
    that an ORM model does not declare is not reported: ORMs rarely declare every index,
    and they do not need to.

    ## Why it breaks
    Nothing fails.  A model that declares an index the database lacks was written for a
    query plan the database does not have (slow queries, sequential scans); a snapshot
    that lacks an index no longer describes the database.

    ## Example
    ```sql
    CREATE TABLE orders (id serial PRIMARY KEY, user_id uuid);   -- db/migrations
    ```
    ```python
    user_id = Column(Uuid, index=True)                    # app/models.py
    ```

    ## Fix
    Add a migration that creates the index, or remove it from the model; add the
    database's index to the snapshot (regenerate it).

    ## Fix safety
    Creating an index is safe; on a large table use `CREATE INDEX CONCURRENTLY` to avoid
    locking writes.

    ## References
    - https://www.postgresql.org/docs/current/indexes.html
    """
    for ref, other in sides(row):
        ref_indexes, indexes = ref.indexes(), other.indexes()
        known = ref.column_names & other.column_names
        for columns in sorted(set(indexes) - set(ref_indexes)):
            if set(columns) <= known:
                yield _index_hit(row, other, ref, columns, indexes[columns], declared=True)
        if other.member.kind not in SQL_KINDS:
            continue
        for columns in sorted(set(ref_indexes) - set(indexes)):
            if set(columns) <= known:
                yield _index_hit(row, ref, other, columns, ref_indexes[columns], declared=False)


def _index_hit(
    row: TableRow,
    having: Side,
    lacking: Side,
    columns: tuple[str, ...],
    origin: Origin | None,
    declared: bool,
) -> Hit:
    """`declared`: the non-reference source (`having`) declares the index."""
    cols = ", ".join(columns)
    evidence = [_at(having, origin, f"INDEX ({cols})"), _absent(lacking, f"no index on ({cols})")]
    if declared:
        evidence.reverse()
        fix = (
            f"Add a migration to {lacking.member.id} that creates the index on {row.key} "
            f"({cols}), or remove it from {having.member.id}."
        )
    else:
        fix = f"Add the index on {row.key} ({cols}) to {lacking.member.id} (regenerate it)."
    return Hit(
        title=f"{row.key} ({cols}) is indexed in {having.member.id} but not in {lacking.member.id}",
        message=(
            f"The {kind_label(having.member)} {having.member.id} has an index on {row.key} "
            f"({cols}); the {kind_label(lacking.member)} {lacking.member.id} does not."
        ),
        table=row.key,
        column=cols if len(columns) == 1 else None,
        evidence=tuple(evidence),
        fix=fix,
        edits=(edit("edit-source", lacking.member, lacking.table, note=f"add index ({cols})"),),
        data={"columns": list(columns), "missing_in": lacking.member.id},
    )
