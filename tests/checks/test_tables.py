"""DBD1xx table rules on small repositories."""

from __future__ import annotations

from scanning import of_rule, scan_tree

MIGRATION = "CREATE TABLE users (id uuid PRIMARY KEY, email text NOT NULL);\n"
PRISMA = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id    String @id @db.Uuid
  email String
  @@map("users")
}

model Asset {
  id  String @id
  url String
  @@map("assets")
}
"""


def test_dbd101_orm_table_missing_from_migrations(tmp_path):
    result = scan_tree(
        tmp_path, {"db/migrations/001_init.sql": MIGRATION, "prisma/schema.prisma": PRISMA}
    )
    [finding] = of_rule(result, "DBD101")
    assert (finding.table, finding.severity) == ("assets", "critical")
    assert [(e.source, e.path, e.line) for e in finding.evidence] == [
        ("prisma/schema.prisma", "prisma/schema.prisma", 12),
        ("db/migrations", "db/migrations", None),
    ]
    assert [e.action for e in finding.edits] == ["add-table"]


STREAM = {
    "db/migrations/001_users.sql": MIGRATION,
    "db/migrations/002_jobs.sql": (
        "CREATE TABLE render_jobs (\n"
        "  id uuid PRIMARY KEY,\n"
        "  blueprint_id uuid NOT NULL,\n"
        "  platform text,\n"
        "  status text\n"
        ");\n"
    ),
}


def test_dbd102_snapshot_missing_a_table(tmp_path):
    # Not an older state of the stream (that would be DBD504 alone): users has a column more.
    snapshot = MIGRATION.replace("email text NOT NULL", "email text NOT NULL, name text")
    result = scan_tree(tmp_path, {**STREAM, "schema.sql": snapshot})
    [finding] = of_rule(result, "DBD102")
    assert (finding.table, finding.severity) == ("render_jobs", "medium")
    assert [(e.path, e.line) for e in finding.evidence] == [
        ("db/migrations/002_jobs.sql", 1),
        ("schema.sql", None),
    ]


def test_dbd102_and_dbd103_orm_leaving_tables_out_is_only_counted(tmp_path):
    models = (
        "from sqlalchemy import Column, Text\n"
        "from sqlalchemy.dialects.postgresql import UUID\n"
        "from sqlalchemy.orm import declarative_base\n\n"
        "Base = declarative_base()\n\n\n"
        "class User(Base):\n"
        '    __tablename__ = "users"\n'
        "    id = Column(UUID, primary_key=True)\n"
        "    email = Column(Text, nullable=False)\n"
    )
    result = scan_tree(tmp_path, {**STREAM, "app/models.py": models})
    assert of_rule(result, "DBD102") == []
    [coverage] = of_rule(result, "DBD103")
    assert coverage.severity == "info"
    assert coverage.data == {"covered": ["users"], "missing": ["render_jobs"]}
    assert coverage.title == "app/models.py covers 1 of 2 canonical tables"


def test_dbd104_same_name_different_table(tmp_path):
    models = (
        "from sqlalchemy import JSON, Column, Integer, String\n"
        "from sqlalchemy.orm import declarative_base\n\n"
        "Base = declarative_base()\n\n\n"
        "class RenderJob(Base):\n"
        '    __tablename__ = "render_jobs"\n'
        "    job_id = Column(String, primary_key=True)\n"
        "    storyboard = Column(JSON)\n"
        "    fps = Column(Integer)\n"
        "    status = Column(String)\n"
    )
    result = scan_tree(tmp_path, {**STREAM, "app/models.py": models})
    [finding] = of_rule(result, "DBD104")
    assert (finding.table, finding.severity) == ("render_jobs", "critical")
    assert [(e.path, e.line) for e in finding.evidence] == [
        ("db/migrations/002_jobs.sql", 1),
        ("app/models.py", 7),
    ]
    assert finding.data == {"overlap": 0.25}
    # The columns of an unrelated table are not reported one by one.
    assert [f for f in result.findings if f.table == "render_jobs" and f.column] == []


def test_dbd105_model_name_without_map(tmp_path):
    prisma = PRISMA.replace('  @@map("users")\n', "")
    result = scan_tree(
        tmp_path, {"db/migrations/001_init.sql": MIGRATION, "prisma/schema.prisma": prisma}
    )
    [finding] = of_rule(result, "DBD105")
    assert (finding.table, finding.severity) == ("users", "critical")
    assert finding.title == "users is spelled User in prisma/schema.prisma"
    assert [(e.action, e.old) for e in finding.edits] == [("map-table", "User")]
    assert [f.table for f in of_rule(result, "DBD101")] == ["assets"]


def test_consistent_sources_have_no_table_findings(tmp_path):
    prisma = PRISMA.split("model Asset")[0]
    result = scan_tree(
        tmp_path, {"db/migrations/001_init.sql": MIGRATION, "prisma/schema.prisma": prisma}
    )
    assert [f for f in result.findings if f.rule.startswith("DBD1")] == []
