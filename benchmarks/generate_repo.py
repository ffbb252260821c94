"""A synthetic repository with one database described four times, for the scan benchmark.

``python benchmarks/generate_repo.py OUT --tables 300`` writes

- ``db/migrations/001_tables_0_9.sql`` ... ``030_...``: a numbered stream (10 tables a file;
  from the second file on, each file also adds the previous file's ``note`` columns with
  ``ALTER TABLE``, so the stream must be replayed to know them);
- ``db/schema.sql``: the stream's final state as one file;
- ``prisma/schema.prisma``: a PostgreSQL Prisma schema, one model a table with ``@@map``,
  ``@map`` and native types, the parent relations with their back-relation fields;
- ``app/models/``: a SQLAlchemy 2.0 package (``Mapped`` annotations), 50 classes a module.

All four agree except for the drifts `DRIFTS` plants (a few dozen, deterministic), so a
scan has real work in every rule family.  Every table has a foreign key to the previous one,
a unique, an index, defaults, a decimal, a timestamp with time zone and a nullable column.
"""

from __future__ import annotations

import argparse
from pathlib import Path

PER_FILE = 10
PER_MODULE = 50

DRIFTS = {
    "money in float (Prisma Float for numeric(12,2))": lambda i: i % 25 == 7,
    "string length (SQLAlchemy String(10) for varchar(20))": lambda i: i % 30 == 11,
    "snapshot lacks the note column": lambda i: i % 40 == 13,
    "Prisma field without @map (tenantId vs tenant_id)": lambda i: i % 50 == 17,
    "nullability (SQLAlchemy Optional name)": lambda i: i % 60 == 23,
}
ORM_ONLY = 3
"""SQLAlchemy models whose tables no migration creates."""

RULES = {
    "money in float (Prisma Float for numeric(12,2))": "DBD202",
    "string length (SQLAlchemy String(10) for varchar(20))": "DBD204",
    "snapshot lacks the note column": "DBD112",
    "Prisma field without @map (tenantId vs tenant_id)": "DBD113",
    "nullability (SQLAlchemy Optional name)": "DBD401",
    "tables only SQLAlchemy maps": "DBD101",
}
"""The rule that reports each planted drift, once per table it touches."""


def drift(name: str, i: int) -> bool:
    return DRIFTS[name](i)


def create_table(i: int, *, note: bool) -> str:
    """The CREATE TABLE of table_i in the migration stream's and the snapshot's style."""
    parent = (
        f"    parent_id bigint REFERENCES table_{i - 1} (id) ON DELETE CASCADE ON UPDATE CASCADE,\n"
        if i
        else ""
    )
    note_line = "    note text,\n" if note else ""
    return (
        f"CREATE TABLE table_{i} (\n"
        "    id bigserial PRIMARY KEY,\n"
        "    tenant_id integer NOT NULL,\n"
        f"{parent}"
        "    code varchar(32) NOT NULL UNIQUE,\n"
        "    name text NOT NULL,\n"
        "    status varchar(20) NOT NULL DEFAULT 'new',\n"
        "    amount numeric(12, 2) NOT NULL,\n"
        f"{note_line}"
        "    created_at timestamptz(6) NOT NULL DEFAULT CURRENT_TIMESTAMP\n"
        ");\n"
        f"CREATE INDEX table_{i}_tenant_id_idx ON table_{i} (tenant_id);\n"
    )


def migrations(tables: int) -> dict[str, str]:
    files = {}
    for start in range(0, tables, PER_FILE):
        end = min(start + PER_FILE, tables)
        number = start // PER_FILE + 1
        parts = [f"-- Tables {start} to {end - 1}.\n"]
        if start:
            parts.extend(
                f"ALTER TABLE table_{i} ADD COLUMN note text;\n"
                for i in range(start - PER_FILE, start)
            )
        parts.extend("\n" + create_table(i, note=False) for i in range(start, end))
        if end == tables:
            parts.extend(
                f"ALTER TABLE table_{i} ADD COLUMN note text;\n" for i in range(start, end)
            )
        files[f"db/migrations/{number:03d}_tables_{start}_{end - 1}.sql"] = "".join(parts)
    return files


def snapshot(tables: int) -> str:
    body = "\n".join(
        create_table(i, note=not drift("snapshot lacks the note column", i)) for i in range(tables)
    )
    return "-- The database as db/migrations builds it.\n\n" + body


def prisma_model(i: int, tables: int) -> str:
    amount = (
        "Float"
        if drift("money in float (Prisma Float for numeric(12,2))", i)
        else "Decimal  @db.Decimal(12, 2)"
    )
    tenant = (
        "Int"
        if drift("Prisma field without @map (tenantId vs tenant_id)", i)
        else 'Int      @map("tenant_id")'
    )
    lines = [
        f"model Model{i} {{",
        "  id        BigInt   @id @default(autoincrement())",
        f"  tenantId  {tenant}",
    ]
    if i:
        lines += [
            '  parentId  BigInt?  @map("parent_id")',
            f"  parent    Model{i - 1}? @relation(fields: [parentId], references: [id], "
            "onDelete: Cascade)",
        ]
    lines += [
        "  code      String   @unique @db.VarChar(32)",
        "  name      String",
        '  status    String   @default("new") @db.VarChar(20)',
        f"  amount    {amount}",
        "  note      String?",
        '  createdAt DateTime @default(now()) @map("created_at") @db.Timestamptz(6)',
    ]
    if i + 1 < tables:
        lines.append(f"  children  Model{i + 1}[]")
    lines += ["", "  @@index([tenantId])", f'  @@map("table_{i}")', "}", ""]
    return "\n".join(lines)


def prisma(tables: int) -> str:
    header = (
        "generator client {\n"
        '  provider = "prisma-client-js"\n'
        "}\n\n"
        "datasource db {\n"
        '  provider = "postgresql"\n'
        '  url      = env("DATABASE_URL")\n'
        "}\n\n"
    )
    return header + "\n".join(prisma_model(i, tables) for i in range(tables))


SQLALCHEMY_HEADER = """\
from __future__ import annotations

import datetime
import decimal
from typing import Optional

from sqlalchemy import BigInteger, DateTime, ForeignKey, Numeric, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
"""

BASE = """\
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass
"""


def sqlalchemy_model(i: int, table: str | None = None) -> str:
    table = table or f"table_{i}"
    status = (
        "String(10)"
        if drift("string length (SQLAlchemy String(10) for varchar(20))", i)
        else "String(20)"
    )
    name = (
        "Optional[str]"
        if drift("nullability (SQLAlchemy Optional name)", i) and not table.startswith("orm_")
        else "str"
    )
    parent = (
        f"    parent_id: Mapped[Optional[int]] = mapped_column(\n"
        f'        BigInteger, ForeignKey("table_{i - 1}.id", ondelete="CASCADE", '
        'onupdate="CASCADE")\n'
        "    )\n"
        if i and not table.startswith("orm_")
        else ""
    )
    return f'''

class Model{i}{"Extra" if table.startswith("orm_") else ""}(Base):
    __tablename__ = "{table}"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(index=True)
{parent}    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[{name}] = mapped_column(Text)
    status: Mapped[str] = mapped_column({status}, server_default="new")
    amount: Mapped[decimal.Decimal] = mapped_column(Numeric(12, 2))
    note: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )
'''


def sqlalchemy(tables: int) -> dict[str, str]:
    files = {"app/models/base.py": BASE}
    names = []
    for start in range(0, tables, PER_MODULE):
        end = min(start + PER_MODULE, tables)
        module = f"tables_{start // PER_MODULE:02d}"
        body = "".join(sqlalchemy_model(i) for i in range(start, end))
        if end == tables:
            body += "".join(sqlalchemy_model(tables + k, f"orm_only_{k}") for k in range(ORM_ONLY))
        files[f"app/models/{module}.py"] = SQLALCHEMY_HEADER + body
        names.append(module)
    files["app/models/__init__.py"] = "".join(f"from app.models import {n}\n" for n in names)
    return files


def write_repo(folder: Path, tables: int = 300) -> Path:
    """Write the four sources under `folder`; return it."""
    files = {
        **migrations(tables),
        "db/schema.sql": snapshot(tables),
        "prisma/schema.prisma": prisma(tables),
        **sqlalchemy(tables),
    }
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def planted(tables: int) -> dict[str, int]:
    """How many tables each drift touches (plus the ORM-only tables)."""
    counts = {name: sum(test(i) for i in range(tables)) for name, test in DRIFTS.items()}
    counts["tables only SQLAlchemy maps"] = ORM_ONLY
    return counts


def expected_rules(tables: int) -> dict[str, int]:
    """The findings a scan should report, counted by rule."""
    return {RULES[name]: count for name, count in planted(tables).items() if count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--tables", type=int, default=300)
    args = parser.parse_args()
    write_repo(args.out, args.tables)
    for name, count in planted(args.tables).items():
        print(f"{count:3d}  {name}")


if __name__ == "__main__":
    main()
