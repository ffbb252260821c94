"""Bad input through the command line: every problem is a located entry, exit 0, no traceback.

Each test builds a small repository in tmp_path, runs ``dbdrift sources`` and/or ``dbdrift
schema`` through `run`, and checks the JSON payload: the error carries the file and line,
what comes after a bad statement is still replayed, and stderr stays empty.
"""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path
from typing import Any

from dbdrift.cli import EXIT_OK, run
from trees import write

USERS = "CREATE TABLE users (\n    id serial PRIMARY KEY,\n    email text NOT NULL\n);\n"

# The 20 MB migration must be read whole; these bounds are far above what a healthy run
# takes (see the report in the test) and catch a quadratic slip, not a slow machine.
BIG_BYTES = 20 * 1024 * 1024
BIG_SOURCES_SECONDS = 10.0
BIG_SCHEMA_SECONDS = 90.0


def run_json(*argv: str) -> dict[str, Any]:
    """Run a command that must succeed quietly and return its JSON payload."""
    out, err = io.StringIO(), io.StringIO()
    code = run([*argv, "--format", "json"], out, err)
    assert (code, err.getvalue()) == (EXIT_OK, "")
    return json.loads(out.getvalue())


def errors(doc: dict[str, Any]) -> list[tuple[str, int, str]]:
    return [(e["origin"]["path"], e["origin"]["line"], e["message"]) for e in doc["errors"]]


def table_names(doc: dict[str, Any]) -> list[str]:
    return [t["name"] for t in doc["tables"]]


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    data = b"-- legacy dump\n" + USERS.encode() + b"CREATE TABLE caf\xe9 (id int);\n"
    write(tmp_path, {"db/schema.sql": data})
    sources = run_json("sources", str(tmp_path))
    assert [s["id"] for s in sources["sources"]] == ["db/schema.sql"]
    doc = run_json("schema", str(tmp_path), "--source", "db/schema.sql")
    offset = data.index(b"\xe9")
    assert errors(doc) == [("db/schema.sql", 6, f"not UTF-8: byte 0xe9 at offset {offset}")]


def test_binary_file_named_sql(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"backup/data.sql": b"PGDMP\x01\x0e\x00\x04\x08\x01\x01\x01\n" + bytes(range(256))},
    )
    sources = run_json("sources", str(tmp_path))
    assert [(s["id"], s["kind"]) for s in sources["sources"]] == [("backup/data.sql", "sql-schema")]
    doc = run_json("schema", str(tmp_path), "--source", "backup/data.sql")
    assert errors(doc) == [("backup/data.sql", 1, "binary file (contains a NUL byte); not SQL")]
    assert doc["tables"] == []


def test_empty_file_alone_and_in_a_stream(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "db/empty.sql": "",
            "migrations/001_users.sql": USERS,
            "migrations/002_nothing_yet.sql": "",
            "migrations/003_orders.sql": "CREATE TABLE orders (id int);\n",
        },
    )
    sources = run_json("sources", str(tmp_path))
    assert sources["skipped"] == [{"path": "db/empty.sql", "reason": "empty file"}]
    stream = sources["sources"][0]
    assert stream["files"][1] == "migrations/002_nothing_yet.sql"
    doc = run_json("schema", str(tmp_path), "--source", "migrations")
    assert (table_names(doc), doc["errors"]) == (["users", "orders"], [])


def test_syntax_error_in_the_middle_of_a_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "migrations/001_init.sql": (
                f"{USERS}\n"  # lines 1-4
                "CREATE TABLEE projects (\n"  # line 6
                "    id int\n"
                ");\n"
                "\n"
                "CREATE TABLE tasks (\n"
                "    id int PRIMARY KEY,\n"
                "    title text\n"
                ");\n"
            ),
            "migrations/002_more.sql": "ALTER TABLE tasks ADD COLUMN done boolean;\n",
        },
    )
    doc = run_json("schema", str(tmp_path), "--source", "migrations")
    assert errors(doc) == [("migrations/001_init.sql", 6, 'syntax error at or near "TABLEE"')]
    assert table_names(doc) == ["users", "tasks"]
    tasks = doc["tables"][1]
    assert [c["name"] for c in tasks["columns"]] == ["id", "title", "done"]


def test_unterminated_dollar_quote(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "migrations/001_init.sql": USERS,
            "migrations/002_trigger.sql": (
                "CREATE TABLE audit (id int, at timestamptz);\n"  # line 1
                "\n"
                "CREATE FUNCTION touch() RETURNS trigger\n"  # line 3
                "LANGUAGE plpgsql AS $body$\n"  # line 4: the quote opens
                "BEGIN\n"
                "  NEW.at := now();\n"
                "  RETURN NEW;\n"
                "END;\n"
            ),
        },
    )
    doc = run_json("schema", str(tmp_path), "--source", "migrations")
    assert [(path, line) for path, line, _ in errors(doc)] == [("migrations/002_trigger.sql", 4)]
    assert "unterminated dollar-quoted string" in doc["errors"][0]["message"]
    assert table_names(doc) == ["users", "audit"]


def test_statement_still_open_at_the_end_of_a_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "migrations/001_init.sql": USERS,
            "migrations/002_cut.sql": (
                "CREATE TABLE audit (id int);\n"  # line 1
                "-- the rest was lost in a merge\n"
                "CREATE TABLE oops (\n"  # line 3: never closed
                "    id int\n"
            ),
            "migrations/003_more.sql": "CREATE TABLE later (id int);\n",
        },
    )
    doc = run_json("schema", str(tmp_path), "--source", "migrations")
    assert errors(doc) == [("migrations/002_cut.sql", 3, "syntax error at end of input")]
    assert table_names(doc) == ["users", "audit", "later"]


def test_symlink_loop_in_the_tree(tmp_path: Path) -> None:
    write(tmp_path, {"db/migrations/001_init.sql": USERS})
    os.symlink("../..", tmp_path / "db" / "migrations" / "again")
    sources = run_json("sources", str(tmp_path))
    assert [s["id"] for s in sources["sources"]] == ["db/migrations"]
    assert errors(sources) == [
        (
            "db/migrations/again",
            1,
            "symlink loop: db/migrations/again points back to its ancestor .",
        )
    ]
    doc = run_json("schema", str(tmp_path), "--source", "db/migrations")
    assert (table_names(doc), doc["errors"]) == (["users"], [])


def test_broken_symlink_named_sql(tmp_path: Path) -> None:
    write(tmp_path, {"db/schema.sql": USERS})
    os.symlink("gone.sql", tmp_path / "db" / "old.sql")
    sources = run_json("sources", str(tmp_path))
    assert sources["skipped"] == [{"path": "db/old.sql", "reason": "broken symlink"}]
    assert [s["id"] for s in sources["sources"]] == ["db/schema.sql"]


def _big_dump(path: Path) -> int:
    """A 20 MB migration as pg_dump --inserts writes one: DDL, rows, then more DDL."""
    parts = [
        "CREATE TABLE events (\n"
        "    id bigserial PRIMARY KEY,\n"
        "    kind character varying(40) NOT NULL,\n"
        "    payload jsonb,\n"
        "    created_at timestamp with time zone DEFAULT now() NOT NULL\n"
        ");\n\n"
    ]
    size, rows = len(parts[0]), 0
    while size < BIG_BYTES:
        row = (
            f"INSERT INTO events (kind, payload) VALUES ('signup', "
            f'\'{{"user": {rows}, "note": "it\'\'s; fine -- really"}}\');\n'
        )
        parts.append(row)
        size += len(row)
        rows += 1
    parts.append("\nCREATE TABLE after_the_rows (\n    id integer PRIMARY KEY\n);\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(parts), encoding="utf-8")
    return rows


def test_20_mb_migration_is_read_whole(tmp_path: Path) -> None:
    rows = _big_dump(tmp_path / "migrations" / "001_dump.sql")
    write(tmp_path, {"migrations/002_after.sql": "ALTER TABLE after_the_rows ADD COLUMN n int;\n"})
    assert (tmp_path / "migrations" / "001_dump.sql").stat().st_size >= BIG_BYTES

    started = time.perf_counter()
    sources = run_json("sources", str(tmp_path))
    sources_seconds = time.perf_counter() - started
    assert [s["id"] for s in sources["sources"]] == ["migrations"]

    started = time.perf_counter()
    doc = run_json("schema", str(tmp_path), "--source", "migrations")
    schema_seconds = time.perf_counter() - started
    print(f"\n20 MB, {rows} rows: sources {sources_seconds:.2f}s, schema {schema_seconds:.2f}s")

    assert doc["errors"] == []
    assert table_names(doc) == ["events", "after_the_rows"]
    assert [c["name"] for c in doc["tables"][1]["columns"]] == ["id", "n"]
    assert sources_seconds < BIG_SOURCES_SECONDS
    assert schema_seconds < BIG_SCHEMA_SECONDS


BROKEN_PRISMA = """\
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  posts Post[]
}

model Broken {
  id    Int @id
  title String @default("x"
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String @shiny
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])
  editor   Ghost?
  slug     String @db.Sparkly(3)
}
"""


def test_prisma_schema_with_every_kind_of_problem(tmp_path: Path) -> None:
    write(tmp_path, {"prisma/schema.prisma": BROKEN_PRISMA})
    sources = run_json("sources", str(tmp_path))
    assert [(s["id"], s["kind"]) for s in sources["sources"]] == [
        ("prisma/schema.prisma", "prisma")
    ]
    doc = run_json("schema", str(tmp_path), "--source", "prisma/schema.prisma")
    lines = sorted(line for _path, line, _message in errors(doc))
    # the syntax error in Broken, the unknown attribute, the missing model, the native type
    assert lines == [14, 19, 22, 23], errors(doc)
    assert all(path == "prisma/schema.prisma" for path, _line, _message in errors(doc))
    assert "User" in table_names(doc)
    assert "Post" in table_names(doc)
    assert "Broken" not in table_names(doc)
