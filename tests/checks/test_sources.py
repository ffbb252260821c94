"""DBD5xx source rules on small repositories: copies, streams, snapshots, ORM-only schemas."""

from __future__ import annotations

from scanning import of_rule, scan_tree

from dbdrift.findings import Severity

MODELS = """from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    email = Column(String(100), nullable=False)


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    total = Column(Integer)
"""
USERS = "CREATE TABLE users (id integer PRIMARY KEY, email varchar(100) NOT NULL);\n"
ORDERS = "CREATE TABLE orders (id integer PRIMARY KEY, total integer);\n"
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

STREAM = {
    "db/migrations/001_users.sql": USERS,
    "db/migrations/002_orders.sql": ORDERS,
    "db/migrations/003_tags.sql": "CREATE TABLE tags (id integer PRIMARY KEY, name text);\n",
    "db/migrations/004_order_tag.sql": "ALTER TABLE orders ADD COLUMN tag_id integer "
    "REFERENCES tags (id);\n",
}
FULL_SNAPSHOT = (
    USERS
    + "CREATE TABLE orders (id integer PRIMARY KEY, total integer, tag_id integer);\n"
    + "CREATE TABLE tags (id integer PRIMARY KEY, name text);\n"
    + "ALTER TABLE orders ADD CONSTRAINT orders_tag_fk FOREIGN KEY (tag_id) REFERENCES tags (id);\n"
)


def test_dbd501_identical_model_files(tmp_path):
    result = scan_tree(
        tmp_path,
        {
            "db/migrations/001_init.sql": USERS + ORDERS,
            "services/a/shared/db/models.py": MODELS,
            "services/b/shared/db/models.py": MODELS,
            "services/c/shared/db/models.py": MODELS,
        },
    )
    [finding] = of_rule(result, "DBD501")
    assert finding.severity == Severity.medium
    assert [(e.path, e.line) for e in finding.evidence] == [
        (f"services/{s}/shared/db/models.py", 1) for s in "abc"
    ]
    assert "3 places" in finding.title
    assert finding.fix and "shared module" in finding.fix


def test_dbd501_single_file_and_generated_client_copy_pass(tmp_path):
    result = scan_tree(
        tmp_path,
        {
            "db/migrations/001_init.sql": USERS,
            "services/a/shared/db/models.py": MODELS,
            "prisma/schema.prisma": PRISMA,
            "generated/client/schema.prisma": PRISMA,
        },
    )
    prisma = result.matrix.group_of("prisma/schema.prisma")
    assert prisma is not None
    assert prisma.member("prisma/schema.prisma").source.copies == (
        "generated/client/schema.prisma",
    )
    assert of_rule(result, "DBD501") == []


def test_dbd502_copies_that_diverged(tmp_path):
    changed = MODELS.replace("String(100), nullable=False", "String(255)").replace(
        "total = Column(Integer)", "total = Column(Integer)\n    note = Column(String(20))"
    )
    result = scan_tree(
        tmp_path,
        {
            "db/migrations/001_init.sql": USERS + ORDERS,
            "services/a/shared/db/models.py": MODELS,
            "services/b/shared/db/models.py": changed,
        },
    )
    [finding] = of_rule(result, "DBD502")
    assert finding.data["tables"] == {"orders": ["note"], "users": ["email"]}
    [a, b] = finding.evidence
    assert (a.source, b.source) == (
        "services/a/shared/db/models.py",
        "services/b/shared/db/models.py",
    )
    # Copy b points at the column that differs; copy a, which lacks it, at its table.
    note_line = changed.splitlines().index("    note = Column(String(20))") + 1
    assert (b.line, b.says) == (
        note_line,
        "orders.note character varying(20); 1 column of orders differs between copies",
    )
    assert a.line is not None and a.says.startswith("defines orders")
    assert "orders: 1 column differs (note)" in finding.message
    assert of_rule(result, "DBD501") == []


def test_dbd502_unrelated_model_files_pass(tmp_path):
    other = MODELS.replace('"orders"', '"invoices"').replace("class Order", "class Invoice")
    other = other.replace("String(100), nullable=False", "String(255)")
    result = scan_tree(
        tmp_path,
        {
            "db/migrations/001_init.sql": USERS + ORDERS,
            "services/a/models.py": MODELS,
            "services/b/db/tables.py": other,
        },
    )
    assert of_rule(result, "DBD502") == []


def test_dbd503_two_streams_create_the_same_table(tmp_path):
    result = scan_tree(
        tmp_path,
        {
            "db/migrations/001_users.sql": USERS,
            "db/migrations/002_orders.sql": ORDERS,
            "services/billing/migrations/001_users.sql": "-- billing\n" + USERS,
        },
    )
    [finding] = of_rule(result, "DBD503")
    assert finding.severity == Severity.high
    assert finding.data["tables"] == ["users"]
    assert [(e.source, e.path, e.line) for e in finding.evidence] == [
        ("db/migrations", "db/migrations/001_users.sql", 1),
        ("services/billing/migrations", "services/billing/migrations/001_users.sql", 2),
    ]


def test_dbd503_one_stream_passes(tmp_path):
    result = scan_tree(tmp_path, STREAM)
    assert of_rule(result, "DBD503") == []


def test_dbd504_snapshot_equals_stream_after_file_two(tmp_path):
    result = scan_tree(tmp_path, {**STREAM, "schema.sql": USERS + ORDERS})
    [finding] = of_rule(result, "DBD504")
    assert finding.severity == Severity.medium
    assert (finding.data["files"], finding.data["total"], finding.data["exact"]) == (2, 4, True)
    assert "up to 002_orders.sql" in finding.message
    assert "003..004 are missing" in finding.message
    assert [(e.path, e.line) for e in finding.evidence] == [
        ("schema.sql", 1),
        ("db/migrations/003_tags.sql", 1),
    ]
    assert [(e.action, e.source) for e in finding.edits] == [("regenerate", "schema.sql")]
    [group] = result.matrix.groups
    assert group.stale == {"schema.sql"}
    # What the snapshot lacks is its age: one finding, not one per missing table.
    assert [
        f.rule for f in result.findings if any(e.source == "schema.sql" for e in f.evidence)
    ] == ["DBD504"]
    assert finding.data["folded"] >= 1
    assert finding.message.endswith(
        f"{finding.data['folded']} differences that follow from this are not listed separately."
    )


def test_dbd504_closest_older_state_is_counted(tmp_path):
    snapshot = USERS + ORDERS.replace("total integer", "total integer, note text")
    result = scan_tree(tmp_path, {**STREAM, "schema.sql": snapshot})
    [finding] = of_rule(result, "DBD504")
    assert (finding.data["files"], finding.data["exact"]) == (2, False)
    assert "closest to the state of db/migrations after 002_orders.sql (1 difference" in (
        finding.message
    )
    [group] = result.matrix.groups
    assert group.stale == set()


def test_dbd504_snapshot_equal_to_full_stream_passes(tmp_path):
    result = scan_tree(tmp_path, {**STREAM, "schema.sql": FULL_SNAPSHOT})
    assert of_rule(result, "DBD504") == []
    [group] = result.matrix.groups
    assert group.snapshots["schema.sql"].exact
    assert group.snapshots["schema.sql"].files == 4
    assert [f.rule for f in result.findings if f.severity.reaches(Severity.low)] == []


def test_dbd504_long_stream_is_skipped_with_info(tmp_path):
    files = {
        f"db/migrations/{i:03d}_t{i}.sql": f"CREATE TABLE t{i} (id integer);\n"
        for i in range(1, 202)
    }
    result = scan_tree(tmp_path, {**files, "schema.sql": "CREATE TABLE t1 (id integer);\n"})
    [finding] = of_rule(result, "DBD504")
    assert finding.severity == Severity.info
    assert "201 files" in finding.message


def test_dbd505_migration_that_does_not_apply(tmp_path):
    result = scan_tree(
        tmp_path,
        {
            "db/migrations/001_users.sql": USERS,
            "db/migrations/002_bad.sql": "\nALTER TABLE accounts ADD COLUMN name text;\n",
            "db/migrations/003_syntax.sql": "CREATE TABLE a (id int,, x);\n",
        },
    )
    findings = of_rule(result, "DBD505")
    assert [(f.severity, f.evidence[0].path, f.evidence[0].line) for f in findings] == [
        (Severity.critical, "db/migrations/002_bad.sql", 2),
        (Severity.critical, "db/migrations/003_syntax.sql", 1),
    ]
    assert "does not exist" in findings[0].message
    assert "syntax error" in findings[1].message


def test_dbd505_clean_stream_passes(tmp_path):
    result = scan_tree(tmp_path, STREAM)
    assert of_rule(result, "DBD505") == []


def test_dbd506_orm_only_schema(tmp_path):
    result = scan_tree(tmp_path, {"prisma/schema.prisma": PRISMA})
    [finding] = of_rule(result, "DBD506")
    assert finding.data["tables"] == ["users"]
    assert [(e.path, e.line) for e in finding.evidence] == [("prisma/schema.prisma", 6)]


def test_dbd506_orm_with_migrations_passes(tmp_path):
    result = scan_tree(tmp_path, {"prisma/schema.prisma": PRISMA, **STREAM})
    assert of_rule(result, "DBD506") == []


def test_dbd502_copies_found_by_shared_tables(tmp_path):
    changed = MODELS.replace("total = Column(Integer)", "total = Column(String(20))")
    result = scan_tree(
        tmp_path,
        {
            "db/migrations/001_init.sql": USERS + ORDERS,
            "services/a/models.py": MODELS,
            "services/b/db/tables.py": changed,
        },
    )
    [finding] = of_rule(result, "DBD502")
    assert finding.data == {
        "sources": ["services/a/models.py", "services/b/db/tables.py"],
        "tables": {"orders": ["total"]},
    }


def test_dbd504_longest_matching_prefix_wins(tmp_path):
    stream = {
        "db/migrations/001_users.sql": USERS,
        "db/migrations/002_orders.sql": ORDERS,
        "db/migrations/003_seed.sql": "INSERT INTO users VALUES (1, 'a@example.com');\n",
        "db/migrations/004_tags.sql": "CREATE TABLE tags (id integer PRIMARY KEY);\n",
    }
    result = scan_tree(tmp_path, {**stream, "schema.sql": USERS + ORDERS})
    [finding] = of_rule(result, "DBD504")
    assert finding.data["files"] == 3
    assert "up to 003_seed.sql; 004_tags.sql is missing from it" in finding.message
