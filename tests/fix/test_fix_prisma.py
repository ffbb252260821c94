"""Prisma fixes converge: the rendered field or model, put into a schema and read by
dbdrift's Prisma reader, gives the target column or table (read from SQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixing import read_repo, shape, table_of

from dbdrift import fix
from dbdrift.findings import Edit
from dbdrift.schema import Schema, Table

DATASOURCE = 'datasource db {{\n  provider = "{provider}"\n  url      = env("DATABASE_URL")\n}}\n'

USER_MODEL = """
model User {
  id       Int     @id @default(autoincrement())
  fullName String?
  // FIELDS
  @@map("users")
}
"""


def _schema(root: Path, provider: str, models: str) -> Schema:
    sources = read_repo(
        root, {"prisma/schema.prisma": DATASOURCE.format(provider=provider) + models}
    )
    schema = sources["prisma/schema.prisma"]
    assert schema.errors == (), schema.errors
    return schema


def _edit(action: str, dialect: str, table: Table, **fields: object) -> Edit:
    return Edit(action, "prisma/schema.prisma", "prisma", dialect, table, **fields)  # type: ignore[arg-type]


PG_COLUMNS = [
    "full_name varchar(255) NOT NULL",
    "created_at timestamptz(6) NOT NULL DEFAULT CURRENT_TIMESTAMP",
    "title text NOT NULL DEFAULT 'x'",
    "quote text DEFAULT 'it''s \"q\" \\ ok'",
    "active boolean NOT NULL DEFAULT true",
    "score numeric(10,2)",
    "uid uuid NOT NULL DEFAULT gen_random_uuid()",
    "n integer NOT NULL DEFAULT 5",
    "neg integer DEFAULT -1",
    "big bigint",
    "small smallint",
    "born date",
    "data jsonb DEFAULT '{}'",
    "tags text[]",
    "seen timestamp(3) without time zone DEFAULT now()",
    "ratio double precision DEFAULT 1.5",
    "ch char(2)",
    "addr inet",
    "label varchar(20) DEFAULT 'a'",
]

MY_COLUMNS = [
    "full_name varchar(255) NOT NULL",
    "active tinyint(1) NOT NULL DEFAULT 1",
    "created_at datetime(3) NOT NULL DEFAULT current_timestamp(3)",
    "title varchar(191) NOT NULL DEFAULT 'x'",
    "n int DEFAULT 5",
    "body text",
]


@pytest.mark.parametrize(
    ("provider", "dialect", "clause"),
    [("postgresql", "postgresql", c) for c in PG_COLUMNS]
    + [("mysql", "mysql", c) for c in MY_COLUMNS],
)
def test_add_column_converges(tmp_path: Path, provider: str, dialect: str, clause: str) -> None:
    table = table_of(
        tmp_path, dialect, [f"CREATE TABLE users (id int PRIMARY KEY, {clause});"], "users"
    )
    target = table.columns[1]
    snippet = fix.render(_edit("add-column", dialect, table, column=target))
    assert snippet.language == "prisma" and "\n" not in snippet.text
    schema = _schema(tmp_path / "repo", provider, USER_MODEL.replace("// FIELDS", snippet.text))
    users = schema.table("users")
    assert users is not None
    assert shape(users.column(target.name)) == shape(target), snippet.text


def test_alter_and_map_column_converge(tmp_path: Path) -> None:
    ddl = "CREATE TABLE users (id int PRIMARY KEY, full_name varchar(100) NOT NULL DEFAULT 'anon');"
    table = table_of(tmp_path, "postgresql", [ddl], "users")
    target = table.columns[1]
    mapped = fix.render(_edit("map-column", "postgresql", table, column=target, old="fullName"))
    assert mapped.text.startswith('fullName String @default("anon") @map("full_name")')
    models = USER_MODEL.replace("  fullName String?\n", f"  {mapped.text}\n")
    users = _schema(tmp_path / "repo", "postgresql", models).table("users")
    assert users is not None
    assert shape(users.column("full_name")) == shape(target)
    assert users.column("fullName") is None


def test_map_table_converges(tmp_path: Path) -> None:
    table = table_of(tmp_path, "postgresql", ["CREATE TABLE users (id int PRIMARY KEY);"], "users")
    snippet = fix.render(_edit("map-table", "postgresql", table, old="User"))
    line = snippet.text.splitlines()[-1]
    assert line == '@@map("users")'
    unmapped = USER_MODEL.replace('  @@map("users")\n', "")
    assert _schema(tmp_path / "before", "postgresql", unmapped).table("users") is None
    mapped = unmapped.replace("// FIELDS", line)
    assert _schema(tmp_path / "after", "postgresql", mapped).table("users") is not None


POSTS = """
CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE blog_posts (
    id bigserial PRIMARY KEY,
    author_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title varchar(200) NOT NULL DEFAULT 'untitled',
    body text,
    published_at timestamp(3) without time zone
);
"""


def test_add_table_converges(tmp_path: Path) -> None:
    target = table_of(tmp_path, "postgresql", [POSTS], "blog_posts")
    snippet = fix.render(_edit("add-table", "postgresql", target))
    assert snippet.text.startswith("model BlogPost {")
    model, _, back = snippet.text.partition("// and in each referenced model:")
    back_fields = [line.removeprefix("//").strip() for line in back.strip().splitlines()]
    assert back_fields == ["blogPosts BlogPost[]"]
    models = USER_MODEL.replace("// FIELDS", back_fields[0]) + "\n" + model
    schema = _schema(tmp_path / "repo", "postgresql", models)
    table = schema.table("blog_posts")
    assert table is not None
    assert [shape(c) for c in table.columns] == [shape(c) for c in target.columns]
    assert table.primary_key is not None and target.primary_key is not None
    assert table.primary_key.columns == target.primary_key.columns
    fks = [
        (f.columns, f.ref_table, f.ref_columns, f.on_delete, f.on_update)
        for f in table.foreign_keys
    ]
    want = [
        (f.columns, f.ref_table, f.ref_columns, f.on_delete, f.on_update)
        for f in target.foreign_keys
    ]
    assert fks == want


def test_add_foreign_key_is_a_relation_pair(tmp_path: Path) -> None:
    target = table_of(tmp_path, "postgresql", [POSTS], "blog_posts")
    edit = _edit("add-foreign-key", "postgresql", target, foreign_key=target.foreign_keys[0])
    text = fix.render(edit).text
    assert "author User @relation(fields: [authorId], references: [id], onDelete: Cascade" in text
    assert "blogPosts BlogPost[]" in text


def test_drops_are_comments_and_unsafe(tmp_path: Path) -> None:
    table = table_of(tmp_path, "postgresql", ["CREATE TABLE users (id int, n text);"], "users")
    for action in ("drop-table", "drop-column"):
        snippet = fix.render(_edit(action, "postgresql", table, column=table.columns[1]))
        assert snippet.unsafe and snippet.text.startswith("//")
