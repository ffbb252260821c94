"""Oracle test of the Prisma reader: each fixture schema, read by dbdrift vs created by Prisma.

For every PostgreSQL and SQLite fixture under tests/fixtures/prisma/, Prisma's own migration
engine (WebAssembly, under Node: tests/oracle/prisma_engine.py) writes the SQL that
``prisma migrate diff --from-empty`` prints; that SQL is applied to a scratch PostgreSQL
database (or an in-memory SQLite) and the catalog is read back.  Two readings must equal it:

- the Prisma reader's reading of the schema itself (`test_prisma_reader_matches_*`), and
- the SQL reader's replay of the engine's SQL (`test_sql_reader_matches_*`), since a
  repository's ``prisma/migrations/*/migration.sql`` files are exactly that SQL.

Prisma's WebAssembly engine refuses MySQL, so each MySQL fixture carries ``expected.sql``:
the DDL Prisma's documentation says Migrate creates (written by hand, citing the pages it
follows).  It is applied to MariaDB and the catalog must equal the Prisma reader's reading.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest

from dbdrift.source import Source
from oracle import mariadb, postgres, sqlite
from oracle.compare import project
from oracle.prisma_engine import EngineError, migrate_diff, without_urls

FIXTURES = Path(__file__).parent / "fixtures" / "prisma"

# The fixtures by provider; a new fixture must be listed here (test_every_fixture_is_listed).
POSTGRES_FIXTURES = (
    "blog",
    "shop_uuid",
    "composite_keys",
    "self_relations",
    "many_to_many",
    "enums_mapped",
    "native_types_text",
    "native_types_numbers",
    "defaults",
    "indexes",
    "referential_actions",
    "mapped_names",
    "multi_schema",
    "multi_file",
    "views_ignored",
    "unsupported_types",
    "long_names",
    "lists_and_scalars",
    "saas_billing",
    "nextauth",
    "edge_cases",
)
SQLITE_FIXTURES = ("sqlite_todo", "sqlite_blog", "sqlite_inventory")
MYSQL_FIXTURES = ("mysql_shop", "mysql_cms")

MIN_FIXTURES = 20
MIGRATION = "migration.sql"

_PROVIDER = re.compile(r"datasource\s+\w+\s*\{[^}]*?\bprovider\s*=\s*\"(\w+)\"", re.DOTALL)


def schema_files(root: Path) -> tuple[str, ...]:
    """The fixture's ``.prisma`` files, repo-relative, in path order."""
    return tuple(sorted(p.relative_to(root).as_posix() for p in root.rglob("*.prisma")))


def prisma_source(name: str, dialect: str) -> Source:
    """The fixture as discovery hands a Prisma schema over: one file, or a schema folder."""
    root = FIXTURES / name
    files = schema_files(root)
    folders = {Path(f).parent.as_posix() for f in files}
    source_id = files[0] if len(files) == 1 else folders.pop() if len(folders) == 1 else "."
    return Source(id=source_id, kind="prisma", dialect=dialect, root=root, files=files)


def sql_source(root: Path, dialect: str) -> Source:
    """Prisma's SQL as a one-file schema source, the way the SQL reader gets it."""
    return Source(id=MIGRATION, kind="sql-schema", dialect=dialect, root=root, files=(MIGRATION,))


@functools.cache
def engine_sql(name: str, provider: str) -> str:
    """Prisma's SQL for a fixture (each fixture's engine run is shared by its tests)."""
    root = FIXTURES / name
    files = [(f, (root / f).read_text(encoding="utf-8")) for f in schema_files(root)]
    return migrate_diff(provider, files)


def read(source: Source) -> Any:
    from dbdrift.readers import read as read_source

    return read_source(source)


def explain(expected: dict[str, Any], actual: dict[str, Any], oracle: str) -> list[str]:
    """Every difference between the database and dbdrift, one per line."""
    lines: list[str] = []
    want, got = expected["tables"], actual["tables"]
    for name in sorted(want.keys() | got.keys()):
        a, b = want.get(name), got.get(name)
        if a is None or b is None:
            lines.append(f"table {name}: in {oracle} {a is not None}, in dbdrift {b is not None}")
            continue
        for field in a:
            if field == "columns" and a[field] != b[field]:
                lines.extend(_column_differences(name, a[field], b[field], oracle))
            elif a[field] != b[field]:
                lines.append(_pair(f"{name} {field}", oracle, a[field], b[field]))
    if expected["enums"] != actual["enums"]:
        lines.append(_pair("enums", oracle, expected["enums"], actual["enums"]))
    return lines


def _pair(what: str, oracle: str, theirs: Any, ours: Any) -> str:
    return f"{what}:\n  {oracle:<8} {theirs}\n  {'dbdrift':<8} {ours}"


def _column_differences(table: str, want: list, got: list, oracle: str) -> list[str]:
    lines = []
    names_want, names_got = [c[0] for c in want], [c[0] for c in got]
    if names_want != names_got:
        lines.append(_pair(f"{table} column order", oracle, names_want, names_got))
    by_name = {c[0]: c for c in got}
    for column in want:
        mine = by_name.get(column[0])
        if mine is not None and mine != column:
            lines.append(_pair(f"{table}.{column[0]}", oracle, column, mine))
    return lines


def assert_same(expected: dict[str, Any], schema: Any, oracle: str) -> None:
    """dbdrift's schema projects exactly to the catalog, and was read without errors."""
    actual = project(schema)
    problems = explain(expected, actual, oracle)
    problems += [f"error: {e.origin.path}:{e.origin.line}: {e.message}" for e in schema.errors]
    if problems:
        pytest.fail(f"{len(problems)} differences:\n" + "\n".join(problems), pytrace=False)
    assert actual == expected
    assert not schema.errors


# --- the fixtures and the engine themselves ------------------------------------------------


def test_every_fixture_is_listed() -> None:
    """Each folder under fixtures/prisma is listed once, with its datasource's provider."""
    listed = {
        **dict.fromkeys(POSTGRES_FIXTURES, "postgresql"),
        **dict.fromkeys(SQLITE_FIXTURES, "sqlite"),
        **dict.fromkeys(MYSQL_FIXTURES, "mysql"),
    }
    assert len(listed) == len(POSTGRES_FIXTURES + SQLITE_FIXTURES + MYSQL_FIXTURES)
    assert {p.name for p in FIXTURES.iterdir() if p.is_dir()} == set(listed)
    assert len(listed) >= MIN_FIXTURES
    for name, provider in listed.items():
        root = FIXTURES / name
        text = "\n".join((root / f).read_text(encoding="utf-8") for f in schema_files(root))
        assert _PROVIDER.findall(text) == [provider], name
    assert all((FIXTURES / name / "expected.sql").is_file() for name in MYSQL_FIXTURES)


TINY = """\
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

enum Kind {
  A
  B @map("b")
}

model Owner {
  id   Int    @id @default(autoincrement())
  pets Pet[]
}

model Pet {
  id      String  @id @default(uuid()) @db.Uuid
  name    String  @db.VarChar(40)
  kind    Kind    @default(B)
  ownerId Int?
  owner   Owner?  @relation(fields: [ownerId], references: [id])

  @@index([name])
}
"""

# Checked by hand against Prisma's documented PostgreSQL mapping and naming conventions.
TINY_SQL = """\
-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Kind" AS ENUM ('A', 'b');

-- CreateTable
CREATE TABLE "Owner" (
    "id" SERIAL NOT NULL,

    CONSTRAINT "Owner_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Pet" (
    "id" UUID NOT NULL,
    "name" VARCHAR(40) NOT NULL,
    "kind" "Kind" NOT NULL DEFAULT 'b',
    "ownerId" INTEGER,

    CONSTRAINT "Pet_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Pet_name_idx" ON "Pet"("name");

-- AddForeignKey
ALTER TABLE "Pet" ADD CONSTRAINT "Pet_ownerId_fkey" FOREIGN KEY ("ownerId") \
REFERENCES "Owner"("id") ON DELETE SET NULL ON UPDATE CASCADE;
"""


def test_engine_itself() -> None:
    """The engine's SQL for a tiny schema, checked by hand: the oracle is the real thing."""
    assert migrate_diff("postgresql", [("schema.prisma", TINY)]) == TINY_SQL


def test_engine_reports_an_invalid_schema() -> None:
    broken = TINY.replace("model Pet {", "model Pet {\n  oops Strin")
    with pytest.raises(EngineError, match="Strin"):
        migrate_diff("postgresql", [("schema.prisma", broken)])


def test_engine_refuses_mysql() -> None:
    with pytest.raises(EngineError, match="mysql"):
        migrate_diff("mysql", [("schema.prisma", TINY.replace("postgresql", "mysql"))])


def test_without_urls_keeps_lines() -> None:
    stripped = without_urls(TINY)
    assert "env(" not in stripped
    assert stripped.count("\n") == TINY.count("\n")
    assert without_urls("model X {\n  url String @id\n}\n") == "model X {\n  url String @id\n}\n"


@pytest.mark.parametrize("name", POSTGRES_FIXTURES)
def test_engine_output_is_real(name: str) -> None:
    """Non-empty, opening with the schema creation, creating tables: a dead engine fails."""
    sql = engine_sql(name, "postgresql")
    statements = [line for line in sql.splitlines() if line and not line.startswith("--")]
    assert statements[0].startswith("CREATE SCHEMA IF NOT EXISTS ")
    assert 'CREATE SCHEMA IF NOT EXISTS "public";' in statements
    assert any(line.startswith("CREATE TABLE ") for line in statements)


@pytest.mark.parametrize("name", SQLITE_FIXTURES)
def test_engine_output_is_real_sqlite(name: str) -> None:
    sql = engine_sql(name, "sqlite")
    assert sql.lstrip().startswith("-- CreateTable\nCREATE TABLE ")


# --- PostgreSQL ------------------------------------------------------------------------------


def applied_postgres(dsn: str, name: str, tmp_path: Path) -> dict[str, Any]:
    """Prisma's SQL for the fixture, applied to the scratch database; its catalog."""
    (tmp_path / MIGRATION).write_text(engine_sql(name, "postgresql"), encoding="utf-8")
    refused = postgres.apply_stream(dsn, tmp_path, [MIGRATION])
    assert not refused, "PostgreSQL refused Prisma's SQL:\n" + "\n".join(map(str, refused))
    return postgres.introspect(dsn)


@pytest.mark.postgres
@pytest.mark.parametrize("name", POSTGRES_FIXTURES)
def test_prisma_reader_matches_postgres(name: str, pg_scratch: str, tmp_path: Path) -> None:
    expected = applied_postgres(pg_scratch, name, tmp_path)
    assert_same(expected, read(prisma_source(name, "postgresql")), "postgres")


@pytest.mark.postgres
@pytest.mark.parametrize("name", POSTGRES_FIXTURES)
def test_sql_reader_matches_postgres(name: str, pg_scratch: str, tmp_path: Path) -> None:
    expected = applied_postgres(pg_scratch, name, tmp_path)
    assert_same(expected, read(sql_source(tmp_path, "postgresql")), "postgres")


# --- SQLite ----------------------------------------------------------------------------------


def applied_sqlite(name: str, tmp_path: Path) -> dict[str, Any]:
    (tmp_path / MIGRATION).write_text(engine_sql(name, "sqlite"), encoding="utf-8")
    conn, refused = sqlite.apply_stream(tmp_path, [MIGRATION])
    try:
        assert not refused, "SQLite refused Prisma's SQL:\n" + "\n".join(map(str, refused))
        return sqlite.introspect(conn)
    finally:
        conn.close()


@pytest.mark.parametrize("name", SQLITE_FIXTURES)
def test_prisma_reader_matches_sqlite(name: str, tmp_path: Path) -> None:
    expected = applied_sqlite(name, tmp_path)
    assert_same(expected, read(prisma_source(name, "sqlite")), "sqlite")


@pytest.mark.parametrize("name", SQLITE_FIXTURES)
def test_sql_reader_matches_sqlite(name: str, tmp_path: Path) -> None:
    expected = applied_sqlite(name, tmp_path)
    assert_same(expected, read(sql_source(tmp_path, "sqlite")), "sqlite")


# --- MySQL (Prisma's documented mapping, on MariaDB) -----------------------------------------


@pytest.fixture(scope="module")
def mariadb_server() -> mariadb.Server:
    """A reachable MariaDB server: skipped without one, a failure without one under CI."""
    return mariadb.find_server()


@pytest.mark.mariadb
@pytest.mark.parametrize("name", MYSQL_FIXTURES)
def test_prisma_reader_matches_mariadb(name: str, mariadb_server: mariadb.Server) -> None:
    root = FIXTURES / name
    with mariadb.scratch_database(mariadb_server) as database:
        refused = mariadb.apply_files(mariadb_server, database, root, ("expected.sql",))
        assert not refused, "MariaDB refused expected.sql:\n" + "\n".join(map(str, refused))
        expected = mariadb.introspect(mariadb_server, database)
    assert_same(expected, read(prisma_source(name, "mysql")), "mariadb")
