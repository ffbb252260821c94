"""Oracle test of the MySQL replay: each fixture stream, replayed vs really applied to MariaDB.

For every MySQL fixture under tests/fixtures/streams/, the same files go to dbdrift's SQL
reader and, through the ``mariadb`` command-line client, to a scratch MariaDB database; the
``information_schema`` MariaDB reports must equal dbdrift's projection, and the statements
MariaDB refused must be exactly the ones dbdrift reports as errors, at the same file and line.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dbdrift.source import Source
from oracle.compare import project
from oracle.mariadb import (
    MariaError,
    Server,
    apply_files,
    find_server,
    introspect,
    scratch_database,
)

FIXTURES = Path(__file__).parent / "fixtures"
STREAMS = FIXTURES / "streams"

# The MySQL fixtures; a new one must be listed here.  A dump is one schema file, not a
# migration stream, so it lives under fixtures/schemas/.
MYSQL_STREAMS = ("mysql_shop", "mysql_errors")
MYSQL_SCHEMAS = ("mysql_dump",)


@pytest.fixture(scope="module")
def mariadb() -> Server:
    """A reachable MariaDB server: skipped without one, a failure without one under CI."""
    return find_server()


@pytest.fixture
def mariadb_scratch(mariadb: Server) -> Iterator[tuple[Server, str]]:
    """A fresh empty database on it, dropped afterwards."""
    with scratch_database(mariadb) as name:
        yield mariadb, name


def natural_key(relative: str) -> tuple[object, ...]:
    """`2_x` before `10_x`: digit runs compare as numbers, the rest as text."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", relative)
        if part
    )


def make_source(name: str) -> Source:
    """The fixture as discovery would hand it over: its .sql files in natural numeric order."""
    kind = "sql-schema" if name in MYSQL_SCHEMAS else "sql-migrations"
    root = (FIXTURES / "schemas" if name in MYSQL_SCHEMAS else STREAMS) / name
    files = sorted((p.relative_to(root).as_posix() for p in root.rglob("*.sql")), key=natural_key)
    return Source(id=name, kind=kind, dialect="mysql", root=root, files=tuple(files))


def explain(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Every difference between MariaDB and dbdrift, one per line (the failure message only)."""
    lines: list[str] = []
    want, got = expected["tables"], actual["tables"]
    for name in sorted(want.keys() | got.keys()):
        a, b = want.get(name), got.get(name)
        if a is None or b is None:
            lines.append(f"table {name}: mariadb {a is not None}, dbdrift {b is not None}")
            continue
        for field in a:
            if a[field] != b[field]:
                lines.append(f"table {name} {field}:\n  mariadb {a[field]}\n  dbdrift {b[field]}")
    return lines


def explain_errors(refused: list[MariaError], replayed: list[Any]) -> list[str]:
    theirs = {(e.file, e.line): e for e in refused}
    ours = {(e.origin.path, e.origin.line): e for e in replayed}
    lines = [f"refused by mariadb only: {e}" for k, e in sorted(theirs.items()) if k not in ours]
    lines += [
        f"reported by dbdrift only: {k[0]}:{k[1]}: {e.message}"
        for k, e in sorted(ours.items())
        if k not in theirs
    ]
    return lines


@pytest.mark.mariadb
@pytest.mark.parametrize("name", MYSQL_STREAMS + MYSQL_SCHEMAS)
def test_replay_matches_mariadb(name: str, mariadb_scratch: tuple[Server, str]) -> None:
    from dbdrift.readers.sql import read

    server, database = mariadb_scratch
    source = make_source(name)
    refused = apply_files(server, database, source.root, source.files)
    expected = introspect(server, database)
    schema = read(source)
    actual = project(schema)
    problems = explain(expected, actual) + explain_errors(refused, list(schema.errors))
    if problems:
        pytest.fail(f"{len(problems)} differences:\n" + "\n".join(problems), pytrace=False)
    assert actual == expected
    assert {(e.origin.path, e.origin.line) for e in schema.errors} == {
        (e.file, e.line) for e in refused
    }


@pytest.mark.mariadb
def test_shop_has_exactly_one_refusal(mariadb_scratch: tuple[Server, str]) -> None:
    """The shop stream is meant to apply, but for one ALTER of a table created later."""
    server, database = mariadb_scratch
    source = make_source("mysql_shop")
    refused = apply_files(server, database, source.root, source.files)
    assert [(e.file, e.line, e.code) for e in refused] == [
        ("db/migrations/004_create_payments.sql", 13, 1146)
    ]


def test_fixture_sizes() -> None:
    """The shop stream keeps at least 8 files and 45 statements; errors has one per refusal."""
    from dbdrift.readers.sql.mysql import split

    shop = make_source("mysql_shop")
    assert len(shop.files) >= 8
    count = sum(len(split((shop.root / f).read_text(encoding="utf-8"))) for f in shop.files)
    assert count >= 45
    assert make_source("mysql_errors").files == (
        "migrations/V1__accounts.sql",
        "migrations/V2__billing.sql",
        "migrations/V3__recover.sql",
    )


@pytest.mark.mariadb
def test_oracle_itself(mariadb_scratch: tuple[Server, str], tmp_path: Path) -> None:
    """The oracle's own promises, on a stream small enough to check by hand."""
    server, database = mariadb_scratch
    (tmp_path / "1_a.sql").write_text(
        "-- leading comment\n"
        "CREATE TABLE p (id INT AUTO_INCREMENT PRIMARY KEY, doc JSON, n INT DEFAULT NULL,\n"
        "  s VARCHAR(5) DEFAULT 'NULL', d DECIMAL(6,2) NOT NULL DEFAULT 0);\n"
        "CREATE TABLE c (id INT, pid INT, CONSTRAINT fk FOREIGN KEY (pid) REFERENCES p (id));\n"
        "ALTER TABLE missing\n  ADD COLUMN x INT;\n"
        "DELIMITER //\nSELECT 1; SELECT 2 //\nDELIMITER ;\n",
        encoding="utf-8",
    )
    refused = apply_files(server, database, tmp_path, ("1_a.sql",))
    assert [(e.file, e.line, e.code) for e in refused] == [("1_a.sql", 5, 1146)]
    found = introspect(server, database)
    assert found["tables"]["p"]["columns"] == [
        ["id", "int(11)", False, None, "auto_increment", False],
        ["doc", "longtext", True, None, None, False],
        ["n", "int(11)", True, None, None, False],
        ["s", "varchar(5)", True, "'NULL'", None, False],
        ["d", "decimal(6,2)", False, "0.00", None, False],
    ]
    assert found["tables"]["p"]["checks"] == ["doc"]
    assert found["tables"]["c"]["foreign_keys"] == [
        ["fk", ["pid"], None, "p", ["id"], "RESTRICT", "RESTRICT"]
    ]
    assert found["tables"]["c"]["indexes"] == [["fk", ["pid"], False, False]]
    assert found["enums"] == {}


# -- generated streams: random but plausible migrations, replayed and applied alike --------

GEN_TABLES = ("users", "orders", "items", "tags")
GEN_COLUMNS = ("id", "user_id", "code", "amount", "note")
GEN_NEW_COLUMNS = ("status", "qty", "created_at", "flag", "code")
# type -> defaults that make sense for it
GEN_TYPES = {
    "INT": ("", " DEFAULT 0", " DEFAULT NULL", " DEFAULT '7'"),
    "INT UNSIGNED": ("", " DEFAULT 1"),
    "BIGINT UNSIGNED": ("", " DEFAULT 0"),
    "SMALLINT": ("", " DEFAULT -1"),
    "TINYINT(1)": ("", " DEFAULT 1", " DEFAULT FALSE"),
    "DECIMAL(10,2)": ("", " DEFAULT 0", " DEFAULT '1.5'"),
    "DOUBLE": ("", " DEFAULT 0.5"),
    "VARCHAR(20)": ("", " DEFAULT ''", " DEFAULT 'new'", " DEFAULT NULL"),
    "VARCHAR(255)": ("",),
    "CHAR(2)": ("", " DEFAULT 'FR'"),
    "TEXT": ("",),
    "JSON": ("",),
    "ENUM('a','b')": ("", " DEFAULT 'a'", " DEFAULT 'B'"),
    "DATETIME(3)": ("", " DEFAULT CURRENT_TIMESTAMP(3)"),
    "TIMESTAMP": ("", " DEFAULT CURRENT_TIMESTAMP", " NULL DEFAULT NULL"),
    "DATE": ("", " DEFAULT '2024-01-31'"),
}


def gen_column(rng: random.Random, name: str, keys: bool) -> str:
    """A column definition, with an inline key or reference when `keys`; the key-like
    columns are mostly INT, so that foreign keys to ``(id)`` often fit."""
    typ = rng.choice(("INT", "INT", "INT", *GEN_TYPES) if name.endswith("id") else list(GEN_TYPES))
    nullability = rng.choice(("", "", " NOT NULL", " NULL"))
    text = f"`{name}` {typ}{nullability}{rng.choice(GEN_TYPES[typ])}"
    if keys:
        text += rng.choice(
            (
                "",
                "",
                "",
                " UNIQUE",
                " PRIMARY KEY",
                " AUTO_INCREMENT PRIMARY KEY" if "INT" in typ else "",
                f" REFERENCES {rng.choice(GEN_TABLES)} (id)",
            )
        )
    return text


def gen_create(rng: random.Random) -> str:
    """CREATE TABLE with inline and table-level keys, a foreign key, a check."""
    table = rng.choice(GEN_TABLES)
    names = rng.sample(GEN_COLUMNS, rng.randint(1, 4))
    body = [gen_column(rng, n, True) for n in names]
    if rng.random() < 0.5:
        cols = rng.sample(names, rng.randint(1, len(names)))
        kind = rng.choice(("KEY", "INDEX", "UNIQUE KEY"))
        name = rng.choice(("", f"ix_{cols[0]} "))
        body.append(f"{kind} {name}({', '.join(cols)})")
    if rng.random() < 0.3:
        body.append(f"PRIMARY KEY ({names[0]})")
    if rng.random() < 0.5:
        constraint = rng.choice(("", f"CONSTRAINT fk_{table}_{names[-1]} "))
        action = rng.choice(("", " ON DELETE CASCADE", " ON DELETE SET NULL", " ON UPDATE CASCADE"))
        parent = rng.choice(GEN_TABLES)
        body.append(f"{constraint}FOREIGN KEY ({names[-1]}) REFERENCES {parent} (id){action}")
    if rng.random() < 0.2:
        body.append(f"CHECK ({names[0]} IS NOT NULL)")
    head = rng.choice(("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", "CREATE OR REPLACE TABLE"))
    return f"{head} `{table}` ({', '.join(body)}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"


def gen_action(rng: random.Random, table: str) -> str:
    """One ALTER TABLE action."""
    c, c2 = rng.choice(GEN_COLUMNS), rng.choice(GEN_COLUMNS)
    pos = rng.choice(("", "", " FIRST", f" AFTER {c2}"))
    r = rng.random()
    if r < 0.2:
        name = rng.choice(GEN_NEW_COLUMNS)
        return f"ADD COLUMN {gen_column(rng, name, rng.random() < 0.3)}{pos}"
    if r < 0.3:
        return f"DROP COLUMN {c}"
    if r < 0.42:
        return f"MODIFY {gen_column(rng, c, False)}{pos}"
    if r < 0.52:
        return f"CHANGE {c} {gen_column(rng, c2, False)}{pos}"
    if r < 0.56:
        return f"RENAME COLUMN {c} TO {c2}"
    if r < 0.6:
        return f"ALTER COLUMN {c} {rng.choice(('DROP DEFAULT', 'SET DEFAULT 3'))}"
    if r < 0.62:
        return f"ADD PRIMARY KEY ({c})"
    if r < 0.66:
        return f"DROP PRIMARY KEY, ADD PRIMARY KEY ({c})"
    if r < 0.76:
        name = rng.choice(("", f"CONSTRAINT fk_{table}_{c} "))
        return f"ADD {name}FOREIGN KEY ({c}) REFERENCES {rng.choice(GEN_TABLES)} (id)"
    if r < 0.8:
        return f"DROP FOREIGN KEY {rng.choice((f'fk_{table}_{c}', f'{table}_ibfk_1'))}"
    if r < 0.88:
        return f"ADD {rng.choice(('INDEX', 'UNIQUE', 'KEY ix_' + c))} ({c})"
    if r < 0.93:
        return f"DROP INDEX {rng.choice((c, 'ix_' + c, f'fk_{table}_{c}'))}"
    if r < 0.96:
        return f"ADD CONSTRAINT CHECK ({c} IS NOT NULL)"
    return f"RENAME TO {rng.choice(GEN_TABLES)}"


def gen_statement(rng: random.Random) -> str:
    """One statement: mostly ALTER TABLE, some DDL, FOREIGN_KEY_CHECKS and triggers."""
    table = rng.choice(GEN_TABLES)
    r = rng.random()
    if r < 0.2:
        return gen_create(rng)
    if r < 0.25:
        return f"DROP TABLE {rng.choice(('', 'IF EXISTS '))}{table}"
    if r < 0.29:
        return f"RENAME TABLE {table} TO {rng.choice(GEN_TABLES)}"
    if r < 0.33:
        unique = rng.choice(("", "UNIQUE "))
        return f"CREATE {unique}INDEX ix_{table} ON {table} ({rng.choice(GEN_COLUMNS)})"
    if r < 0.35:
        return f"DROP INDEX ix_{table} ON {table}"
    if r < 0.37:
        return f"SET FOREIGN_KEY_CHECKS = {rng.choice((0, 1))}"
    if r < 0.39:
        col = rng.choice(GEN_COLUMNS)
        return (
            f"DELIMITER $$\nCREATE TRIGGER trg_{table}_{col} BEFORE UPDATE ON {table}\n"
            f"FOR EACH ROW BEGIN\n  SET NEW.{col} = OLD.{col};\nEND$$\nDELIMITER ;\nSELECT 1"
        )
    actions = ", ".join(gen_action(rng, table) for _ in range(rng.randint(1, 3)))
    return f"ALTER TABLE `{table}` {actions}"


def gen_stream(seed: int, statements: int = 40) -> str:
    """A whole file, opening with the four tables; the same seed always gives the same text."""
    rng = random.Random(seed)
    base = [
        f"CREATE TABLE `{t}` (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, user_id INT,"
        " code VARCHAR(20), amount DECIMAL(10,2) NOT NULL DEFAULT 0, note TEXT)"
        for t in GEN_TABLES
    ]
    body = [gen_statement(rng) for _ in range(statements)]
    return "\n".join(f"{line};" for line in [*base, *body]) + "\n"


GENERATED_SEEDS = range(1, 101)


@pytest.mark.mariadb
@pytest.mark.parametrize("seed", GENERATED_SEEDS)
def test_generated_stream_matches_mariadb(
    seed: int, mariadb_scratch: tuple[Server, str], tmp_path: Path
) -> None:
    """A hundred random streams (fixed seeds) of creates, multi-action ALTERs, renames, drops,
    foreign keys with and without FOREIGN_KEY_CHECKS and triggers.  Most statements are
    refused (a table that is not there, a type that does not fit), which tests dbdrift's
    refusals as hard as the tables it builds."""
    from dbdrift.readers.sql import read

    server, database = mariadb_scratch
    (tmp_path / "1_generated.sql").write_text(gen_stream(seed), encoding="utf-8")
    files = ("1_generated.sql",)
    source = Source(id="gen", kind="sql-migrations", dialect="mysql", root=tmp_path, files=files)
    refused = apply_files(server, database, source.root, source.files)
    expected = introspect(server, database)
    schema = read(source)
    problems = explain(expected, project(schema)) + explain_errors(refused, list(schema.errors))
    assert not problems, f"seed {seed}:\n" + "\n".join(problems)
