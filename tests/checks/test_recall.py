"""Recall: one edit to one source of a consistent repository gives exactly one finding.

Each row copies a consistent fixture (tests/fixtures/repos/, see test_precision.py), applies
one change to one file as text, scans, and asserts that the findings above `info` that were
not there before are exactly the expected ones (rule, table, column), and that the finding
points at the edited place: the line of `at` in the mutated file, or, when the edit removed
something (`at` is None), an absence in the mutated source (path = source id, no line).
"""

from __future__ import annotations

import importlib.util
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from dbdrift.findings import Finding, Severity
from dbdrift.scan import ScanResult, scan

REPOS = Path(__file__).resolve().parent.parent / "fixtures" / "repos"

PRISMA = "prisma/schema.prisma"
PRISMA_SQL = "prisma/migrations/20250114093000_init/migration.sql"
ACCOUNTS = "app/models/accounts.py"
BILLING = "app/models/billing.py"
CREATE_ALL = "db/migrations/0001_initial.sql"
WORKER = "worker/models.py"
ADMIN_SQL = "db/migrations/003_admin.sql"


@dataclass(frozen=True)
class Mutation:
    """One change to one file of a fixture, and what a scan must report for it."""

    id: str
    fixture: str
    file: str
    edits: tuple[tuple[str, str], ...]
    expected: tuple[tuple[str, str | None, str | None], ...]
    at: str | None
    severity: str | None = None


def m(id, fixture, file, old, new, expected, at, severity=None, more=()):
    """A row: `old` -> `new` in `file` (plus `more` edits in the same file)."""
    return Mutation(id, fixture, file, ((old, new), *more), tuple(expected), at, severity)


POST_AUTHOR = (
    "  author      User      @relation(fields: [authorId], references: [id], onDelete: Cascade)"
)
COMMENTS_TABLE = """-- CreateTable
CREATE TABLE "comments" (
    "id" BIGSERIAL NOT NULL,
    "post_id" INTEGER NOT NULL,
    "author_id" UUID,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "comments_pkey" PRIMARY KEY ("id")
);

"""
COMMENTS_POST_FK = (
    '-- AddForeignKey\nALTER TABLE "comments" ADD CONSTRAINT "comments_post_id_fkey" FOREIGN KEY '
    '("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE CASCADE;\n\n'
)
COMMENTS_AUTHOR_FK = (
    '-- AddForeignKey\nALTER TABLE "comments" ADD CONSTRAINT "comments_author_id_fkey" FOREIGN KEY '
    '("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;\n\n'
)

INVOICE_LINES_DDL = (
    "CREATE TABLE invoice_lines (\n"
    "\tid BIGSERIAL NOT NULL, \n"
    "\tinvoice_id BIGINT NOT NULL, \n"
    "\tdescription VARCHAR(255) NOT NULL, \n"
    "\tquantity INTEGER DEFAULT '1' NOT NULL, \n"
    "\tunit_price NUMERIC(12, 2) NOT NULL, \n"
    "\tCONSTRAINT pk_invoice_lines PRIMARY KEY (id), \n"
    "\tCONSTRAINT fk_invoice_lines_invoice_id_invoices FOREIGN KEY(invoice_id) "
    "REFERENCES invoices (id) ON DELETE CASCADE\n"
    ");\n"
)
"""The last table create_all emits (no other table refers to it), as it emits it."""

MUTATIONS = [
    # --- (a) a Prisma schema and the migration Prisma generates: edits to the schema ---
    m(
        "prisma-drop-required-column",
        "prisma_postgres",
        PRISMA,
        '  displayName String    @map("display_name") @db.VarChar(120)\n',
        "",
        [("DBD111", "users", "display_name")],
        "model User {",
        "critical",
    ),
    m(
        "prisma-drop-optional-column",
        "prisma_postgres",
        PRISMA,
        "  bio         String?\n",
        "",
        [("DBD112", "users", "bio")],
        "model User {",
        "low",
    ),
    m(
        "prisma-rename-map",
        "prisma_postgres",
        PRISMA,
        '@map("last_login_at")',
        '@map("last_login")',
        [("DBD113", "users", "last_login_at")],
        "  lastLoginAt DateTime?",
    ),
    m(
        "prisma-rename-map-unrelated",
        "prisma_postgres",
        PRISMA,
        '@map("last_login_at")',
        '@map("seen")',
        [("DBD110", "users", "seen"), ("DBD112", "users", "last_login_at")],
        "  lastLoginAt DateTime?",
    ),
    m(
        "prisma-remove-map",
        "prisma_postgres",
        PRISMA,
        '@default(0) @map("view_count")',
        "@default(0)",
        [("DBD113", "posts", "view_count")],
        "  viewCount   Int",
    ),
    m(
        "prisma-remove-map-of-fk-column",
        "prisma_postgres",
        PRISMA,
        '  authorId    String    @map("author_id") @db.Uuid',
        "  authorId    String    @db.Uuid",
        [("DBD113", "posts", "author_id")],
        "  authorId    String    @db.Uuid",
    ),
    m(
        "prisma-type-family",
        "prisma_postgres",
        PRISMA,
        "  title       String    @db.VarChar(200)",
        "  title       Int",
        [("DBD201", "posts", "title")],
        "  title       Int",
        "high",
    ),
    m(
        "prisma-narrow-length",
        "prisma_postgres",
        PRISMA,
        "@unique @db.VarChar(255)",
        "@unique @db.VarChar(100)",
        [("DBD204", "users", "email")],
        "  email       String",
    ),
    m(
        "prisma-flip-nullability",
        "prisma_postgres",
        PRISMA,
        "  body        String\n  published",
        "  body        String?\n  published",
        [("DBD401", "posts", "body")],
        "  body        String?",
    ),
    m(
        "prisma-key-type",
        "prisma_postgres",
        PRISMA,
        "  id        String      @id @default(uuid()) @db.Uuid",
        "  id        String      @id @default(uuid()) @db.VarChar(36)",
        [("DBD201", "orders", "id")],
        "@db.VarChar(36)",
    ),
    m(
        "prisma-add-enum-value",
        "prisma_postgres",
        PRISMA,
        "  CANCELLED\n",
        "  CANCELLED\n  REFUNDED\n",
        [("DBD207", "orders", "status")],
        "  status    OrderStatus",
    ),
    m(
        "prisma-money-float",
        "prisma_postgres",
        PRISMA,
        "  total     Decimal     @db.Decimal(12, 2)",
        "  total     Float",
        [("DBD202", "orders", "total")],
        "  total     Float",
        "high",
    ),
    m(
        "prisma-decimal-precision",
        "prisma_postgres",
        PRISMA,
        '@map("unit_price") @db.Decimal(12, 2)',
        '@map("unit_price") @db.Decimal(10, 2)',
        [("DBD203", "order_items", "unit_price")],
        "  unitPrice Decimal",
    ),
    m(
        "prisma-timestamptz-to-timestamp",
        "prisma_postgres",
        PRISMA,
        '@map("placed_at") @db.Timestamptz(6)',
        '@map("placed_at") @db.Timestamp(6)',
        [("DBD206", "orders", "placed_at")],
        "  placedAt  DateTime",
    ),
    m(
        "prisma-int-to-bigint",
        "prisma_postgres",
        PRISMA,
        '  priceCents Int         @map("price_cents")',
        '  priceCents BigInt      @map("price_cents")',
        [("DBD205", "products", "price_cents")],
        "  priceCents BigInt",
    ),
    m(
        "prisma-drop-unique",
        "prisma_postgres",
        PRISMA,
        "  sku        String      @unique @db.VarChar(32)",
        "  sku        String      @db.VarChar(32)",
        [("DBD305", "products", "sku")],
        "model Product {",
    ),
    m(
        "prisma-remove-table-map",
        "prisma_postgres",
        PRISMA,
        '  @@map("products")\n',
        "",
        [("DBD105", "products", None)],
        "model Product {",
    ),
    m(
        "prisma-add-column",
        "prisma_postgres",
        PRISMA,
        "  bio         String?\n",
        "  bio         String?\n  nickname    String?   @db.VarChar(50)\n",
        [("DBD110", "users", "nickname")],
        "  nickname",
        "critical",
    ),
    m(
        "prisma-drop-on-delete-cascade",
        "prisma_postgres",
        PRISMA,
        POST_AUTHOR,
        POST_AUTHOR.replace(", onDelete: Cascade", ""),
        [("DBD304", "posts", "author_id")],
        "  author      User      @relation",
    ),
    m(
        "prisma-change-default",
        "prisma_postgres",
        PRISMA,
        "  viewCount   Int       @default(0)",
        "  viewCount   Int       @default(1)",
        [("DBD402", "posts", "view_count")],
        "  viewCount   Int",
        "low",
    ),
    # --- (a) edits to the generated migration ---
    m(
        "migration-drop-foreign-key",
        "prisma_postgres",
        PRISMA_SQL,
        COMMENTS_AUTHOR_FK,
        "",
        [("DBD302", "comments", "author_id")],
        'CREATE TABLE "comments"',
    ),
    m(
        "migration-key-without-its-sequence",
        "prisma_postgres",
        PRISMA_SQL,
        'CREATE TABLE "posts" (\n    "id" SERIAL NOT NULL,',
        'CREATE TABLE "posts" (\n    "id" INTEGER NOT NULL,',
        [("DBD403", "posts", "id")],
        '"id" INTEGER NOT NULL',
        "critical",
    ),
    m(
        "migration-drop-table",
        "prisma_postgres",
        PRISMA_SQL,
        COMMENTS_TABLE,
        "",
        [("DBD101", "comments", None)],
        None,
        "critical",
        more=((COMMENTS_POST_FK, ""), (COMMENTS_AUTHOR_FK, "")),
    ),
    m(
        "migration-drop-index",
        "prisma_postgres",
        PRISMA_SQL,
        '-- CreateIndex\nCREATE INDEX "orders_user_id_idx" ON "orders"("user_id");\n\n',
        "",
        [("DBD306", "orders", "user_id")],
        'CREATE TABLE "orders"',
        "low",
    ),
    # --- (b) SQLAlchemy models and the DDL create_all emits ---
    m(
        "sqlalchemy-rename-column",
        "sqlalchemy_postgres",
        ACCOUNTS,
        "    full_name: Mapped[str]",
        "    name: Mapped[str]",
        [("DBD113", "accounts", "full_name")],
        "    name: Mapped[str] = mapped_column(String(120))",
    ),
    m(
        "sqlalchemy-flip-nullability",
        "sqlalchemy_postgres",
        ACCOUNTS,
        "password_hash: Mapped[str | None]",
        "password_hash: Mapped[str]",
        [("DBD401", "accounts", "password_hash")],
        "    password_hash:",
    ),
    m(
        "sqlalchemy-key-type",
        "sqlalchemy_postgres",
        ACCOUNTS,
        "        UUID(as_uuid=True), primary_key=True,",
        "        String(36), primary_key=True,",
        # The foreign key columns declared without a type take the type of the key they
        # reference (SQLAlchemy copies it), so they change with it.
        [
            ("DBD201", "accounts", "id"),
            ("DBD201", "invoices", "issued_by"),
            ("DBD201", "memberships", "account_id"),
        ],
        "    id: Mapped[uuid.UUID] = mapped_column(",
    ),
    m(
        "sqlalchemy-drop-foreign-key",
        "sqlalchemy_postgres",
        BILLING,
        'mapped_column(ForeignKey("teams.id"), index=True)',
        "mapped_column(index=True)",
        [("DBD302", "invoices", "team_id")],
        "class Invoice(Base):",
        "high",
    ),
    m(
        "sqlalchemy-drop-on-delete-cascade",
        "sqlalchemy_postgres",
        BILLING,
        'ForeignKey("invoices.id", ondelete="CASCADE")',
        'ForeignKey("invoices.id")',
        [("DBD304", "invoice_lines", "invoice_id")],
        '        BigInteger, ForeignKey("invoices.id")',
    ),
    m(
        "sqlalchemy-timestamp-timezone",
        "sqlalchemy_postgres",
        ACCOUNTS,
        "    joined_at: Mapped[datetime.datetime] = mapped_column(\n"
        "        DateTime(timezone=True), server_default=func.now()",
        "    joined_at: Mapped[datetime.datetime] = mapped_column(\n"
        "        DateTime(), server_default=func.now()",
        [("DBD206", "memberships", "joined_at")],
        "    joined_at:",
    ),
    m(
        "sqlalchemy-money-float",
        "sqlalchemy_postgres",
        BILLING,
        "monthly_price: Mapped[decimal.Decimal] = mapped_column(Numeric(10, 2))",
        "monthly_price: Mapped[float] = mapped_column(Float)",
        [("DBD202", "plans", "monthly_price")],
        "    monthly_price:",
        more=(("CHAR, BigInteger, Date,", "CHAR, BigInteger, Date, Float,"),),
    ),
    m(
        "sqlalchemy-drop-unique",
        "sqlalchemy_postgres",
        BILLING,
        "mapped_column(String(40), unique=True)",
        "mapped_column(String(40))",
        [("DBD305", "invoices", "number")],
        "class Invoice(Base):",
    ),
    m(
        "sqlalchemy-add-enum-value",
        "sqlalchemy_postgres",
        ACCOUNTS,
        '    member = "member"\n',
        '    member = "member"\n    guest = "guest"\n',
        [("DBD207", "memberships", "role")],
        "    role: Mapped[MemberRole]",
    ),
    m(
        "sqlalchemy-integer-width",
        "sqlalchemy_postgres",
        BILLING,
        'mapped_column(SmallInteger, server_default="5")',
        'mapped_column(BigInteger, server_default="5")',
        [("DBD205", "plans", "seats")],
        "    seats:",
    ),
    m(
        "sqlalchemy-add-column",
        "sqlalchemy_postgres",
        BILLING,
        "    due_on: Mapped[datetime.date | None] = mapped_column(Date)\n",
        "    due_on: Mapped[datetime.date | None] = mapped_column(Date)\n"
        "    paid_on: Mapped[datetime.date | None] = mapped_column(Date)\n",
        [("DBD110", "invoices", "paid_on")],
        "    paid_on:",
    ),
    m(
        "sqlalchemy-change-default",
        "sqlalchemy_postgres",
        ACCOUNTS,
        'server_default=text("true")',
        'server_default=text("false")',
        [("DBD402", "accounts", "is_active")],
        "    is_active:",
    ),
    m(
        "sqlalchemy-add-index",
        "sqlalchemy_postgres",
        BILLING,
        "    description: Mapped[str] = mapped_column(String(255))",
        "    description: Mapped[str] = mapped_column(String(255), index=True)",
        [("DBD306", "invoice_lines", "description")],
        "    description: Mapped[str]",
    ),
    m(
        "create-all-drop-table",
        "sqlalchemy_postgres",
        CREATE_ALL,
        "\n" + INVOICE_LINES_DDL,
        "",
        [("DBD101", "invoice_lines", None)],
        None,
        "critical",
    ),
    m(
        "create-all-drop-column",
        "sqlalchemy_postgres",
        CREATE_ALL,
        "\tdue_on DATE, \n",
        "",
        [("DBD110", "invoices", "due_on")],
        "CREATE TABLE invoices (",
        "critical",
    ),
    m(
        "create-all-narrow-length",
        "sqlalchemy_postgres",
        CREATE_ALL,
        "\temail VARCHAR(255) NOT NULL, ",
        "\temail VARCHAR(100) NOT NULL, ",
        [("DBD204", "accounts", "email")],
        "\temail VARCHAR(100)",
    ),
    # --- (e) models that map 3 of 6 tables ---
    m(
        "partial-model-maps-missing-table",
        "partial_models",
        WORKER,
        "class JobRun(Base):",
        'class JobLock(Base):\n    __tablename__ = "job_locks"\n\n'
        "    job_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)\n\n\n"
        "class JobRun(Base):",
        [("DBD101", "job_locks", None)],
        "class JobLock(Base):",
        "critical",
    ),
    m(
        "partial-migration-drops-mapped-table",
        "partial_models",
        ADMIN_SQL,
        "    rollout numeric(5, 2) NOT NULL DEFAULT 0\n);\n",
        "    rollout numeric(5, 2) NOT NULL DEFAULT 0\n);\n\nDROP TABLE job_runs;\n",
        [("DBD101", "job_runs", None)],
        None,
        "critical",
    ),
    m(
        "partial-migration-adds-required-column",
        "partial_models",
        ADMIN_SQL,
        "    rollout numeric(5, 2) NOT NULL DEFAULT 0\n);\n",
        "    rollout numeric(5, 2) NOT NULL DEFAULT 0\n);\n\n"
        "ALTER TABLE jobs ADD COLUMN queue text NOT NULL;\n",
        [("DBD111", "jobs", "queue")],
        "ALTER TABLE jobs ADD COLUMN queue",
        "critical",
    ),
    m(
        "partial-migration-renames-column",
        "partial_models",
        ADMIN_SQL,
        "    rollout numeric(5, 2) NOT NULL DEFAULT 0\n);\n",
        "    rollout numeric(5, 2) NOT NULL DEFAULT 0\n);\n\n"
        "ALTER TABLE users RENAME COLUMN display_name TO name;\n",
        [("DBD113", "users", "name")],
        "ALTER TABLE users RENAME COLUMN",
    ),
    m(
        "partial-migration-drops-timezone",
        "partial_models",
        ADMIN_SQL,
        "    rollout numeric(5, 2) NOT NULL DEFAULT 0\n);\n",
        "    rollout numeric(5, 2) NOT NULL DEFAULT 0\n);\n\n"
        "ALTER TABLE job_runs ALTER COLUMN started_at TYPE timestamp;\n",
        [("DBD206", "job_runs", "started_at")],
        "ALTER TABLE job_runs ALTER COLUMN started_at",
    ),
    m(
        "partial-model-type-family",
        "partial_models",
        WORKER,
        "    kind: Mapped[str] = mapped_column(String(50))",
        "    kind: Mapped[int]",
        [("DBD201", "jobs", "kind")],
        "    kind: Mapped[int]",
    ),
    m(
        "partial-migration-drops-primary-key",
        "partial_models",
        "db/migrations/002_jobs.sql",
        "    id bigserial PRIMARY KEY,\n    job_id",
        "    id bigserial,\n    job_id",
        [("DBD301", "job_runs", None)],
        "CREATE TABLE job_runs (",
        "critical",
    ),
    # --- the other consistent fixtures: a snapshot, quoted names, MySQL, SQLite ---
    m(
        "snapshot-behind-a-new-migration",
        "snapshot_postgres",
        "db/migrations/005_verify.sql",
        "",
        "ALTER TABLE customers ADD COLUMN phone_verified boolean NOT NULL DEFAULT false;\n",
        # The snapshot is now an older state of the stream: one finding, which folds the
        # column it lacks (DBD112) into its count.
        [("DBD504", None, None)],
        "ALTER TABLE customers ADD COLUMN phone_verified",
        "medium",
    ),
    m(
        "snapshot-narrower-than-migrations",
        "snapshot_postgres",
        "db/schema.sql",
        "    name character varying(150) NOT NULL,",
        "    name character varying(100) NOT NULL,",
        [("DBD204", "customers", "name")],
        "    name character varying(100) NOT NULL,",
    ),
    m(
        "quoted-add-table-map",
        "prisma_quoted",
        PRISMA,
        "  profile   Profile?\n}",
        '  profile   Profile?\n\n  @@map("users")\n}',
        [("DBD105", "User", None)],
        "model User {",
        "critical",
    ),
    m(
        "mysql-unsigned-tinyint-to-int",
        "prisma_mysql",
        PRISMA,
        "@default(3) @db.UnsignedTinyInt",
        "@default(3)",
        [("DBD205", "tickets", "priority")],
        "  priority   Int",
    ),
    m(
        "mysql-varchar-default-length",
        "prisma_mysql",
        PRISMA,
        "  handle   String   @unique @db.VarChar(40)",
        "  handle   String   @unique",
        [("DBD204", "agents", "handle")],
        "  handle   String   @unique",
    ),
    m(
        "sqlite-float-to-decimal",
        "prisma_sqlite",
        PRISMA,
        "  estimate  Float?",
        "  estimate  Decimal?",
        [("DBD202", "tasks", "estimate")],
        "  estimate  Decimal?",
    ),
    m(
        "prisma-new-migration-required-column",
        "prisma_postgres",
        "prisma/migrations/20250301000000_order_note/migration.sql",
        "",
        '-- AlterTable\nALTER TABLE "orders" ADD COLUMN "note" TEXT NOT NULL;\n',
        [("DBD111", "orders", "note")],
        'ALTER TABLE "orders" ADD COLUMN "note"',
        "critical",
    ),
    m(
        "prisma-migration-does-not-apply",
        "prisma_postgres",
        "prisma/migrations/20250301000000_order_note/migration.sql",
        "",
        '-- AlterTable\nALTER TABLE "order" ADD COLUMN "note" TEXT;\n',
        [("DBD505", None, None)],
        'ALTER TABLE "order"',
        "critical",
    ),
]


def noticed(result: ScanResult) -> list[Finding]:
    """Findings above `info`: what a mutation may add."""
    return [f for f in result.findings if f.severity.reaches(Severity.low)]


def subjects(findings: list[Finding]) -> Counter[tuple[str, str | None, str | None]]:
    return Counter((f.rule, f.table, f.column) for f in findings)


def explain(findings: list[Finding]) -> str:
    lines = []
    for f in findings:
        lines.append(f"{f.rule} {f.severity} {f.table}.{f.column}: {f.title}")
        lines.extend(f"    {e.source} {e.path}:{e.line} {e.says}" for e in f.evidence)
    return "\n".join(lines)


def line_of(text: str, needle: str) -> int:
    """The 1-based line where `needle` starts; it must occur once."""
    assert text.count(needle) == 1, f"{needle!r} occurs {text.count(needle)} times"
    return text[: text.index(needle)].count("\n") + 1


def mutate(root: Path, mutation: Mutation) -> str:
    """Apply the mutation's edits under `root`; return the mutated file's text."""
    path = root / mutation.file
    if not path.exists():  # a new file: a migration added to a stream
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    for old, new in mutation.edits:
        if old == "" and text == "":
            text = new
            continue
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {mutation.file}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def source_of(result: ScanResult, file: str) -> str:
    """The id of the source that reads `file`."""
    [source] = [s.id for s in result.discovery.sources if file in s.files]
    return source


_BASE: dict[str, ScanResult] = {}


def base(fixture: str) -> ScanResult:
    if fixture not in _BASE:
        _BASE[fixture] = scan(REPOS / fixture)
    return _BASE[fixture]


def test_mutations_cover_enough_kinds():
    """At least 15 kinds of edit, over the three fixture families, with unique ids."""
    assert len({r.id for r in MUTATIONS}) == len(MUTATIONS)
    assert len({r.expected[0][0] for r in MUTATIONS}) >= 15
    assert {r.fixture for r in MUTATIONS} >= {
        "prisma_postgres",
        "sqlalchemy_postgres",
        "partial_models",
    }


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[r.id for r in MUTATIONS])
def test_single_edit_gives_exactly_its_finding(mutation, tmp_path):
    root = tmp_path / mutation.fixture
    shutil.copytree(REPOS / mutation.fixture, root)
    text = mutate(root, mutation)
    result = scan(root)
    before = subjects(noticed(base(mutation.fixture)))
    after = noticed(result)
    new = subjects(after) - before
    assert new == Counter(mutation.expected), explain(after)

    [first] = [f for f in after if (f.rule, f.table, f.column) == mutation.expected[0]]
    if mutation.severity is not None:
        assert first.severity == mutation.severity, explain([first])
    places = {(e.path, e.line) for e in first.evidence}
    if mutation.at is None:
        source = source_of(result, mutation.file)
        assert (source, None) in places, explain([first])
    else:
        assert (mutation.file, line_of(text, mutation.at)) in places, explain([first])


def test_index_the_models_leave_out_is_not_reported(tmp_path):
    """DBD306 by design: an ORM need not declare every index the database has."""
    root = tmp_path / "repo"
    shutil.copytree(REPOS / "sqlalchemy_postgres", root)
    edit = Mutation(
        "sqlalchemy-drop-index",
        "sqlalchemy_postgres",
        BILLING,
        (
            (
                'mapped_column(ForeignKey("teams.id"), index=True)',
                'mapped_column(ForeignKey("teams.id"))',
            ),
        ),
        (),
        None,
    )
    mutate(root, edit)
    result = scan(root)
    [models] = [m for g in result.matrix.groups for m in g.members if m.id == "app/models"]
    assert models.tables["invoices"].indexes == ()
    assert subjects(noticed(result)) == subjects(noticed(base("sqlalchemy_postgres")))


def test_generated_repository_reports_exactly_its_planted_drifts(tmp_path):
    """The benchmark's repository (4 sources) at a smaller size: each drift, nothing else."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "generate_repo.py"
    spec = importlib.util.spec_from_file_location("generate_repo", path)
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    result = scan(generate.write_repo(tmp_path, 120))
    assert [len(m.tables) for g in result.matrix.groups for m in g.members] == [123, 120, 120, 120]
    found = Counter(f.rule for f in noticed(result))
    assert found == generate.expected_rules(120), explain(noticed(result))
