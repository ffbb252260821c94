"""SQL fixes converge: the base stream plus the rendered statement gives the target column,
both in dbdrift's own replay and in the real database (PostgreSQL, MariaDB)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixing import replay, shape, table_of

from dbdrift import fix
from dbdrift.findings import Edit
from dbdrift.schema import Table
from oracle.compare import project

PG_BASE = """
CREATE TABLE users (
    id serial PRIMARY KEY,
    name text,
    score integer DEFAULT 0,
    email varchar(50),
    code varchar(10)
);
CREATE TABLE posts (id bigserial PRIMARY KEY, user_id integer NOT NULL, title text);
"""

# (action, the target column as a column clause of `users`, the old name)
PG_COLUMN_CASES = [
    ("alter-column", "name varchar(100) NOT NULL DEFAULT 'anon'", None),
    ("alter-column", "score bigint", None),
    ("alter-column", "code integer", None),
    ("alter-column", "score text DEFAULT 'zero'", None),
    ("alter-column", "email varchar(50) NOT NULL", None),
    ("alter-column", "email varchar(50) DEFAULT lower('X')", None),
    ("add-column", "created_at timestamptz NOT NULL DEFAULT now()", None),
    ("add-column", '"Order" numeric(10,2) DEFAULT 1.5', None),
    ("add-column", "tags text[] DEFAULT '{}'", None),
    ("map-column", "full_name text", "name"),
]


def _edit(action: str, kind: str, dialect: str, table: Table, **fields: object) -> Edit:
    return Edit(action, "db/migrations", kind, dialect, table, **fields)  # type: ignore[arg-type]


def _pg_apply(dsn: str, root: Path, steps: list[str]) -> dict:
    from oracle.postgres import apply_stream, introspect

    files = tuple(f"db/migrations/{i:03d}_step.sql" for i in range(1, len(steps) + 1))
    refused = apply_stream(dsn, root, files)
    assert refused == [], refused
    return introspect(dsn)


def _pg_column(catalog: dict, table: str, name: str) -> tuple[object, ...] | None:
    columns = catalog["tables"][f"public.{table}"]["columns"]
    return next((tuple(c[:4]) for c in columns if c[0] == name), None)


@pytest.mark.postgres
@pytest.mark.parametrize(("action", "clause", "old"), PG_COLUMN_CASES)
def test_postgres_column_fix_converges(
    tmp_path: Path, pg_scratch: str, action: str, clause: str, old: str | None
) -> None:
    base = replay(tmp_path / "base", "postgresql", [PG_BASE]).table("users")
    target_table = table_of(
        tmp_path, "postgresql", [f"CREATE TABLE users (id serial PRIMARY KEY, {clause});"], "users"
    )
    target = target_table.columns[1]
    assert base is not None
    snippet = fix.render(
        _edit(action, "sql-migrations", "postgresql", base, column=target, old=old)
    )
    assert snippet.language == "sql"

    root = tmp_path / "repo"
    ours = replay(root, "postgresql", [PG_BASE, snippet.text]).table("users")
    assert ours is not None
    assert shape(ours.column(target.name)) == shape(target), snippet.text
    if old is not None:
        assert ours.column(old) is None

    catalog = _pg_apply(pg_scratch, root, [PG_BASE, snippet.text])
    assert _pg_column(catalog, "users", target.name) == shape(target), snippet.text
    assert project(replay(tmp_path / "again", "postgresql", [PG_BASE, snippet.text])) == catalog


COMMENTS = """
CREATE TABLE comments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    body text NOT NULL DEFAULT '',
    "select" boolean,
    UNIQUE (post_id, body)
);
CREATE INDEX comments_body_idx ON comments (body);
"""


@pytest.mark.postgres
def test_postgres_add_table_converges(tmp_path: Path, pg_scratch: str) -> None:
    target = table_of(tmp_path, "postgresql", [PG_BASE, COMMENTS], "comments")
    snippet = fix.render(_edit("add-table", "sql-migrations", "postgresql", target))
    assert "CREATE TABLE comments" in snippet.text
    assert '"select" boolean' in snippet.text

    root = tmp_path / "repo"
    ours = project(replay(root, "postgresql", [PG_BASE, snippet.text]))
    expected = project(replay(tmp_path / "t", "postgresql", [PG_BASE, COMMENTS]))
    assert ours["tables"]["public.comments"] == expected["tables"]["public.comments"]
    catalog = _pg_apply(pg_scratch, root, [PG_BASE, snippet.text])
    assert catalog["tables"]["public.comments"] == expected["tables"]["public.comments"]


@pytest.mark.postgres
def test_postgres_table_and_key_fixes_converge(tmp_path: Path, pg_scratch: str) -> None:
    """map-table, add-foreign-key, drop-column and drop-table, one after the other."""
    base = replay(tmp_path / "base", "postgresql", [PG_BASE])
    users, posts = base.table("users"), base.table("posts")
    assert users is not None and posts is not None
    renamed = Table("members", columns=users.columns, primary_key=users.primary_key)
    with_fk = table_of(
        tmp_path,
        "postgresql",
        [
            PG_BASE,
            "ALTER TABLE posts ADD FOREIGN KEY (user_id) REFERENCES users ON DELETE SET NULL;",
        ],
        "posts",
    )
    fk = with_fk.foreign_keys[0]
    edits = [
        _edit("add-foreign-key", "sql-migrations", "postgresql", posts, foreign_key=fk),
        _edit("drop-column", "sql-migrations", "postgresql", posts, column=posts.column("title")),
        _edit("map-table", "sql-migrations", "postgresql", renamed, old="users"),
    ]
    snippets = [fix.render(e) for e in edits]
    assert [s.unsafe for s in snippets] == [False, True, False]
    steps = [PG_BASE, *(s.text for s in snippets)]

    root = tmp_path / "repo"
    ours = project(replay(root, "postgresql", steps))
    catalog = _pg_apply(pg_scratch, root, steps)
    assert ours == catalog
    assert set(catalog["tables"]) == {"public.members", "public.posts"}
    assert [c[0] for c in catalog["tables"]["public.posts"]["columns"]] == ["id", "user_id"]
    keys = catalog["tables"]["public.posts"]["foreign_keys"]
    assert [k[3] for k in keys] == ["members"] and keys[0][5] == "SET NULL"

    drops = [
        fix.render(
            _edit("drop-foreign-key", "sql-migrations", "postgresql", posts, foreign_key=fk)
        ),
        fix.render(_edit("drop-table", "sql-migrations", "postgresql", posts)),
    ]
    assert all(s.unsafe for s in drops)
    after = replay(tmp_path / "drops", "postgresql", [*steps, drops[0].text])
    assert after.table("posts").foreign_keys == ()  # type: ignore[union-attr]
    gone = replay(tmp_path / "gone", "postgresql", [*steps, *(d.text for d in drops)])
    assert gone.table("posts") is None


def test_quoting_only_when_needed(tmp_path: Path) -> None:
    table = table_of(
        tmp_path, "postgresql", ['CREATE TABLE "order" (id int, "Name" text, plain text);'], "order"
    )
    for dialect, expected in (
        ("postgresql", 'ALTER TABLE "order" RENAME COLUMN plain TO "Name";'),
        ("mysql", "ALTER TABLE `order` RENAME COLUMN plain TO Name;"),
        ("sqlite", 'ALTER TABLE "order" RENAME COLUMN plain TO Name;'),
    ):
        edit = _edit("map-column", "sql-migrations", dialect, table, column=table.columns[1])
        edit = Edit(**{**_fields(edit), "old": "plain"})
        assert fix.render(edit).text == expected


def _fields(edit: Edit) -> dict[str, object]:
    return {name: getattr(edit, name) for name in Edit.__slots__}  # type: ignore[attr-defined]


def test_regenerate_names_the_command(tmp_path: Path) -> None:
    table = table_of(tmp_path, "postgresql", ["CREATE TABLE t (id int);"], "t")
    edit = Edit(
        "regenerate", "db/schema.sql", "sql-schema", "postgresql", table, old="db/migrations"
    )
    snippet = fix.render(edit)
    assert snippet.language == "sql"
    assert "dbdrift schema . --source db/migrations --format sql > db/schema.sql" in snippet.text
    assert all(line.startswith("--") for line in snippet.text.splitlines())


def test_sqlite_alter_is_a_rebuild_comment(tmp_path: Path) -> None:
    table = table_of(tmp_path, "sqlite", ["CREATE TABLE t (id INTEGER, name TEXT);"], "t")
    edit = _edit("alter-column", "sql-migrations", "sqlite", table, column=table.columns[1])
    text = fix.render(edit).text
    assert "rebuild" in text and all(line.startswith("--") for line in text.splitlines())


def test_other_kinds_get_a_sentence(tmp_path: Path) -> None:
    table = table_of(tmp_path, "postgresql", ["CREATE TABLE t (id int, n text);"], "t")
    edit = Edit(
        "add-column", "app/models.py", "django", "postgresql", table, column=table.columns[1]
    )
    snippet = fix.render(edit)
    assert snippet.language == "text"
    assert "t.n" in snippet.text and "app/models.py" in snippet.text


MY_BASE = """CREATE TABLE users (
    id int PRIMARY KEY AUTO_INCREMENT,
    name varchar(20),
    score int DEFAULT 0
);
"""

MY_CASES = [
    ("alter-column", "name varchar(100) NOT NULL DEFAULT 'anon'", None),
    ("alter-column", "score bigint", None),
    ("add-column", "created_at datetime DEFAULT current_timestamp()", None),
    ("add-column", "`order` int NOT NULL DEFAULT 1", None),
    ("map-column", "full_name varchar(20)", "name"),
]


@pytest.mark.mariadb
@pytest.mark.parametrize(("action", "clause", "old"), MY_CASES)
def test_mariadb_column_fix_converges(
    tmp_path: Path, action: str, clause: str, old: str | None
) -> None:
    from oracle.mariadb import apply_files, find_server, introspect, scratch_database

    base = replay(tmp_path / "base", "mysql", [MY_BASE]).table("users")
    target = table_of(
        tmp_path, "mysql", [f"CREATE TABLE users (id int PRIMARY KEY, {clause});"], "users"
    ).columns[1]
    assert base is not None
    snippet = fix.render(_edit(action, "sql-migrations", "mysql", base, column=target, old=old))

    root = tmp_path / "repo"
    ours = replay(root, "mysql", [MY_BASE, snippet.text]).table("users")
    assert ours is not None
    assert shape(ours.column(target.name)) == shape(target), snippet.text

    server = find_server()
    files = ("db/migrations/001_step.sql", "db/migrations/002_step.sql")
    with scratch_database(server) as database:
        assert apply_files(server, database, root, files) == []
        columns = introspect(server, database)["tables"]["users"]["columns"]
    found = next((tuple(c[:4]) for c in columns if c[0] == target.name), None)
    assert found == shape(target), snippet.text


def test_an_incomplete_edit_falls_back_to_a_sentence(tmp_path: Path) -> None:
    table = table_of(tmp_path, "postgresql", ["CREATE TABLE t (id int);"], "t")
    for kind in ("sql-migrations", "prisma", "sqlalchemy"):
        snippet = fix.render(Edit("add-foreign-key", "x", kind, "postgresql", table))
        assert snippet.language == "text" and "t" in snippet.text
