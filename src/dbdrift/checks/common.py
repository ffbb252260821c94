"""What several rule families share: evidence and edit builders, and naming of sources."""

from __future__ import annotations

from dbdrift.align import ColumnRow, Member, TableRow
from dbdrift.findings import Edit, Evidence
from dbdrift.schema import Column, Table


def member_of(row: TableRow | ColumnRow, source_id: str) -> Member:
    group = row.group if isinstance(row, TableRow) else row.table.group
    return group.member(source_id)


def table_evidence(member: Member, table: Table | None, says: str) -> Evidence:
    """What `member` says about a table, at the table's origin (or the source, if absent)."""
    return Evidence.at(member.id, table.origin if table is not None else None, says)


def column_evidence(
    member: Member, column: Column | None, table: Table | None, says: str
) -> Evidence:
    """What `member` says about a column, at the column's origin, else the table's."""
    if column is not None and column.origin is not None:
        return Evidence.at(member.id, column.origin, says)
    return table_evidence(member, table, says)


def pair_evidence(
    reference: Member,
    ref_column: Column,
    ref_table: Table,
    member: Member,
    column: Column,
    table: Table,
) -> tuple[Evidence, Evidence]:
    """What the reference and another source each define for one paired column."""
    return (
        column_evidence(reference, ref_column, ref_table, f"defines {describe(ref_column)}"),
        column_evidence(member, column, table, f"defines {describe(column)}"),
    )


def describe(column: Column) -> str:
    """`name type [NOT NULL] [DEFAULT x]`, as evidence quotes a column."""
    parts = [column.name, column.type.sql]
    if not column.nullable:
        parts.append("NOT NULL")
    if column.default is not None:
        parts.append(f"DEFAULT {column.default}")
    if column.identity:
        parts.append(f"GENERATED {column.identity.upper()} AS IDENTITY")
    return " ".join(parts)


def edit(action: str, member: Member, table: Table, **fields: object) -> Edit:
    """An `Edit` of `member`'s source (kind and dialect filled in)."""
    return Edit(action, member.id, member.kind, member.dialect, table, **fields)  # type: ignore[arg-type]


def kind_label(member: Member) -> str:
    """`the Prisma schema`, `the migration stream` ...: how messages name a source's kind."""
    return KIND_LABELS.get(member.kind, member.kind)


KIND_LABELS = {
    "sql-migrations": "migration stream",
    "sql-schema": "schema snapshot",
    "prisma": "Prisma schema",
    "sqlalchemy": "SQLAlchemy models",
    "alembic": "Alembic history",
    "django": "Django models",
    "django-migrations": "Django migrations",
    "database": "database",
}
