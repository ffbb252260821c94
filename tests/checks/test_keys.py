"""DBD3xx key rules on small repositories: a failing and a consistent case per rule."""

from __future__ import annotations

from scanning import scan_tree

KEY_RULES = ("DBD301", "DBD302", "DBD303", "DBD304", "DBD305", "DBD306")

# SERIAL keys: SQLAlchemy's Integer primary keys autoincrement (a plain integer is DBD403).
USERS_SQL = "CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);\n"
ACCOUNTS_SQL = "CREATE TABLE accounts (id serial PRIMARY KEY, name text);\n"

HEAD = (
    "from sqlalchemy import Column, ForeignKey, Index, Integer, Text, UniqueConstraint\n"
    "from sqlalchemy.orm import declarative_base\n"
    "\n"
    "Base = declarative_base()\n"
    "\n"
    "\n"
    "class User(Base):\n"
    '    __tablename__ = "users"\n'
    "    id = Column(Integer, primary_key=True)\n"
    "    email = Column(Text, nullable=False)\n"
    "\n"
    "\n"
    "class Account(Base):\n"
    '    __tablename__ = "accounts"\n'
    "    id = Column(Integer, primary_key=True)\n"
    "    name = Column(Text)\n"
    "\n"
    "\n"
    "class Order(Base):\n"
    '    __tablename__ = "orders"\n'
)
"""Models of users and accounts; class Order is on line 19, its body starts on line 21."""


def models(*lines: str) -> str:
    return HEAD + "".join(f"    {line}\n" for line in lines)


def scan_pair(tmp_path, orders_sql: str, model: str, extra: dict[str, str] | None = None):
    sql = USERS_SQL + ACCOUNTS_SQL + orders_sql
    files = {"db/migrations/001_init.sql": sql, "app/models.py": model, **(extra or {})}
    return scan_tree(tmp_path, files)


def key_findings(result):
    return [f for f in result.findings if f.rule in KEY_RULES]


def only(result, rule_id: str):
    found = key_findings(result)
    assert [f.rule for f in found] == [rule_id], [(f.rule, f.title) for f in found]
    return found[0]


def lines(finding):
    return [(e.source, e.path, e.line) for e in finding.evidence]


ORDERS_FK_SQL = (
    "CREATE TABLE orders (id integer PRIMARY KEY, user_id integer NOT NULL,\n"
    "    CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id)"
    " ON DELETE CASCADE);\n"
)
"""orders is on line 3 of the stream (a constraint's origin is its statement's line)."""


# DBD301 ---------------------------------------------------------------------------------

MEMBERSHIPS_SQL = (
    "CREATE TABLE memberships (user_id integer NOT NULL, team_id integer NOT NULL,"
    " role text, PRIMARY KEY (user_id, team_id));\n"
)


def test_dbd301_primary_key_columns_differ(tmp_path):
    model = (
        "from sqlalchemy import Column, Integer, Text\n"
        "from sqlalchemy.orm import declarative_base\n"
        "\n"
        "Base = declarative_base()\n"
        "\n"
        "\n"
        "class Membership(Base):\n"
        '    __tablename__ = "memberships"\n'
        "    user_id = Column(Integer, primary_key=True)\n"
        "    team_id = Column(Integer, nullable=False)\n"
        "    role = Column(Text)\n"
    )
    result = scan_tree(
        tmp_path, {"db/migrations/001_init.sql": MEMBERSHIPS_SQL, "app/models.py": model}
    )
    finding = only(result, "DBD301")
    assert (finding.table, finding.severity) == ("memberships", "critical")
    assert [(e.source, e.path) for e in finding.evidence] == [
        ("db/migrations", "db/migrations/001_init.sql"),
        ("app/models.py", "app/models.py"),
    ]
    assert finding.evidence[0].line == 1 and finding.evidence[1].line is not None
    assert finding.data == {"reference": ["team_id", "user_id"], "source": ["user_id"]}
    assert finding.edits[0].source == "app/models.py"


def test_dbd301_spelled_key_columns_are_the_same_key(tmp_path):
    prisma = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Membership {
  userId Int
  teamId Int
  role   String?
  @@id([userId, teamId])
  @@map("memberships")
}
"""
    result = scan_tree(
        tmp_path, {"db/migrations/001_init.sql": MEMBERSHIPS_SQL, "prisma/schema.prisma": prisma}
    )
    assert key_findings(result) == []


# DBD302 ---------------------------------------------------------------------------------


def test_dbd302_model_lacks_the_database_foreign_key(tmp_path):
    result = scan_pair(
        tmp_path,
        ORDERS_FK_SQL,
        models(
            "id = Column(Integer, primary_key=True)", "user_id = Column(Integer, nullable=False)"
        ),
    )
    finding = only(result, "DBD302")
    assert (finding.table, finding.column, finding.severity) == ("orders", "user_id", "high")
    assert lines(finding) == [
        ("db/migrations", "db/migrations/001_init.sql", 3),
        ("app/models.py", "app/models.py", 19),
    ]
    assert finding.data["missing_in"] == "app/models.py"
    [change] = finding.edits
    assert (change.action, change.source, change.foreign_key.ref_table) == (
        "add-foreign-key",
        "app/models.py",
        "users",
    )


def test_dbd302_model_declares_a_foreign_key_the_database_lacks(tmp_path):
    sql = "CREATE TABLE orders (id integer PRIMARY KEY, user_id integer NOT NULL);\n"
    result = scan_pair(
        tmp_path,
        sql,
        models(
            "id = Column(Integer, primary_key=True)",
            'user_id = Column(Integer, ForeignKey("users.id"), nullable=False)',
        ),
    )
    finding = only(result, "DBD302")
    assert (finding.column, finding.severity) == ("user_id", "high")
    assert lines(finding) == [
        ("db/migrations", "db/migrations/001_init.sql", 3),
        ("app/models.py", "app/models.py", 22),
    ]
    [change] = finding.edits
    assert (change.action, change.source, change.unsafe) == (
        "add-foreign-key",
        "db/migrations",
        True,
    )


def test_dbd302_model_without_the_referenced_table_is_not_reported(tmp_path):
    model = (
        "from sqlalchemy import Column, Integer\n"
        "from sqlalchemy.orm import declarative_base\n"
        "\n"
        "Base = declarative_base()\n"
        "\n"
        "\n"
        "class Order(Base):\n"
        '    __tablename__ = "orders"\n'
        "    id = Column(Integer, primary_key=True)\n"
        "    user_id = Column(Integer, nullable=False)\n"
    )
    result = scan_pair(tmp_path, ORDERS_FK_SQL, model)
    assert key_findings(result) == []


# DBD303 ---------------------------------------------------------------------------------


def test_dbd303_foreign_key_points_elsewhere(tmp_path):
    result = scan_pair(
        tmp_path,
        ORDERS_FK_SQL,
        models(
            "id = Column(Integer, primary_key=True)",
            'user_id = Column(Integer, ForeignKey("accounts.id", ondelete="CASCADE"),'
            " nullable=False)",
        ),
    )
    finding = only(result, "DBD303")
    assert (finding.table, finding.column, finding.severity) == ("orders", "user_id", "high")
    assert lines(finding) == [
        ("db/migrations", "db/migrations/001_init.sql", 3),
        ("app/models.py", "app/models.py", 22),
    ]
    assert finding.data == {
        "reference": ["users", ("id",)],
        "source": ["accounts", ("id",)],
    }
    assert [e.action for e in finding.edits] == ["drop-foreign-key", "add-foreign-key"]


# DBD304 ---------------------------------------------------------------------------------


def test_dbd304_on_delete_differs(tmp_path):
    result = scan_pair(
        tmp_path,
        ORDERS_FK_SQL,
        models(
            "id = Column(Integer, primary_key=True)",
            'user_id = Column(Integer, ForeignKey("users.id"), nullable=False)',
        ),
    )
    finding = only(result, "DBD304")
    assert (finding.table, finding.column, finding.severity) == ("orders", "user_id", "medium")
    assert "ON DELETE NO ACTION against CASCADE" in finding.message
    assert [e.line for e in finding.evidence] == [3, 22]


def test_dbd304_same_actions_and_restrict_as_no_action(tmp_path):
    sql = (
        "CREATE TABLE orders (id integer PRIMARY KEY, user_id integer NOT NULL\n"
        "    REFERENCES users (id) ON DELETE RESTRICT);\n"
    )
    result = scan_pair(
        tmp_path,
        sql,
        models(
            "id = Column(Integer, primary_key=True)",
            'user_id = Column(Integer, ForeignKey("users.id"), nullable=False)',
        ),
    )
    assert key_findings(result) == []


# DBD305 ---------------------------------------------------------------------------------

ORDERS_SQL = "CREATE TABLE orders (id integer PRIMARY KEY, code text NOT NULL);\n"


def test_dbd305_model_expects_uniqueness_the_database_lacks(tmp_path):
    result = scan_pair(
        tmp_path,
        ORDERS_SQL,
        models(
            "id = Column(Integer, primary_key=True)",
            "code = Column(Text, nullable=False, unique=True)",
        ),
    )
    finding = only(result, "DBD305")
    assert (finding.table, finding.column, finding.severity) == ("orders", "code", "medium")
    assert [(e.source, e.line) for e in finding.evidence] == [
        ("db/migrations", 3),
        ("app/models.py", 22),
    ]
    assert finding.edits[0].source == "db/migrations" and finding.edits[0].unsafe


def test_dbd305_database_unique_the_model_does_not_declare_is_low(tmp_path):
    sql = ORDERS_SQL + "CREATE UNIQUE INDEX orders_code_key ON orders (code);\n"
    result = scan_pair(
        tmp_path,
        sql,
        models("id = Column(Integer, primary_key=True)", "code = Column(Text, nullable=False)"),
    )
    finding = only(result, "DBD305")
    assert (finding.column, finding.severity) == ("code", "low")
    assert [(e.source, e.line) for e in finding.evidence] == [
        ("db/migrations", 4),
        ("app/models.py", 19),
    ]


def test_dbd305_unique_constraint_equals_unique_index(tmp_path):
    sql = (
        "CREATE TABLE orders (id integer PRIMARY KEY, code text NOT NULL,"
        " CONSTRAINT orders_code_uq UNIQUE (code));\n"
    )
    prisma = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Order {
  id   Int    @id
  code String @unique(map: "some_other_name")
  @@map("orders")
}
"""
    result = scan_tree(
        tmp_path, {"db/migrations/001_init.sql": sql, "prisma/schema.prisma": prisma}
    )
    assert key_findings(result) == []


# DBD306 ---------------------------------------------------------------------------------


def test_dbd306_model_index_the_database_lacks(tmp_path):
    result = scan_pair(
        tmp_path,
        ORDERS_SQL,
        models(
            "id = Column(Integer, primary_key=True)",
            "code = Column(Text, nullable=False, index=True)",
        ),
    )
    finding = only(result, "DBD306")
    assert (finding.table, finding.column, finding.severity) == ("orders", "code", "low")
    assert [(e.source, e.line) for e in finding.evidence] == [
        ("db/migrations", 3),
        ("app/models.py", 22),
    ]


def test_dbd306_database_index_missing_from_snapshot_but_not_from_models(tmp_path):
    sql = ORDERS_SQL + "CREATE INDEX orders_code_idx ON orders (code);\n"
    snapshot = USERS_SQL + ACCOUNTS_SQL + ORDERS_SQL
    result = scan_pair(
        tmp_path,
        sql,
        models("id = Column(Integer, primary_key=True)", "code = Column(Text, nullable=False)"),
        extra={"db/schema.sql": snapshot},
    )
    finding = only(result, "DBD306")
    assert finding.data["missing_in"] == "db/schema.sql"
    assert [(e.source, e.line) for e in finding.evidence] == [
        ("db/migrations", 4),
        ("db/schema.sql", 3),
    ]


def test_consistent_models_and_their_sql(tmp_path):
    sql = (
        "CREATE TABLE orders (id serial PRIMARY KEY, user_id integer NOT NULL\n"
        "    REFERENCES users (id) ON DELETE CASCADE, code text NOT NULL UNIQUE);\n"
        "CREATE INDEX ix_orders_user_id ON orders (user_id);\n"
    )
    result = scan_pair(
        tmp_path,
        sql,
        models(
            "id = Column(Integer, primary_key=True)",
            'user_id = Column(Integer, ForeignKey("users.id", ondelete="CASCADE"),'
            " nullable=False, index=True)",
            "code = Column(Text, nullable=False, unique=True)",
        ),
    )
    assert key_findings(result) == []
    assert all(not f.severity.reaches("medium") for f in result.findings)
