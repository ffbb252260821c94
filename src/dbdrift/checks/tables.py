"""DBD1xx (tables): which source has which table, and which tables only look alike."""

from __future__ import annotations

from collections.abc import Iterator

from dbdrift.align import ORM_KINDS, SNAPSHOT_KINDS, Group, Member, TableRow
from dbdrift.checks.common import edit, kind_label, table_evidence
from dbdrift.checks.registry import Hit, rule
from dbdrift.findings import Evidence, Severity


@rule("DBD101", "table-missing-from-canonical", severity=Severity.critical, over="table")
def table_missing_from_canonical(row: TableRow) -> Iterator[Hit]:
    """A source defines a table that the canonical schema does not have.

    ## What it detects
    A table that an ORM maps (or a snapshot or second migration stream creates) while the
    canonical source of the same database has no table of that name, nor one whose name
    differs only in spelling (those are DBD105).

    ## Why it breaks
    Every query of an ORM model whose table does not exist fails: `SELECT ... FROM campaigns`
    raises `relation "campaigns" does not exist`.  For a snapshot or another migration stream
    the table is not broken at run time, but the two sources no longer describe the same
    database, so the severity is medium there.

    ## Example
    ```prisma
    model Asset {            // services/gateway-api/prisma/schema.prisma
      id String @id
      @@map("assets")
    }
    ```
    while no migration in `db/migrations` creates `assets`.

    ## Fix
    Add a migration that creates the table (dbdrift writes it in the canonical dialect), or
    remove the model if the table was dropped on purpose.

    ## Fix safety
    Creating a table is safe.  Removing a model removes code paths that used it.

    ## References
    - DESIGN.md, "Findings and severity": an ORM mapping a missing table is critical.
    """
    group = row.group
    if row.in_canonical:
        return
    canonical = group.canonical_member
    for member in group.members:
        table = row.tables.get(member.id)
        if table is None or member.id in row.spelled:
            continue
        severity = Severity.critical if member.kind in ORM_KINDS else Severity.medium
        yield Hit(
            title=f"{row.key} is defined in {member.id} but not in {canonical.id}",
            message=(
                f"The {kind_label(member)} {member.id} defines table {row.key}, which the "
                f"canonical {kind_label(canonical)} {canonical.id} does not create."
            ),
            table=row.key,
            evidence=(
                table_evidence(member, table, f"defines table {row.key}"),
                Evidence(canonical.id, canonical.id, None, f"no table {row.key}"),
            ),
            fix=f"Add a migration to {canonical.id} that creates {row.key}, or remove it from "
            f"{member.id}.",
            edits=(edit("add-table", canonical, table),),
            severity=severity,
        )


def expected_to_cover(group: Group, member: Member, row: TableRow) -> str | None:
    """Why `member` should have `row`'s table, or ``None`` when leaving it out is a choice.

    A schema snapshot is a picture of the whole database.  (A model whose foreign key
    points at a table it does not define is already an error of its reader: SQLAlchemy
    and Prisma both refuse it.)
    """
    if member.kind in SNAPSHOT_KINDS:
        return "a schema snapshot describes the whole database"
    return None


@rule("DBD102", "expected-table-missing", severity=Severity.medium, over="table")
def expected_table_missing(row: TableRow) -> Iterator[Hit]:
    """A source that should describe a canonical table does not.

    ## What it detects
    A table of the canonical schema that another source of the same database leaves out
    although it is expected to have it: the source is a schema snapshot, a picture of the
    whole database.  Leaving tables
    out of an ORM on purpose is common and is only counted in the completeness figures
    (DBD103).

    ## Why it breaks
    A snapshot that lacks tables misleads whoever creates a database from it (tests, new
    environments) and whoever reads it to learn the schema.

    ## Example
    ```sql
    -- db/migrations/004_render_jobs.sql
    CREATE TABLE render_jobs (id uuid PRIMARY KEY, ...);
    ```
    while `database_schema.sql` has no `render_jobs`.

    ## Fix
    Regenerate the snapshot from the migrations.

    ## Fix safety
    Regenerating a snapshot changes no database.

    ## References
    - DESIGN.md, "Findings and severity": a table a source is expected to cover is medium.
    """
    if not row.in_canonical:
        return
    group = row.group
    canonical = group.canonical_member
    table = row.tables[group.canonical]
    for member in group.members:
        if member.id in row.tables:
            continue
        why = expected_to_cover(group, member, row)
        if why is None:
            continue
        yield Hit(
            title=f"{row.key} is missing from {member.id}",
            message=(
                f"The canonical {kind_label(canonical)} {canonical.id} creates {row.key}, "
                f"which the {kind_label(member)} {member.id} lacks ({why})."
            ),
            table=row.key,
            evidence=(
                table_evidence(canonical, table, f"creates table {row.key}"),
                Evidence(member.id, member.id, None, f"no table {row.key}"),
            ),
            fix=f"Add {row.key} to {member.id}.",
            edits=(edit("add-table", member, table),),
        )


@rule("DBD103", "partial-coverage", severity=Severity.info, over="group")
def partial_coverage(group: Group) -> Iterator[Hit]:
    """A source covers only part of the canonical schema.

    ## What it detects
    For each source other than the canonical one, the canonical tables it does not
    describe, when it describes at least one.  This is the completeness figure of the
    report, as a finding, so that it can be listed and baselined.

    ## Why it breaks
    Nothing breaks by itself: services often map only the tables they use.  A table that
    a source should have is reported separately (DBD102).

    ## Example
    `services/gateway-api/prisma/schema.prisma` maps 5 of the 12 tables that
    `db/migrations` creates.

    ## Fix
    Nothing, if the omission is deliberate; otherwise add the tables the service uses.

    ## Fix safety
    Not applicable: no edit is proposed.

    ## References
    - DESIGN.md, "Findings and severity": completeness per source is always shown.
    """
    canonical = group.canonical_member
    wanted = sorted(key for key in canonical.tables)
    if not wanted:
        return
    for member in group.members:
        if member.id == canonical.id:
            continue
        covered = [key for key in wanted if member.id in group.row(key).tables]  # type: ignore[union-attr]
        missing = [key for key in wanted if key not in covered]
        if not covered or not missing:
            continue
        yield Hit(
            title=f"{member.id} covers {len(covered)} of {len(wanted)} canonical tables",
            message=(
                f"The {kind_label(member)} {member.id} describes {len(covered)} of the "
                f"{len(wanted)} tables of {canonical.id}; it does not describe: "
                + ", ".join(missing)
                + "."
            ),
            evidence=(
                Evidence(member.id, member.id, None, f"{len(covered)} of {len(wanted)} tables"),
            ),
            data={"covered": covered, "missing": missing},
        )


@rule("DBD104", "same-name-different-table", severity=Severity.critical, over="table")
def same_name_different_table(row: TableRow) -> Iterator[Hit]:
    """Two sources use one table name for different tables.

    ## What it detects
    A table whose columns, in some source, have little in common with the reference
    source's table of the same name: less than half of the smaller table's columns match
    by name, spelling or a likely rename.  Its columns are then not compared one by one
    (that would list every column twice); this one finding says the tables differ.

    ## Why it breaks
    Code written against one definition reads and writes columns the other does not
    have: every query of the model fails, or worse, two services write incompatible rows
    into one table.

    ## Example
    ```sql
    -- db/migrations/004_render_jobs.sql
    CREATE TABLE render_jobs (id uuid PRIMARY KEY, blueprint_id uuid, platform text);
    ```
    ```python
    class RenderJob(Base):  # shared/db/models.py
        __tablename__ = "render_jobs"
        job_id = Column(String, primary_key=True)
        storyboard = Column(JSON)
    ```

    ## Fix
    Decide which table is real.  Rename the other one (its own `__tablename__` or
    `@@map`) and create it with a migration, or rewrite the model after the real table.

    ## Fix safety
    Renaming a model's table changes where the service reads and writes: existing rows
    stay in the old table.

    ## References
    - DESIGN.md, "align": tables are aligned by physical name.
    """
    if not row.unrelated:
        return
    reference = row.group.member(row.reference)
    ref_table = row.tables[row.reference]
    ref_columns = ", ".join(c.name for c in ref_table.columns)
    for member, table in row.others():
        if member.id not in row.unrelated:
            continue
        overlap = row.unrelated[member.id]
        columns = ", ".join(c.name for c in table.columns)
        yield Hit(
            title=f"{row.key} in {member.id} is a different table from {row.key} in {reference.id}",
            message=(
                f"{row.key} shares {overlap:.0%} of its columns between {reference.id} "
                f"({ref_columns}) and {member.id} ({columns})."
            ),
            table=row.key,
            evidence=(
                table_evidence(reference, ref_table, f"{row.key}({ref_columns})"),
                table_evidence(member, table, f"{row.key}({columns})"),
            ),
            fix=f"Make {member.id}'s {row.key} the table {reference.id} defines, or give it "
            "a name of its own.",
            edits=(edit("edit-source", member, ref_table, note="rewrite after the reference"),),
            severity=Severity.critical if member.is_orm else Severity.high,
            data={"overlap": overlap},
        )


@rule("DBD105", "table-name-spelling", severity=Severity.critical, over="table")
def table_name_spelling(row: TableRow) -> Iterator[Hit]:
    """A source names a table differently from the canonical schema, by case, separators or
    plural.

    ## What it detects
    A table in some source whose name differs from a canonical table's only in case,
    separators or a trailing plural (`User` / `users`, `OrderItem` / `order_items`), with
    no exact match in that source.  The two are aligned, so their columns are compared as
    well, and this finding gives the mapping that makes the names equal.

    ## Why it breaks
    The database has only one of the two names.  A Prisma model `User` without `@@map`
    queries `"User"`, which does not exist when the migrations created `users`: every
    query of the model fails.

    ## Example
    ```prisma
    model User {
      id String @id
    }
    ```
    while `db/migrations/001_init.sql` says `CREATE TABLE users (...)`.

    ## Fix
    Map the model to the real name: `@@map("users")` in Prisma, `__tablename__ = "users"`
    in SQLAlchemy; or rename the table with a migration.

    ## Fix safety
    Mapping a model changes no data.  Renaming the table breaks every other reader of it.

    ## References
    - Prisma: "Mapping model names to tables" (`@@map`).
    """
    if not row.spelled:
        return
    reference = row.group.member(row.reference)
    ref_table = row.tables[row.reference]
    for member, table in row.others():
        spelled = row.spelled.get(member.id)
        if spelled is None:
            continue
        yield Hit(
            title=f"{row.key} is spelled {spelled} in {member.id}",
            message=(
                f"The {kind_label(member)} {member.id} names the table {spelled}; "
                f"{reference.id} names it {row.key}.  They are compared as one table."
            ),
            table=row.key,
            evidence=(
                table_evidence(reference, ref_table, f"table {row.key}"),
                table_evidence(member, table, f"table {spelled}"),
            ),
            fix=f"Map {spelled} in {member.id} to the table name {row.key}.",
            edits=(edit("map-table", member, ref_table, old=spelled),),
            severity=Severity.critical if member.is_orm else Severity.medium,
        )
