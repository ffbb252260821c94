"""DBD2xx type rules on small repositories: a failing and a consistent case per rule."""

from __future__ import annotations

from scanning import scan_tree

TYPE_RULES = ("DBD201", "DBD202", "DBD203", "DBD204", "DBD205", "DBD206", "DBD207", "DBD208")

PRISMA_HEAD = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
"""


def models(*fields: str, table: str = "orders", imports: str = "") -> str:
    """A SQLAlchemy models.py mapping one table; the first field is on line 11."""
    body = "\n".join(f"    {f}" for f in fields)
    return (
        "from sqlalchemy import (BigInteger, Column, DateTime, Float, ForeignKey, Integer,\n"
        "    Numeric, String, Text, Uuid)\n"
        f"from sqlalchemy.orm import declarative_base{imports}\n"
        "\n"
        "Base = declarative_base()\n"
        "\n"
        "\n"
        "class Order(Base):\n"
        f'    __tablename__ = "{table}"\n'
        "\n"
        f"{body}\n"
    )


def sql_table(*columns: str, table: str = "orders") -> str:
    """One CREATE TABLE, one column a line: the second column is on line 3."""
    body = ",\n".join(f"    {c}" for c in columns)
    return f"CREATE TABLE {table} (\n{body}\n);\n"


def scan_pair(tmp_path, sql: str, model: str):
    return scan_tree(tmp_path, {"db/migrations/001_init.sql": sql, "app/models.py": model})


def only(result, rule_id: str):
    """The single finding of `rule_id`; and no other type rule reported anything."""
    found = [f for f in result.findings if f.rule in TYPE_RULES]
    assert [f.rule for f in found] == [rule_id], [(f.rule, f.title) for f in found]
    return found[0]


def lines(finding):
    return [(e.source, e.path, e.line) for e in finding.evidence]


def no_type_findings(result) -> None:
    found = [(f.rule, f.table, f.column) for f in result.findings if f.rule in TYPE_RULES]
    assert found == []


# DBD201 ---------------------------------------------------------------------------------


def test_dbd201_uuid_key_against_varchar(tmp_path):
    result = scan_pair(
        tmp_path,
        sql_table("note text", "id uuid PRIMARY KEY"),
        models("note = Column(Text)", "id = Column(String(36), primary_key=True)"),
    )
    finding = only(result, "DBD201")
    assert (finding.table, finding.column, finding.severity) == ("orders", "id", "high")
    # The evidence sits where each reader placed the column (the PostgreSQL replay places a
    # primary key column at its CREATE TABLE statement).
    [stream] = [m for m in result.matrix.members if m.id == "db/migrations"]
    origin = stream.tables["orders"].column("id").origin
    assert lines(finding) == [
        ("db/migrations", "db/migrations/001_init.sql", origin.line),
        ("app/models.py", "app/models.py", 12),
    ]
    assert "key" in finding.message and "UUID against VARCHAR" in finding.message
    assert "character varying(36)" in finding.title and "uuid" in finding.title
    [change] = finding.edits
    assert (change.action, change.source, change.column.type.sql) == (
        "alter-column",
        "app/models.py",
        "uuid",
    )
    assert change.unsafe


def test_dbd201_array_elements_of_another_family(tmp_path):
    prisma = PRISMA_HEAD + 'model Order {\n  id Int @id\n  tags Int[]\n  @@map("orders")\n}\n'
    result = scan_tree(
        tmp_path,
        {
            "db/migrations/001_init.sql": sql_table("id integer PRIMARY KEY", "tags text[]"),
            "prisma/schema.prisma": prisma,
        },
    )
    finding = only(result, "DBD201")
    assert (finding.column, finding.severity) == ("tags", "high")
    assert "The column is a key" not in finding.message


def test_dbd201_same_family_is_not_reported(tmp_path):
    result = scan_pair(
        tmp_path,
        sql_table("id uuid PRIMARY KEY", "note text"),
        models("id = Column(Uuid, primary_key=True)", "note = Column(Text)"),
    )
    no_type_findings(result)


# DBD202 ---------------------------------------------------------------------------------


def test_dbd202_money_in_float(tmp_path):
    result = scan_pair(
        tmp_path,
        sql_table("id integer PRIMARY KEY", "total numeric(12,2) NOT NULL"),
        models("id = Column(Integer, primary_key=True)", "total = Column(Float, nullable=False)"),
    )
    finding = only(result, "DBD202")
    assert (finding.table, finding.column, finding.severity) == ("orders", "total", "high")
    assert lines(finding) == [
        ("db/migrations", "db/migrations/001_init.sql", 3),
        ("app/models.py", "app/models.py", 12),
    ]
    assert finding.title == (
        "orders.total is double precision in app/models.py but numeric(12,2) in db/migrations"
    )
    assert finding.edits[0].column.type.sql == "numeric(12,2)"


def test_dbd202_decimal_on_both_sides(tmp_path):
    result = scan_pair(
        tmp_path,
        sql_table("id integer PRIMARY KEY", "total numeric(12,2) NOT NULL"),
        models(
            "id = Column(Integer, primary_key=True)",
            "total = Column(Numeric(12, 2), nullable=False)",
        ),
    )
    no_type_findings(result)


# DBD203 ---------------------------------------------------------------------------------


def test_dbd203_database_narrower_is_medium(tmp_path):
    result = scan_pair(
        tmp_path,
        sql_table("id integer PRIMARY KEY", "price numeric(10,2)"),
        models("id = Column(Integer, primary_key=True)", "price = Column(Numeric(12, 4))"),
    )
    finding = only(result, "DBD203")
    assert (finding.column, finding.severity) == ("price", "medium")
    assert [e.line for e in finding.evidence] == [3, 12]
    assert finding.edits[0].unsafe


def test_dbd203_database_wider_is_low(tmp_path):
    result = scan_pair(
        tmp_path,
        sql_table("id integer PRIMARY KEY", "price numeric(14,4)"),
        models("id = Column(Integer, primary_key=True)", "price = Column(Numeric(10, 2))"),
    )
    finding = only(result, "DBD203")
    assert (finding.column, finding.severity) == ("price", "low")
    assert not finding.edits[0].unsafe


# DBD204 ---------------------------------------------------------------------------------


def test_dbd204_database_shorter_is_medium(tmp_path):
    result = scan_pair(
        tmp_path,
        sql_table("id integer PRIMARY KEY", "email varchar(100) NOT NULL"),
        models(
            "id = Column(Integer, primary_key=True)",
            "email = Column(String(255), nullable=False)",
        ),
    )
    finding = only(result, "DBD204")
    assert (finding.table, finding.column, finding.severity) == ("orders", "email", "medium")
    assert lines(finding) == [
        ("db/migrations", "db/migrations/001_init.sql", 3),
        ("app/models.py", "app/models.py", 12),
    ]


def test_dbd204_database_text_against_varchar_is_low(tmp_path):
    result = scan_pair(
        tmp_path,
        sql_table("id integer PRIMARY KEY", "email text NOT NULL"),
        models(
            "id = Column(Integer, primary_key=True)",
            "email = Column(String(255), nullable=False)",
        ),
    )
    finding = only(result, "DBD204")
    assert (finding.column, finding.severity) == ("email", "low")


def test_dbd204_same_length(tmp_path):
    result = scan_pair(
        tmp_path,
        sql_table("id integer PRIMARY KEY", "email varchar(255) NOT NULL"),
        models(
            "id = Column(Integer, primary_key=True)",
            "email = Column(String(255), nullable=False)",
        ),
    )
    no_type_findings(result)


# DBD205 ---------------------------------------------------------------------------------


def test_dbd205_integer_width_both_directions(tmp_path):
    result = scan_pair(
        tmp_path,
        sql_table("id bigserial PRIMARY KEY", "qty integer NOT NULL"),
        models(
            "id = Column(Integer, primary_key=True)",
            "qty = Column(BigInteger, nullable=False)",
        ),
    )
    found = [f for f in result.findings if f.rule in TYPE_RULES]
    assert [(f.rule, f.column, f.severity) for f in found] == [
        ("DBD205", "id", "high"),
        ("DBD205", "qty", "high"),
    ]
    by_column = {f.column: f for f in found}
    assert [e.line for e in by_column["qty"].evidence] == [3, 12]
    assert "out-of-range" in by_column["qty"].message
    assert "cannot be read" in by_column["id"].message
    assert by_column["qty"].edits[0].unsafe and not by_column["id"].edits[0].unsafe


def test_dbd205_serial_is_integer(tmp_path):
    result = scan_pair(
        tmp_path,
        sql_table("id serial PRIMARY KEY", "qty bigint NOT NULL"),
        models(
            "id = Column(Integer, primary_key=True)",
            "qty = Column(BigInteger, nullable=False)",
        ),
    )
    no_type_findings(result)


# DBD206 ---------------------------------------------------------------------------------


def test_dbd206_timestamptz_against_timestamp(tmp_path):
    result = scan_pair(
        tmp_path,
        sql_table("id integer PRIMARY KEY", "created_at timestamptz NOT NULL"),
        models(
            "id = Column(Integer, primary_key=True)",
            "created_at = Column(DateTime, nullable=False)",
        ),
    )
    finding = only(result, "DBD206")
    assert (finding.column, finding.severity) == ("created_at", "high")
    assert [e.line for e in finding.evidence] == [3, 12]
    assert finding.edits[0].unsafe


def test_dbd206_same_zone(tmp_path):
    result = scan_pair(
        tmp_path,
        sql_table("id integer PRIMARY KEY", "created_at timestamptz NOT NULL"),
        models(
            "id = Column(Integer, primary_key=True)",
            "created_at = Column(DateTime(timezone=True), nullable=False)",
        ),
    )
    no_type_findings(result)


# DBD207 ---------------------------------------------------------------------------------

ENUM_SQL = """CREATE TYPE "Role" AS ENUM ('admin', 'user', 'owner');
CREATE TABLE users (
    id integer PRIMARY KEY,
    role "Role" NOT NULL
);
"""


def enum_prisma(*values: str) -> str:
    return (
        PRISMA_HEAD
        + "enum Role {\n"
        + "".join(f"  {v}\n" for v in values)
        + '}\nmodel User {\n  id Int @id\n  role Role\n  @@map("users")\n}\n'
    )


def test_dbd207_enum_values_differ(tmp_path):
    result = scan_tree(
        tmp_path,
        {
            "db/migrations/001_init.sql": ENUM_SQL,
            "prisma/schema.prisma": enum_prisma("admin", "user", "guest"),
        },
    )
    finding = only(result, "DBD207")
    assert (finding.table, finding.column, finding.severity) == ("users", "role", "high")
    assert finding.data["extra"] == ["guest"] and finding.data["missing"] == ["owner"]
    assert lines(finding) == [
        ("db/migrations", "db/migrations/001_init.sql", 4),
        ("prisma/schema.prisma", "prisma/schema.prisma", 12),
    ]
    assert "values admin, user, owner" in finding.evidence[0].says


def test_dbd207_same_values_in_another_order(tmp_path):
    result = scan_tree(
        tmp_path,
        {
            "db/migrations/001_init.sql": ENUM_SQL,
            "prisma/schema.prisma": enum_prisma("owner", "admin", "user"),
        },
    )
    no_type_findings(result)


# DBD208 ---------------------------------------------------------------------------------


def test_dbd208_prisma_datetime_precision_is_low(tmp_path):
    prisma = (
        PRISMA_HEAD
        + 'model Event {\n  id Int @id\n  at DateTime\n  data Json\n  @@map("events")\n}\n'
    )
    sql = sql_table(
        "id integer PRIMARY KEY", "at timestamp NOT NULL", "data json NOT NULL", table="events"
    )
    result = scan_tree(
        tmp_path, {"db/migrations/001_init.sql": sql, "prisma/schema.prisma": prisma}
    )
    found = [f for f in result.findings if f.rule in TYPE_RULES]
    assert [(f.rule, f.column, f.severity) for f in found] == [
        ("DBD208", "at", "low"),
        ("DBD208", "data", "low"),
    ]
    at = found[0]
    assert "timestamp(3) without time zone" in at.title
    assert [e.line for e in at.evidence] == [3, 7]


def test_consistent_prisma_and_its_migration(tmp_path):
    prisma = (
        PRISMA_HEAD
        + """enum Role {
  admin
  user
}
model User {
  id        String   @id @db.Uuid
  email     String   @db.VarChar(255)
  role      Role
  total     Decimal  @db.Decimal(12, 2)
  big       BigInt
  at        DateTime @db.Timestamptz(6)
  seen      DateTime
  data      Json
  tags      String[]
  @@map("users")
}
"""
    )
    sql = """CREATE TYPE "Role" AS ENUM ('admin', 'user');
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" VARCHAR(255) NOT NULL,
    "role" "Role" NOT NULL,
    "total" DECIMAL(12,2) NOT NULL,
    "big" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL,
    "seen" TIMESTAMP(3) NOT NULL,
    "data" JSONB NOT NULL,
    "tags" TEXT[],
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);
"""
    result = scan_tree(
        tmp_path, {"db/migrations/001_init.sql": sql, "prisma/schema.prisma": prisma}
    )
    no_type_findings(result)
    assert all(not f.severity.reaches("medium") for f in result.findings)


MYSQL_PRISMA = """datasource db {
  provider = "mysql"
  url      = env("DATABASE_URL")
}
enum Status {
  OPEN
  CLOSED
}
model Ticket {
  id     Int      @id @default(autoincrement())
  active Boolean
  at     DateTime
  status Status
  @@map("tickets")
}
"""


def mysql_stream(status: str) -> str:
    return (
        "CREATE TABLE `tickets` (\n"
        "    `id` INTEGER NOT NULL AUTO_INCREMENT,\n"
        "    `active` BOOLEAN NOT NULL,\n"
        "    `at` DATETIME(3) NOT NULL,\n"
        f"    `status` {status} NOT NULL,\n"
        "    PRIMARY KEY (`id`)\n"
        ") DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n"
    )


def test_mysql_documented_mappings_are_not_mismatches(tmp_path):
    result = scan_tree(
        tmp_path,
        {
            "db/migrations/001_init.sql": mysql_stream("ENUM('OPEN', 'CLOSED')"),
            "prisma/schema.prisma": MYSQL_PRISMA,
        },
    )
    assert {m.family for m in result.matrix.members} == {"mysql"}
    no_type_findings(result)


def test_dbd207_mysql_inline_enum_values(tmp_path):
    result = scan_tree(
        tmp_path,
        {
            "db/migrations/001_init.sql": mysql_stream("ENUM('OPEN', 'PENDING', 'CLOSED')"),
            "prisma/schema.prisma": MYSQL_PRISMA,
        },
    )
    finding = only(result, "DBD207")
    assert (finding.table, finding.column, finding.severity) == ("tickets", "status", "high")
    assert finding.data["extra"] == [] and finding.data["missing"] == ["PENDING"]
    assert [e.line for e in finding.evidence] == [5, 13]
    assert not finding.edits[0].unsafe


def test_dbd208_implicit_timestamp_precision_is_not_a_difference(tmp_path):
    migration = (
        "CREATE TABLE events (\n"
        "  id integer PRIMARY KEY,\n"
        "  at timestamptz NOT NULL,\n"
        "  seen timestamp(0) without time zone\n"
        ");\n"
    )
    prisma = (
        'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n\n'
        "model Event {\n"
        "  id   Int       @id\n"
        "  at   DateTime  @db.Timestamptz(6)\n"
        "  seen DateTime? @db.Timestamp(6)\n"
        '  @@map("events")\n'
        "}\n"
    )
    result = scan_tree(
        tmp_path, {"db/migrations/001_events.sql": migration, "prisma/schema.prisma": prisma}
    )
    # timestamptz is timestamp(6) with time zone; timestamp(0) is not timestamp(6).
    assert [(f.rule, f.column) for f in result.findings if f.rule == "DBD208"] == [
        ("DBD208", "seen")
    ]
