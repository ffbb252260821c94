"""DBD11x column rules on small repositories: a migration stream beside a Prisma schema, a
SQLAlchemy models file and a schema snapshot."""

from __future__ import annotations

from scanning import (
    FIRST,
    MIGRATIONS,
    MODELS_PATH,
    PRISMA_PATH,
    SNAPSHOT,
    line_of,
    located,
    of_rule,
    rules_found,
    scan_tree,
)

COLUMN_RULES = ("DBD110", "DBD111", "DBD112", "DBD113")

MIGRATION = """CREATE TABLE users (
  id integer PRIMARY KEY,
  user_id integer NOT NULL,
  name varchar(100) NOT NULL,
  email text NOT NULL DEFAULT 'x',
  nick text
);
"""

DATASOURCE = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

"""

PRISMA = (
    DATASOURCE
    + """model User {
  id     Int     @id
  userId Int     @map("user_id")
  name   String  @db.VarChar(100)
  email  String  @default("x")
  nick   String?
  @@map("users")
}
"""
)

MODELS = """from sqlalchemy import Column, Integer, String, Text
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, nullable=False)
    name = Column(String(100), nullable=False)
    email = Column(Text, nullable=False, server_default="x")
    nick = Column(Text)
"""


def column_findings(result):
    return [f for f in rules_found(result) if f[0] in COLUMN_RULES]


def test_consistent_sources_give_no_column_finding(tmp_path):
    result = scan_tree(
        tmp_path,
        {
            FIRST: MIGRATION,
            PRISMA_PATH: PRISMA,
            MODELS_PATH: MODELS,
            SNAPSHOT: MIGRATION,
        },
    )
    assert len(result.matrix.groups[0].members) == 4
    assert column_findings(result) == []


def test_dbd110_prisma_field_missing_from_migrations_is_critical(tmp_path):
    prisma = PRISMA.replace("  nick   String?\n", "  nick   String?\n  avatar String?\n")
    result = scan_tree(tmp_path, {FIRST: MIGRATION, PRISMA_PATH: prisma})
    [finding] = of_rule(result, "DBD110")
    assert (finding.table, finding.column, finding.severity) == ("users", "avatar", "critical")
    assert located(finding) == [
        (MIGRATIONS, FIRST, 1),
        (PRISMA_PATH, PRISMA_PATH, line_of(prisma, "avatar")),
    ]
    assert PRISMA_PATH in finding.title and MIGRATIONS in finding.title
    assert [(e.action, e.source, e.column.name) for e in finding.edits] == [
        ("add-column", MIGRATIONS, "avatar")
    ]
    assert "remove the field" in finding.fix
    assert column_findings(result) == [("DBD110", "users", "avatar")]


def test_dbd110_snapshot_column_missing_from_migrations_is_medium(tmp_path):
    snapshot = MIGRATION.replace("  nick text\n", "  nick text,\n  legacy_flag boolean\n")
    result = scan_tree(tmp_path, {FIRST: MIGRATION, SNAPSHOT: snapshot})
    [finding] = of_rule(result, "DBD110")
    assert (finding.column, finding.severity) == ("legacy_flag", "medium")
    assert located(finding)[1] == (SNAPSHOT, SNAPSHOT, line_of(snapshot, "legacy_flag"))


def test_dbd111_required_column_not_mapped_by_sqlalchemy(tmp_path):
    models = MODELS.replace("    user_id = Column(Integer, nullable=False)\n", "")
    result = scan_tree(tmp_path, {FIRST: MIGRATION, MODELS_PATH: models})
    [finding] = of_rule(result, "DBD111")
    assert (finding.table, finding.column, finding.severity) == ("users", "user_id", "critical")
    assert located(finding) == [
        (MIGRATIONS, FIRST, line_of(MIGRATION, "user_id")),
        (MODELS_PATH, MODELS_PATH, line_of(models, "class User")),
    ]
    assert [(e.action, e.source, e.column.name) for e in finding.edits] == [
        ("add-column", MODELS_PATH, "user_id")
    ]
    assert column_findings(result) == [("DBD111", "users", "user_id")]


def test_dbd111_not_for_a_column_with_a_default_or_serial(tmp_path):
    migration = MIGRATION.replace("user_id integer NOT NULL", "user_id serial")
    models = MODELS.replace("    user_id = Column(Integer, nullable=False)\n", "").replace(
        '    email = Column(Text, nullable=False, server_default="x")\n', ""
    )
    result = scan_tree(tmp_path, {FIRST: migration, MODELS_PATH: models})
    assert of_rule(result, "DBD111") == []
    assert sorted((f.column, f.severity) for f in of_rule(result, "DBD112")) == [
        ("email", "low"),
        ("user_id", "low"),
    ]


def test_dbd112_model_leaves_out_a_nullable_column_low(tmp_path):
    models = MODELS.replace("    nick = Column(Text)\n", "")
    result = scan_tree(tmp_path, {FIRST: MIGRATION, MODELS_PATH: models})
    [finding] = of_rule(result, "DBD112")
    assert (finding.table, finding.column, finding.severity) == ("users", "nick", "low")
    assert located(finding) == [
        (MIGRATIONS, FIRST, line_of(MIGRATION, "nick")),
        (MODELS_PATH, MODELS_PATH, line_of(models, "class User")),
    ]
    assert [(e.action, e.source) for e in finding.edits] == [("add-column", MODELS_PATH)]
    assert column_findings(result) == [("DBD112", "users", "nick")]


def test_dbd112_outdated_snapshot_is_medium(tmp_path):
    snapshot = MIGRATION.replace(",\n  nick text\n", "\n")
    result = scan_tree(tmp_path, {FIRST: MIGRATION, SNAPSHOT: snapshot})
    [finding] = of_rule(result, "DBD112")
    assert (finding.column, finding.severity) == ("nick", "medium")
    assert located(finding)[1] == (SNAPSHOT, SNAPSHOT, 1)


def test_dbd113_prisma_userid_without_map_is_one_critical_finding(tmp_path):
    prisma = PRISMA.replace('userId Int     @map("user_id")', "userId Int")
    result = scan_tree(tmp_path, {FIRST: MIGRATION, PRISMA_PATH: prisma})
    [finding] = of_rule(result, "DBD113")
    assert (finding.table, finding.column, finding.severity) == ("users", "user_id", "critical")
    assert located(finding) == [
        (MIGRATIONS, FIRST, line_of(MIGRATION, "user_id")),
        (PRISMA_PATH, PRISMA_PATH, line_of(prisma, "userId")),
    ]
    assert "userId" in finding.title and PRISMA_PATH in finding.title
    assert '@map("user_id")' in finding.fix
    assert [(e.action, e.source, e.old, e.column.name) for e in finding.edits] == [
        ("map-column", PRISMA_PATH, "userId", "user_id")
    ]
    assert "likely rename" not in finding.message
    assert column_findings(result) == [("DBD113", "users", "user_id")]


def test_dbd113_full_name_vs_name_is_a_likely_rename(tmp_path):
    models = MODELS.replace("    name = Column(", "    full_name = Column(")
    result = scan_tree(tmp_path, {FIRST: MIGRATION, MODELS_PATH: models})
    [finding] = of_rule(result, "DBD113")
    assert (finding.column, finding.severity) == ("name", "critical")
    assert located(finding) == [
        (MIGRATIONS, FIRST, line_of(MIGRATION, "name varchar")),
        (MODELS_PATH, MODELS_PATH, line_of(models, "full_name")),
    ]
    assert "likely rename" in finding.message
    assert 'Column("name"' in finding.fix
    assert [(e.action, e.old, e.column.name) for e in finding.edits] == [
        ("map-column", "full_name", "name")
    ]
    assert column_findings(result) == [("DBD113", "users", "name")]


def test_dbd113_snapshot_spelling_is_medium_rename(tmp_path):
    snapshot = MIGRATION.replace("  user_id integer", '  "userId" integer')
    result = scan_tree(tmp_path, {FIRST: MIGRATION, SNAPSHOT: snapshot})
    [finding] = of_rule(result, "DBD113")
    assert (finding.column, finding.severity) == ("user_id", "medium")
    assert [(e.action, e.source, e.old) for e in finding.edits] == [
        ("alter-column", SNAPSHOT, "userId")
    ]
    assert column_findings(result) == [("DBD113", "users", "user_id")]


def test_no_column_rules_for_a_table_the_canonical_lacks(tmp_path):
    extra = '\nmodel Asset {\n  id  Int    @id\n  url String\n  @@map("assets")\n}\n'
    models = MODELS + (
        "\n\nclass Asset(Base):\n"
        '    __tablename__ = "assets"\n'
        "    id = Column(Integer, primary_key=True)\n"
    )
    result = scan_tree(
        tmp_path, {FIRST: MIGRATION, PRISMA_PATH: PRISMA + extra, MODELS_PATH: models}
    )
    assert [f.table for f in of_rule(result, "DBD101")] == ["assets", "assets"]
    assert column_findings(result) == []
