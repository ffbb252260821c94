"""DBD4xx (nullability and defaults): whether a paired column may be NULL, and what fills it in.

Each rule compares a source's column with the reference's column it is paired with
(`ColumnRow`, exact name, spelling or likely rename).  Defaults are compared after
`defaults.normalize`, so that two spellings the database treats alike are not a finding.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from dbdrift.align import ORM_KINDS, ColumnRow, Member
from dbdrift.checks.columns import compared
from dbdrift.checks.common import edit, kind_label, pair_evidence
from dbdrift.checks.defaults import AUTOINCREMENT, column_default
from dbdrift.checks.registry import Hit, rule
from dbdrift.findings import Severity
from dbdrift.schema import Column, Table


def may_be_null(column: Column, table: Table) -> bool:
    """Whether the column accepts NULL; a primary key column never does, said or not."""
    in_key = table.primary_key is not None and column.name in table.primary_key.columns
    return column.nullable and not in_key


READ_NULL = {
    "prisma": "Prisma Client fails on every row where it is NULL.",
    "sqlalchemy": "SQLAlchemy hands None to code that the model promises a value.",
    "django": "Django hands None to code that the model promises a value.",
}
"""What reading a NULL does to a model that declares the column NOT NULL, per ORM."""


def _null_word(nullable: bool) -> str:
    return "nullable" if nullable else "NOT NULL"


@rule("DBD401", "nullability-mismatch", severity=Severity.high, over="column")
def nullability_mismatch(row: ColumnRow) -> Iterator[Hit]:
    """A source allows NULL in a column where the canonical table forbids it, or the reverse.

    ## What it detects
    A column that is nullable in one source and NOT NULL in the reference it is paired
    with.  A primary key column is NOT NULL whether or not a source says so, so leaving the
    implicit NOT NULL unsaid is not a difference.

    ## Why it breaks
    A model that declares a field optional where the database says NOT NULL lets code
    write NULL, and every such write fails with `null value in column ... violates not-null
    constraint`; the model also promises readers a NULL that never comes (high).  The
    reverse, a model that declares NOT NULL a column the database allows to be NULL, breaks
    reading: Prisma fails on the first row with a NULL, SQLAlchemy hands `None` to code
    typed for a value (medium).  Two SQL sources that disagree no longer describe the same
    database (medium).

    ## Example
    ```sql
    -- db/migrations/001_init.sql
    CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL);
    ```
    ```prisma
    model User {             // prisma/schema.prisma
      id    Int     @id
      email String?
      @@map("users")
    }
    ```

    ## Fix
    Make the source agree with the canonical column: `email String` in Prisma,
    `nullable=False` (or a non-Optional `Mapped[str]`) in SQLAlchemy, `ALTER COLUMN ... SET
    NOT NULL` or `DROP NOT NULL` in a migration stream.

    ## Fix safety
    Changing a model is safe.  `SET NOT NULL` in a migration fails while the table holds
    NULLs: backfill them first (the edit is marked unsafe).

    ## References
    - DESIGN.md, "Findings and severity": a model that allows NULL where the database
      forbids it is high.
    - PostgreSQL: "Not-Null Constraints".
    """
    table_row = row.table
    ref_column = row.reference()
    if ref_column is None:
        return
    reference = table_row.group.member(table_row.reference)
    ref_table = table_row.tables[reference.id]
    ref_null = may_be_null(ref_column, ref_table)
    for member, table in compared(row):
        column = row.columns.get(member.id)
        if column is None or may_be_null(column, table) == ref_null:
            continue
        where = f"{table_row.key}.{ref_column.name}"
        severity = _nullability_severity(reference, member, table_row.in_canonical, ref_null)
        sets_not_null = not ref_null
        yield Hit(
            title=f"{where} is {_null_word(not ref_null)} in {member.id} but "
            f"{_null_word(ref_null)} in {reference.id}",
            message=(
                f"In the {kind_label(member)} {member.id}, {where} is "
                f"{_null_word(not ref_null)}; in the {kind_label(reference)} "
                f"{reference.id} it is {_null_word(ref_null)}: "
                + _nullability_consequence(member, ref_null)
            ),
            table=table_row.key,
            column=ref_column.name,
            evidence=pair_evidence(reference, ref_column, ref_table, member, column, table),
            fix=f"Make {column.name} {_null_word(ref_null)} in {member.id}"
            + (
                " (backfill NULLs first)."
                if sets_not_null and member.kind not in ORM_KINDS
                else "."
            ),
            edits=(
                edit(
                    "alter-column",
                    member,
                    table,
                    column=replace(column, nullable=ref_null),
                    unsafe=sets_not_null and member.kind not in ORM_KINDS,
                ),
            ),
            severity=severity,
        )


def _nullability_severity(
    reference: Member, member: Member, in_canonical: bool, ref_null: bool
) -> Severity:
    """High when a source allows NULL the database forbids; medium for the reverse, between
    two SQL sources, and when the reference is not the canonical source."""
    both_sql = reference.kind not in ORM_KINDS and member.kind not in ORM_KINDS
    if both_sql or not in_canonical or ref_null:
        return Severity.medium
    return Severity.high


def _nullability_consequence(member: Member, ref_null: bool) -> str:
    if member.kind not in ORM_KINDS:
        return "the two no longer describe the same database."
    if ref_null:
        return READ_NULL.get(member.kind, "reading a row where it is NULL breaks the model.")
    return "every write of NULL through the model fails."


@rule("DBD402", "default-mismatch", severity=Severity.low, over="column")
def default_mismatch(row: ColumnRow) -> Iterator[Hit]:
    """A source gives a column a different default from the canonical table.

    ## What it detects
    A column whose default differs from the reference's after normalization: redundant
    casts (`'x'::character varying` is `'x'`), synonyms (`now()`, `CURRENT_TIMESTAMP`,
    `transaction_timestamp()`), the case of keywords and booleans, number spellings (`0`,
    `'0'::integer`) and a serial's `nextval(...)` beside an identity column are not
    differences.  A default that only one side has is a difference between two SQL
    sources, but not when one side is an ORM: Prisma and SQLAlchemy models often leave
    server defaults out, or fill them in on the client.

    ## Why it breaks
    Nothing fails; rows inserted without the column get a different value depending on
    which source created the database (a test database built from the models, production
    built from the migrations).

    ## Example
    ```sql
    -- db/migrations/001_init.sql
    CREATE TABLE users (id integer PRIMARY KEY, active boolean NOT NULL DEFAULT true);
    ```
    ```python
    class User(Base):          # app/models.py
        __tablename__ = "users"
        id = Column(Integer, primary_key=True)
        active = Column(Boolean, nullable=False, server_default="false")
    ```

    ## Fix
    Give the source the canonical default: `@default(true)` in Prisma, `server_default=`
    in SQLAlchemy, `ALTER COLUMN ... SET DEFAULT` in a migration stream.

    ## Fix safety
    Changing a default is safe: it applies to rows inserted afterwards only.

    ## References
    - DESIGN.md, "Findings and severity": defaults are low.
    - PostgreSQL: "Default Values"; `pg_get_expr` spells the stored default.
    """
    table_row = row.table
    ref_column = row.reference()
    if ref_column is None or ref_column.generated is not None:
        return
    reference = table_row.group.member(table_row.reference)
    ref_table = table_row.tables[reference.id]
    expected = column_default(ref_column)
    for member, table in compared(row):
        column = row.columns.get(member.id)
        if column is None or column.generated is not None:
            continue
        found = column_default(column)
        if found == expected:
            continue
        if (found is None or expected is None) and (
            member.kind in ORM_KINDS or reference.kind in ORM_KINDS
        ):
            continue
        where = f"{table_row.key}.{ref_column.name}"
        yield Hit(
            title=f"{where} defaults to {_spell(column)} in {member.id} but to "
            f"{_spell(ref_column)} in {reference.id}",
            message=(
                f"In the {kind_label(member)} {member.id}, {where} defaults to "
                f"{_spell(column)}; in the {kind_label(reference)} {reference.id} to "
                f"{_spell(ref_column)}: rows inserted without it get a different value "
                "depending on which source built the database."
            ),
            table=table_row.key,
            column=ref_column.name,
            evidence=pair_evidence(reference, ref_column, ref_table, member, column, table),
            fix=f"Give {column.name} the default {_spell(ref_column)} in {member.id}.",
            edits=(
                edit(
                    "alter-column",
                    member,
                    table,
                    column=replace(
                        column, default=ref_column.default, identity=ref_column.identity
                    ),
                ),
            ),
            data={"expected": expected, "found": found},
        )


def _spell(column: Column) -> str:
    """A default as a message quotes it: the source's own spelling, or what stands for it."""
    if column.identity:
        return "an identity sequence"
    if column.default is None:
        return "no default"
    if column_default(column) == AUTOINCREMENT:
        return f"a serial sequence ({column.default})"
    return column.default


@rule("DBD403", "database-default-missing", severity=Severity.critical, over="column")
def database_default_missing(row: ColumnRow) -> Iterator[Hit]:
    """A model relies on the database to fill a column in, and the database does not.

    ## What it detects
    A column to which an ORM model gives a database-side default — an autoincrementing key
    (`@default(autoincrement())`, an `Integer` primary key, `Identity()`), a
    `server_default=`, a Prisma `@default(now())` or `dbgenerated(...)` — while the
    canonical table has no default, identity or generated expression for it.

    ## Why it breaks
    The ORM leaves such a column out of its INSERTs and expects the database to fill it
    in.  When the column is NOT NULL, every such INSERT fails with `null value in column
    "id" violates not-null constraint` (critical) — certain for autoincrementing keys and
    for SQLAlchemy, which omits every column with a `server_default`.  When the column is
    nullable, or for a Prisma default Prisma may compute itself, rows silently get NULL or
    a client-side value instead of the database's (medium).

    ## Example
    ```sql
    -- db/migrations/001_init.sql
    CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL);
    ```
    ```prisma
    model User {
      id    Int    @id @default(autoincrement())
      email String
      @@map("users")
    }
    ```

    ## Fix
    Give the column the default the model expects in a new migration (`ALTER TABLE users
    ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY`, `SET DEFAULT now()`), or remove
    the default from the model and set the value in code.

    ## Fix safety
    Adding a default or identity changes no existing row.  An identity on a table with rows
    must start above the largest existing key (`ALTER TABLE ... RESTART WITH`).

    ## References
    - SQLAlchemy: "Server-invoked DDL-Explicit Default Expressions" (`server_default`).
    - Prisma: "Defining a default value" (`autoincrement()`, `dbgenerated()`).
    """
    table_row = row.table
    ref_column = row.reference()
    if ref_column is None or not table_row.in_canonical:
        return
    if table_row.reference != table_row.group.canonical:
        return
    if column_default(ref_column) is not None or ref_column.generated is not None:
        return
    reference = table_row.group.member(table_row.reference)
    ref_table = table_row.tables[reference.id]
    for member, table in compared(row):
        column = row.columns.get(member.id)
        if member.kind not in ORM_KINDS or column is None or column.generated is not None:
            continue
        expected = column_default(column)
        if expected is None:
            continue
        certain = expected == AUTOINCREMENT or member.kind == "sqlalchemy"
        not_null = not may_be_null(ref_column, ref_table)
        severity = Severity.critical if certain and not_null else Severity.medium
        where = f"{table_row.key}.{ref_column.name}"
        yield Hit(
            title=f"{where} has no default in {reference.id}, but {member.id} expects "
            f"{_spell(column)}",
            message=(
                f"The {kind_label(member)} {member.id} leaves {where} to the database "
                f"({_spell(column)}), but the {kind_label(reference)} {reference.id} gives it "
                + (
                    "no default and forbids NULL: every INSERT through the model fails."
                    if severity is Severity.critical
                    else "no default: rows get NULL or a client-side value instead."
                )
            ),
            table=table_row.key,
            column=ref_column.name,
            evidence=pair_evidence(reference, ref_column, ref_table, member, column, table),
            fix=f"Add the default the model expects to {where} with a migration to "
            f"{reference.id}, or drop it from {member.id}.",
            edits=(
                edit(
                    "alter-column",
                    reference,
                    ref_table,
                    column=replace(ref_column, default=column.default, identity=column.identity),
                ),
            ),
            severity=severity,
            data={"expected": expected},
        )
