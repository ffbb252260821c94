"""Names PostgreSQL chooses itself (constraints, indexes, sequences), checked against it.

Each case is a small script; PostgreSQL runs it and the catalog's names must equal the ones
dbdrift's replay derives, including 63-byte truncation and numbered collisions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dbdrift.readers.sql import read
from dbdrift.source import Source
from oracle.compare import project
from oracle.postgres import apply_stream, introspect

LONG = "a_table_name_that_is_really_quite_long_for_a_database_table"

CASES = {
    "truncated-constraint-names": f"""
        CREATE TABLE {LONG} (
            id serial PRIMARY KEY,
            another_rather_long_column_name_for_the_test integer UNIQUE,
            CHECK (another_rather_long_column_name_for_the_test > 0)
        );
        CREATE INDEX ON {LONG} (another_rather_long_column_name_for_the_test, id);
    """,
    "numbered-collisions": """
        CREATE TABLE t (a int, b int);
        ALTER TABLE t ADD UNIQUE (a);
        ALTER TABLE t ADD UNIQUE (a);
        CREATE INDEX ON t (a);
        CREATE INDEX ON t (a);
        CREATE INDEX ON t (lower(a::text));
        CREATE INDEX ON t (lower(a::text), upper(b::text));
        ALTER TABLE t ADD CHECK (a > 0), ADD CHECK (a < 10), ADD CHECK (a < b);
    """,
    "foreign-key-names": """
        CREATE TABLE parent (a int, b int, PRIMARY KEY (a, b));
        CREATE TABLE child (
            x int, y int,
            FOREIGN KEY (x, y) REFERENCES parent ON DELETE CASCADE ON UPDATE SET NULL
        );
        ALTER TABLE child ADD FOREIGN KEY (x, y) REFERENCES parent;
    """,
    "sequence-name-taken": """
        CREATE SEQUENCE items_id_seq;
        CREATE TABLE items (id serial PRIMARY KEY, n bigserial);
    """,
    "index-name-taken-by-table": """
        CREATE TABLE t_a_key (x int);
        CREATE TABLE t (a int UNIQUE);
    """,
    "quoted-and-mixed-case": """
        CREATE TABLE "UserProfile" ("userId" int PRIMARY KEY, "displayName" text UNIQUE);
        CREATE INDEX ON "UserProfile" ("displayName", "userId");
        CREATE TABLE "select" ("from" int PRIMARY KEY);
    """,
}


@pytest.mark.postgres
@pytest.mark.parametrize("case", sorted(CASES))
def test_chosen_names_match_postgres(case: str, pg_scratch: str, tmp_path: Path) -> None:
    (tmp_path / "case.sql").write_text(CASES[case])
    refused = apply_stream(pg_scratch, tmp_path, ["case.sql"])
    assert refused == []
    schema = read(Source("case.sql", "sql-schema", "postgresql", tmp_path, ("case.sql",)))
    assert schema.errors == ()
    assert project(schema) == introspect(pg_scratch)
