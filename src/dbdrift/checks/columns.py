"""DBD11x (columns): which source has which column of a table, and which names only look alike.

Columns are compared with the row's reference source, which is the canonical source whenever
it has the table (align.py).  A column a source names differently from the reference (a
spelling pair or a likely rename, `ColumnRow.spelled`) is reported once, by DBD113, with the
mapping that fixes it; it is never also a missing or an unmapped column.
"""

from __future__ import annotations

from collections.abc import Iterator

from dbdrift import names
from dbdrift.align import ORM_KINDS, ColumnRow, Member
from dbdrift.checks.common import (
    column_evidence,
    describe,
    edit,
    kind_label,
    pair_evidence,
    table_evidence,
)
from dbdrift.checks.registry import Hit, rule
from dbdrift.findings import Severity
from dbdrift.schema import Column, Table

MAP_HINTS = {
    "prisma": '`@map("{name}")` on the field',
    "sqlalchemy": '`Column("{name}", ...)` or `mapped_column("{name}", ...)`',
    "django": '`db_column="{name}"` on the field',
}
"""How each ORM maps an attribute to a column of another name, as the fix sentence says it."""


def compared(row: ColumnRow) -> Iterator[tuple[Member, Table]]:
    """The sources whose columns are paired with the reference's for this row, in source
    order: every source but the reference that has the table and is not a different table
    of the same name (those are DBD104)."""
    table_row = row.table
    for member, table in table_row.others():
        if member.id not in table_row.unrelated:
            yield member, table


def is_required(column: Column) -> bool:
    """Whether an INSERT that leaves `column` out fails: NOT NULL and nothing fills it in.

    A serial column's ``nextval(...)`` is a default like any other.
    """
    return (
        not column.nullable
        and column.default is None
        and column.identity is None
        and column.generated is None
    )


@rule("DBD110", "column-missing-from-canonical", severity=Severity.critical, over="column")
def column_missing_from_canonical(row: ColumnRow) -> Iterator[Hit]:
    """A source defines a column that the canonical table does not have.

    ## What it detects
    A column that an ORM model maps (or a snapshot or a second migration stream defines)
    in a table that the canonical source has, while the canonical table has no column of
    that name nor one it pairs with by spelling or likely rename (those are DBD113).

    ## Why it breaks
    An ORM selects every column it maps: `SELECT users.nickname ...` fails with
    `column users.nickname does not exist`, so every read of the model fails (critical).
    For a snapshot or another migration stream nothing fails at run time, but the two no
    longer describe the same database (medium).

    ## Example
    ```prisma
    model User {             // prisma/schema.prisma
      id       Int     @id
      nickname String?
      @@map("users")
    }
    ```
    while `db/migrations/001_init.sql` says `CREATE TABLE users (id integer PRIMARY KEY)`.

    ## Fix
    Add a migration to the canonical source that adds the column (dbdrift writes the
    `ALTER TABLE ... ADD COLUMN` in the canonical dialect), or, for an ORM, remove the
    field from the model if the column was dropped on purpose.

    ## Fix safety
    Adding a nullable column, or one with a default, is safe.  Adding a NOT NULL column
    without a default fails on a table that has rows: give it a default or backfill first.
    Removing a model field removes the code paths that read it.

    ## References
    - DESIGN.md, "Findings and severity": an ORM mapping a column the canonical schema
      does not have is critical.
    """
    table_row = row.table
    if not table_row.in_canonical or row.reference() is not None:
        return
    group = table_row.group
    reference = group.member(table_row.reference)
    ref_table = table_row.tables[reference.id]
    for member, table in compared(row):
        column = row.columns.get(member.id)
        if column is None:
            continue
        orm = member.kind in ORM_KINDS
        where = f"{table_row.key}.{column.name}"
        alternative = (
            f", or remove the field from {member.id} if the column was dropped on purpose"
            if orm
            else f", or remove it from {member.id}"
        )
        yield Hit(
            title=f"{where} is in {member.id} but not in {reference.id}",
            message=(
                f"Column {where} ({describe(column)}) is defined in the "
                f"{kind_label(member)} {member.id} but not in the canonical "
                f"{kind_label(reference)} {reference.id}"
                + (": every query that selects the model fails." if orm else ".")
            ),
            table=table_row.key,
            column=column.name,
            evidence=(
                table_evidence(
                    reference, ref_table, f"{table_row.key} has no column {column.name}"
                ),
                column_evidence(member, column, table, f"defines {describe(column)}"),
            ),
            fix=f"Add a migration to {reference.id} that adds {where}{alternative}.",
            edits=(edit("add-column", reference, ref_table, column=column),),
            severity=Severity.critical if orm else Severity.medium,
        )


@rule("DBD111", "required-column-not-mapped", severity=Severity.critical, over="column")
def required_column_not_mapped(row: ColumnRow) -> Iterator[Hit]:
    """The canonical table has a NOT NULL column without a default that a model does not map.

    ## What it detects
    A column of a canonical table that is NOT NULL and has no default, no identity, no
    serial sequence and no generation expression, while an ORM model of that table has no
    field for it (under any spelling).

    ## Why it breaks
    The ORM inserts only the columns it maps, so the database fills the others with their
    default, here NULL: every `INSERT` through the model fails with
    `null value in column "tenant_id" violates not-null constraint`.

    ## Example
    ```sql
    -- db/migrations/002_tenants.sql
    ALTER TABLE users ADD COLUMN tenant_id integer NOT NULL;
    ```
    ```python
    class User(Base):          # app/models.py
        __tablename__ = "users"
        id = Column(Integer, primary_key=True)
    ```

    ## Fix
    Add the column to the model (dbdrift writes the field in the model's language), or give
    the column a default in a new migration if the model should not know about it.

    ## Fix safety
    Adding a field to a model is safe; code that creates rows must then set it.

    ## References
    - DESIGN.md, "Findings and severity": a NOT NULL column without default that a model
      cannot write is critical.
    """
    table_row = row.table
    ref_column = row.reference()
    if ref_column is None or not table_row.in_canonical or not is_required(ref_column):
        return
    reference = table_row.group.member(table_row.reference)
    ref_table = table_row.tables[reference.id]
    where = f"{table_row.key}.{ref_column.name}"
    for member, table in compared(row):
        if member.kind not in ORM_KINDS or member.id in row.columns:
            continue
        yield Hit(
            title=f"{where} is required in {reference.id} but not mapped by {member.id}",
            message=(
                f"{where} is {describe(ref_column)} in the canonical {kind_label(reference)} "
                f"{reference.id}, with no default, and is not mapped by the "
                f"{kind_label(member)} {member.id}: every INSERT through the model fails."
            ),
            table=table_row.key,
            column=ref_column.name,
            evidence=(
                column_evidence(
                    reference, ref_column, ref_table, f"defines {describe(ref_column)}"
                ),
                table_evidence(member, table, f"{table.name} maps no column {ref_column.name}"),
            ),
            fix=f"Add {ref_column.name} to the model of {table_row.key} in {member.id}, or give "
            f"the column a default in a new migration to {reference.id}.",
            edits=(edit("add-column", member, table, column=ref_column),),
        )


@rule("DBD112", "column-not-mapped", severity=Severity.low, over="column")
def column_not_mapped(row: ColumnRow) -> Iterator[Hit]:
    """A source leaves out a column that the canonical table has.

    ## What it detects
    A column of a canonical table that a source's table does not have under any spelling,
    when DBD111 does not apply (the column is nullable, has a default or is generated, or
    the source is not an ORM).  One finding per column and source, so that each has its
    own evidence and a baseline keeps it when another column changes.

    ## Why it breaks
    An ORM that leaves a column out reads and writes fine: the database fills the column
    with its default.  Leaving out columns a model does not need is common, so this is low.
    A schema snapshot that lacks a column, or a second migration stream, no longer
    describes the database (outdated snapshot): medium.

    ## Example
    ```sql
    -- db/migrations/003_nick.sql
    ALTER TABLE users ADD COLUMN nickname text;
    ```
    while `schema.sql` still has `CREATE TABLE users (id integer PRIMARY KEY)`.

    ## Fix
    Add the column to the source (for a snapshot, regenerate it from the migrations); for a
    model that does not need the column, leave it out and keep the finding in the baseline.

    ## Fix safety
    Adding a field to a model or a column to a snapshot is safe.

    ## References
    - DESIGN.md, "Findings and severity": an outdated snapshot is medium.
    """
    table_row = row.table
    ref_column = row.reference()
    if ref_column is None or not table_row.in_canonical:
        return
    reference = table_row.group.member(table_row.reference)
    ref_table = table_row.tables[reference.id]
    where = f"{table_row.key}.{ref_column.name}"
    for member, table in compared(row):
        if member.id in row.columns:
            continue
        orm = member.kind in ORM_KINDS
        if orm and is_required(ref_column):
            continue
        consequence = (
            "reads and writes through the model still work"
            if orm
            else "the two no longer describe the same database"
        )
        yield Hit(
            title=f"{where} is in {reference.id} but not in {member.id}",
            message=(
                f"The canonical {kind_label(reference)} {reference.id} defines {where} "
                f"({describe(ref_column)}), which is {'not mapped by' if orm else 'missing from'} "
                f"the {kind_label(member)} {member.id}; {consequence}."
            ),
            table=table_row.key,
            column=ref_column.name,
            evidence=(
                column_evidence(
                    reference, ref_column, ref_table, f"defines {describe(ref_column)}"
                ),
                table_evidence(member, table, f"{table.name} has no column {ref_column.name}"),
            ),
            fix=f"Add {ref_column.name} to {table_row.key} in {member.id}"
            + (", or leave it out if the model does not need it." if orm else "."),
            edits=(edit("add-column", member, table, column=ref_column),),
            severity=Severity.low if orm else Severity.medium,
        )


@rule("DBD113", "column-name-mismatch", severity=Severity.critical, over="column")
def column_name_mismatch(row: ColumnRow) -> Iterator[Hit]:
    """A source names a column differently from the canonical table.

    ## What it detects
    A column that a source spells differently from the reference (`userId` for `user_id`,
    differing only in case, separators or plural), or a likely rename (`full_name` for
    `name`: one name contains the other, or they are very similar, with the same type
    family).  Reported once, with the mapping that fixes it, never as one missing and one
    extra column.

    ## Why it breaks
    An ORM queries the name it maps: a Prisma field `userId` without `@map` selects
    `"userId"`, and `column "userId" does not exist` fails every query of the model
    (critical).  A snapshot or another migration stream that spells the column differently
    does not fail at run time but no longer describes the database (medium).

    ## Example
    ```prisma
    model User {             // prisma/schema.prisma
      id     Int @id
      userId Int
      @@map("users")
    }
    ```
    while the migration says `user_id integer NOT NULL`.

    ## Fix
    Map the source's name to the canonical column: `userId Int @map("user_id")` in Prisma,
    `Column("user_id", Integer)` or `mapped_column("user_id")` in SQLAlchemy.  For a snapshot
    or migration stream, rename the column there.

    ## Fix safety
    Mapping keeps the attribute name, so code that uses the model does not change.
    Renaming a column in a migration stream breaks code that uses the old name.  A likely
    rename is a guess from the names: check that the two columns hold the same data.

    ## References
    - Prisma: "Mapping collections and fields" (`@map`).
    - SQLAlchemy: "Naming Declarative Mapped Columns Explicitly".
    """
    table_row = row.table
    ref_column = row.reference()
    if ref_column is None or not row.spelled:
        return
    reference = table_row.group.member(table_row.reference)
    ref_table = table_row.tables[reference.id]
    where = f"{table_row.key}.{ref_column.name}"
    for member, table in compared(row):
        if member.id not in row.spelled or member.id not in row.columns:
            continue
        old, how = row.spelled[member.id]
        column = row.columns[member.id]
        orm = member.kind in ORM_KINDS
        likely = ""
        if how == "rename":
            score = names.similarity(old, ref_column.name)
            likely = f" This is a likely rename (name similarity {score:.2f}), not a spelling."
        if orm:
            hint = MAP_HINTS.get(member.kind, "a column name").format(name=ref_column.name)
            fix = f"Map {old} to {ref_column.name} in {member.id} with {hint}."
            edits = (edit("map-column", member, table, column=ref_column, old=old),)
            consequence = f"every query of the model selects {old}, which does not exist."
        else:
            fix = f"Rename {old} to {ref_column.name} in {member.id}."
            edits = (
                edit(
                    "alter-column",
                    member,
                    table,
                    column=ref_column,
                    old=old,
                    note=f"rename {old} to {ref_column.name}",
                ),
            )
            consequence = "the two no longer describe the same database."
        yield Hit(
            title=f"{where} is named {old} in {member.id}",
            message=(
                f"Column {where} of the {kind_label(reference)} {reference.id} is named "
                f"{old} in the {kind_label(member)} {member.id}: {consequence}{likely}"
            ),
            table=table_row.key,
            column=ref_column.name,
            evidence=pair_evidence(reference, ref_column, ref_table, member, column, table),
            fix=fix,
            edits=edits,
            severity=Severity.critical if orm and table_row.in_canonical else Severity.medium,
            data={"how": how, "source_name": old},
        )
