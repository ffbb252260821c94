"""DBD4xx nullability and default rules, and the normalization of defaults they rely on."""

from __future__ import annotations

import pytest
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

from dbdrift.checks.defaults import AUTOINCREMENT, column_default, normalize
from dbdrift.checks.nullability import may_be_null
from dbdrift.schema import Column, PrimaryKey, Table
from dbdrift.types import Type

NULL_RULES = ("DBD401", "DBD402")

MIGRATION = """CREATE TABLE users (
  id serial PRIMARY KEY,
  email text NOT NULL,
  name varchar(100) NOT NULL DEFAULT 'anon',
  nick text,
  active boolean NOT NULL DEFAULT true,
  score integer DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
"""

PRISMA = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id        Int      @id @default(autoincrement())
  email     String
  name      String   @default("anon") @db.VarChar(100)
  nick      String?
  active    Boolean  @default(true)
  score     Int?     @default(0)
  createdAt DateTime @default(now()) @map("created_at") @db.Timestamptz(6)
  @@map("users")
}
"""

MODELS = """from sqlalchemy import Boolean, Column, DateTime, Integer, String, Text, text
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    email = Column(Text, nullable=False)
    name = Column(String(100), nullable=False, server_default=text("'anon'::character varying"))
    nick = Column(Text)
    active = Column(Boolean, nullable=False, server_default=text("TRUE"))
    score = Column(Integer, server_default=text("'0'::integer"))
    created_at = Column(DateTime(timezone=True), nullable=False, server_default=text("now()"))
"""


def null_findings(result):
    return [f for f in rules_found(result) if f[0] in NULL_RULES]


# -- normalize: one case per line, (expression, column family, expected) ----------------

NORMALIZED = [
    ("'x'::character varying", "text", "'x'"),
    ("'x'::text", "text", "'x'"),
    ("('x'::text)", "text", "'x'"),
    ("''::character varying", "text", "''"),
    ("'It''s'::text", "text", "'It''s'"),
    ("'a::b'::text", "text", "'a::b'"),
    ("'007'::text", "text", "'007'"),
    ("'ACTIVE'::\"Status\"", "enum", "'ACTIVE'"),
    ("'{}'::text[]", "array", "'{}'"),
    ("'2020-01-01 00:00:00'::timestamp(3) without time zone", "timestamp", "'2020-01-01 00:00:00'"),
    ("now()", "timestamp", "current_timestamp"),
    ("CURRENT_TIMESTAMP", "timestamp", "current_timestamp"),
    ("current_timestamp()", "timestamp", "current_timestamp"),
    ("transaction_timestamp()", "timestamp", "current_timestamp"),
    ("CURRENT_TIMESTAMP(3)", "timestamp", "current_timestamp"),
    ("NOW( )", "timestamp", "current_timestamp"),
    ("statement_timestamp()", "timestamp", "statement_timestamp()"),
    ("CURRENT_DATE", "date", "current_date"),
    ("TRUE", "boolean", "true"),
    ("'t'::boolean", "boolean", "true"),
    ("1", "boolean", "true"),
    ("false", "boolean", "false"),
    ("'f'", "boolean", "false"),
    ("0", "integer", "0"),
    ("'0'::integer", "integer", "0"),
    ("'-1'::integer", "integer", "-1"),
    ("(0)::numeric", "numeric", "0"),
    ("0.00", "numeric", "0"),
    ("1.50", "numeric", "1.5"),
    ("1", "integer", "1"),
    ("nextval('users_id_seq'::regclass)", "integer", AUTOINCREMENT),
    ("NULL::character varying", "text", None),
    ("NULL", None, None),
    ("gen_random_uuid()", "uuid", "gen_random_uuid()"),
    ("'a'::text || 'b'::text", "text", "'a'::text || 'b'::text"),
    ("lower((name)::text)", "text", "lower((name)::text)"),
]


@pytest.mark.parametrize(("expression", "family", "expected"), NORMALIZED)
def test_normalize(expression, family, expected):
    assert normalize(expression, family) == expected


def test_normalize_keeps_different_values_apart():
    assert normalize("'x'::text", "text") != normalize("'y'::text", "text")


def test_identity_and_serial_defaults_are_equal():
    integer = Type("integer", "integer", bits=32)
    serial = Column("id", integer, False, default="nextval('t_id_seq'::regclass)")
    identity = Column("id", integer, False, identity="by default")
    assert column_default(serial) == column_default(identity) == AUTOINCREMENT


def test_primary_key_column_is_never_null():
    column = Column("id", Type("integer", "integer", bits=32), nullable=True)
    table = Table("t", columns=(column,), primary_key=PrimaryKey(None, ("id",)))
    assert may_be_null(column, table) is False


# -- rules on repositories --------------------------------------------------------------


def test_consistent_sources_give_no_nullability_or_default_finding(tmp_path):
    result = scan_tree(
        tmp_path,
        {FIRST: MIGRATION, PRISMA_PATH: PRISMA, MODELS_PATH: MODELS, SNAPSHOT: MIGRATION},
    )
    assert len(result.matrix.groups[0].members) == 4
    assert null_findings(result) == []


def test_identity_against_serial_model_is_no_finding(tmp_path):
    migration = MIGRATION.replace("id serial", "id integer GENERATED BY DEFAULT AS IDENTITY")
    result = scan_tree(tmp_path, {FIRST: migration, PRISMA_PATH: PRISMA, MODELS_PATH: MODELS})
    assert null_findings(result) == []


def test_dbd401_model_allows_null_the_database_forbids_is_high(tmp_path):
    models = MODELS.replace("email = Column(Text, nullable=False)", "email = Column(Text)")
    result = scan_tree(tmp_path, {FIRST: MIGRATION, MODELS_PATH: models})
    [finding] = of_rule(result, "DBD401")
    assert (finding.table, finding.column, finding.severity) == ("users", "email", "high")
    assert located(finding) == [
        (MIGRATIONS, FIRST, line_of(MIGRATION, "email")),
        (MODELS_PATH, MODELS_PATH, line_of(models, "email")),
    ]
    assert "users.email" in finding.title and MODELS_PATH in finding.title
    [edit] = finding.edits
    assert (edit.action, edit.source, edit.column.nullable, edit.unsafe) == (
        "alter-column",
        MODELS_PATH,
        False,
        False,
    )
    assert null_findings(result) == [("DBD401", "users", "email")]


def test_dbd401_prisma_requires_a_nullable_column_is_medium(tmp_path):
    prisma = PRISMA.replace("nick      String?", "nick      String")
    result = scan_tree(tmp_path, {FIRST: MIGRATION, PRISMA_PATH: prisma})
    [finding] = of_rule(result, "DBD401")
    assert (finding.column, finding.severity) == ("nick", "medium")
    assert located(finding) == [
        (MIGRATIONS, FIRST, line_of(MIGRATION, "nick")),
        (PRISMA_PATH, PRISMA_PATH, line_of(prisma, "nick")),
    ]
    assert finding.edits[0].column.nullable is True


def test_dbd401_snapshot_against_migrations_is_medium_and_unsafe(tmp_path):
    snapshot = MIGRATION.replace("email text NOT NULL", "email text")
    result = scan_tree(tmp_path, {FIRST: MIGRATION, SNAPSHOT: snapshot})
    [finding] = of_rule(result, "DBD401")
    assert (finding.column, finding.severity) == ("email", "medium")
    assert located(finding)[1] == (SNAPSHOT, SNAPSHOT, line_of(snapshot, "email"))
    assert finding.edits[0].unsafe is True


def test_dbd401_follows_a_spelled_column(tmp_path):
    prisma = PRISMA.replace('@map("created_at") ', "").replace(
        "createdAt DateTime @default(now())", "createdAt DateTime? @default(now())"
    )
    result = scan_tree(tmp_path, {FIRST: MIGRATION, PRISMA_PATH: prisma})
    assert [(f.column, f.severity) for f in of_rule(result, "DBD401")] == [("created_at", "high")]
    assert [f.column for f in of_rule(result, "DBD113")] == ["created_at"]


def test_dbd402_different_default_is_low(tmp_path):
    prisma = PRISMA.replace('@default("anon")', '@default("nobody")')
    result = scan_tree(tmp_path, {FIRST: MIGRATION, PRISMA_PATH: prisma})
    [finding] = of_rule(result, "DBD402")
    assert (finding.table, finding.column, finding.severity) == ("users", "name", "low")
    assert located(finding) == [
        (MIGRATIONS, FIRST, line_of(MIGRATION, "name varchar")),
        (PRISMA_PATH, PRISMA_PATH, line_of(prisma, "nobody")),
    ]
    assert "'nobody'" in finding.title and "'anon'" in finding.title
    [edit] = finding.edits
    assert (edit.action, edit.source, edit.column.default) == (
        "alter-column",
        PRISMA_PATH,
        "'anon'::character varying",
    )
    assert null_findings(result) == [("DBD402", "users", "name")]


def test_dbd402_boolean_default_flipped_in_sqlalchemy(tmp_path):
    models = MODELS.replace('server_default=text("TRUE")', 'server_default=text("false")')
    result = scan_tree(tmp_path, {FIRST: MIGRATION, MODELS_PATH: models})
    assert [(f.column, f.severity) for f in of_rule(result, "DBD402")] == [("active", "low")]


def test_dbd402_default_left_out_by_an_orm_is_no_finding(tmp_path):
    prisma = PRISMA.replace(' @default("anon")', "").replace(" @default(0)", "")
    result = scan_tree(tmp_path, {FIRST: MIGRATION, PRISMA_PATH: prisma})
    assert of_rule(result, "DBD402") == []


def test_dbd402_default_only_in_migrations_not_in_snapshot_is_low(tmp_path):
    snapshot = MIGRATION.replace("score integer DEFAULT 0", "score integer")
    result = scan_tree(tmp_path, {FIRST: MIGRATION, SNAPSHOT: snapshot})
    [finding] = of_rule(result, "DBD402")
    assert (finding.column, finding.severity) == ("score", "low")
    assert located(finding)[1] == (SNAPSHOT, SNAPSHOT, line_of(snapshot, "score"))
    assert "no default" in finding.title


# -- DBD403: the model leaves a column to a database default the database lacks ------------

PLAIN_KEY = (
    "CREATE TABLE users (\n  id integer PRIMARY KEY,\n  email text NOT NULL,\n"
    "  seen_at timestamptz\n);\n"
)
PRISMA_HEAD = PRISMA.split("model User")[0]


def test_dbd403_prisma_autoincrement_against_a_plain_integer_key(tmp_path):
    prisma = PRISMA_HEAD + (
        "model User {\n"
        "  id     Int       @id @default(autoincrement())\n"
        "  email  String\n"
        '  seenAt DateTime? @default(now()) @map("seen_at") @db.Timestamptz(6)\n'
        '  @@map("users")\n'
        "}\n"
    )
    result = scan_tree(tmp_path, {FIRST: PLAIN_KEY, PRISMA_PATH: prisma})
    found = [(f.column, f.severity.value) for f in of_rule(result, "DBD403")]
    # The key: every INSERT fails.  seen_at: nullable, so rows silently get NULL.
    assert found == [("id", "critical"), ("seen_at", "medium")]
    [key] = [f for f in of_rule(result, "DBD403") if f.column == "id"]
    assert located(key) == [
        (MIGRATIONS, FIRST, 2),
        (PRISMA_PATH, PRISMA_PATH, line_of(prisma, "id     Int")),
    ]
    assert [(e.action, e.source, e.column.default) for e in key.edits] == [
        ("alter-column", MIGRATIONS, "nextval('users_id_seq'::regclass)")
    ]


def test_dbd403_sqlalchemy_server_default_against_no_default(tmp_path):
    models = (
        "from sqlalchemy import Column, DateTime, Integer, Text, text\n"
        "from sqlalchemy.orm import declarative_base\n\n"
        "Base = declarative_base()\n\n\n"
        "class User(Base):\n"
        '    __tablename__ = "users"\n'
        "    id = Column(Integer, primary_key=True, autoincrement=False)\n"
        "    email = Column(Text, nullable=False, server_default=text(\"''\"))\n"
        "    seen_at = Column(DateTime(timezone=True))\n"
    )
    result = scan_tree(tmp_path, {FIRST: PLAIN_KEY, MODELS_PATH: models})
    assert [(f.column, f.severity.value) for f in of_rule(result, "DBD403")] == [
        ("email", "critical")
    ]


def test_dbd403_not_when_the_database_fills_it_in(tmp_path):
    sql = PLAIN_KEY.replace("id integer PRIMARY KEY", "id serial PRIMARY KEY").replace(
        "seen_at timestamptz", "seen_at timestamptz DEFAULT now()"
    )
    prisma = PRISMA_HEAD + (
        "model User {\n"
        "  id     Int       @id @default(autoincrement())\n"
        "  email  String\n"
        '  seenAt DateTime? @default(now()) @map("seen_at") @db.Timestamptz(6)\n'
        '  @@map("users")\n'
        "}\n"
    )
    result = scan_tree(tmp_path, {FIRST: sql, PRISMA_PATH: prisma})
    assert of_rule(result, "DBD403") == []
