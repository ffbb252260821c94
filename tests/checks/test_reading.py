"""DBD9xx reading rules: read errors, what was not compared, groups, discovery errors."""

from __future__ import annotations

import os

from scanning import of_rule, scan_tree

from dbdrift.findings import Severity

USERS = "CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL);\n"
PRISMA = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id    Int    @id
  email String
  @@map("users")
}
"""


def test_dbd901_prisma_syntax_error_and_non_utf8_snapshot(tmp_path):
    broken = PRISMA.rstrip().removesuffix("}")
    result = scan_tree(
        tmp_path,
        {
            "db/migrations/001_users.sql": USERS,
            "prisma/schema.prisma": broken,
            "schema.sql": USERS.encode() + b"-- caf\xe9\n",
        },
    )
    findings = of_rule(result, "DBD901")
    assert sorted((f.evidence[0].path, f.evidence[0].line) for f in findings) == [
        ("prisma/schema.prisma", 6),
        ("schema.sql", 2),
    ]
    assert all(f.severity == Severity.medium for f in findings)
    assert any("not UTF-8" in f.message for f in findings)


def test_dbd901_migration_errors_are_dbd505_not_dbd901(tmp_path):
    result = scan_tree(
        tmp_path,
        {"db/migrations/001_users.sql": USERS, "db/migrations/002.sql": "ALTER TABLE x ADD y int;"},
    )
    assert of_rule(result, "DBD901") == []
    assert len(of_rule(result, "DBD505")) == 1


def test_dbd902_counts_what_was_not_modelled(tmp_path):
    result = scan_tree(
        tmp_path,
        {
            "db/migrations/001_users.sql": USERS
            + "INSERT INTO users VALUES (1, 'a');\n"
            + "INSERT INTO users VALUES (2, 'b');\n"
            + "CREATE FUNCTION one() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\n",
        },
    )
    [finding] = of_rule(result, "DBD902")
    assert finding.severity == Severity.info
    assert finding.data["counts"] == {"data": 2, "function": 1}
    assert finding.message.startswith("3 statements read but not modelled: 2 data statements")
    assert [(e.path, e.line) for e in finding.evidence] == [
        ("db/migrations/001_users.sql", 2),
        ("db/migrations/001_users.sql", 4),
    ]


def test_dbd902_plain_tables_pass(tmp_path):
    result = scan_tree(tmp_path, {"db/migrations/001_users.sql": USERS})
    assert of_rule(result, "DBD902") == []


def test_dbd903_separate_groups_are_named(tmp_path):
    result = scan_tree(
        tmp_path,
        {
            "db/migrations/001_users.sql": USERS,
            "analytics/migrations/001_events.sql": "CREATE TABLE events (id bigint);\n",
        },
    )
    [finding] = of_rule(result, "DBD903")
    assert finding.severity == Severity.info
    assert set(finding.data["groups"]) == {g.id for g in result.matrix.groups}
    assert len(finding.data["groups"]) == 2
    assert "shares no table" in finding.message


def test_dbd903_one_group_passes(tmp_path):
    result = scan_tree(
        tmp_path, {"db/migrations/001_users.sql": USERS, "prisma/schema.prisma": PRISMA}
    )
    assert len(result.matrix.groups) == 1
    assert of_rule(result, "DBD903") == []


def test_dbd904_symlink_loop_is_reported(tmp_path):
    scan_tree(tmp_path, {"db/migrations/001_users.sql": USERS})
    (tmp_path / "db" / "loop").symlink_to(os.pardir)
    result = scan_tree(tmp_path, {})
    [finding] = of_rule(result, "DBD904")
    assert finding.evidence[0].path == "db/loop"
    assert "loop" in finding.message
    assert result.matrix.discovery_errors == result.discovery.errors


def test_dbd904_clean_tree_passes(tmp_path):
    result = scan_tree(tmp_path, {"db/migrations/001_users.sql": USERS})
    assert result.matrix.discovery_errors == ()
    assert of_rule(result, "DBD904") == []


def test_a_dialect_without_reader_is_noted_and_kept_apart(tmp_path):
    clickhouse = (
        "CREATE TABLE users\n(\n  id UUID,\n  email String\n)\nENGINE = MergeTree\nORDER BY id;\n"
    )
    result = scan_tree(
        tmp_path,
        {
            "db/migrations/001_init.sql": "CREATE TABLE users (id uuid PRIMARY KEY);\n",
            "analytics/schema.sql": clickhouse,
        },
    )
    groups = [(g.id, [m.id for m in g.members]) for g in result.matrix.groups]
    assert groups == [("clickhouse", ["analytics/schema.sql"]), ("postgresql", ["db/migrations"])]
    assert [f.severity for f in result.findings if f.severity != "info"] == []
    [note] = result.matrix.groups[0].members[0].schema.notes
    assert (note.kind, note.message, note.origin.line) == (
        "unsupported-dialect",
        "not read: dbdrift has no reader for clickhouse SQL",
        1,
    )
