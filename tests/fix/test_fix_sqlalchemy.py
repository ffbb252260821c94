"""SQLAlchemy fixes converge: the rendered ``Column`` or class, put into a models.py and read
by dbdrift's SQLAlchemy reader, gives the target column or table (read from SQL); and the
snippet is valid Python that the real SQLAlchemy accepts."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixing import read_repo, shape, table_of

from dbdrift import fix
from dbdrift.findings import Edit
from dbdrift.schema import Schema, Table

HEADER = """from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()
"""

USER_CLASS = """

class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    # FIELDS
"""


def _edit(action: str, table: Table, **fields: object) -> Edit:
    return Edit(action, "app/models.py", "sqlalchemy", "postgresql", table, **fields)  # type: ignore[arg-type]


def _split(text: str) -> tuple[list[str], str]:
    """The snippet's import lines and its code."""
    imports, _, code = text.partition("\n\n")
    return imports.splitlines(), code.strip("\n")


def _read(root: Path, imports: list[str], body: str) -> Schema:
    text = HEADER + "\n".join(imports) + "\n" + body
    sources = read_repo(root, {"app/models.py": text})
    schema = sources["app/models.py"]
    assert schema.errors == (), schema.errors
    return schema


def _exec(imports: list[str], body: str, ddl: bool = True) -> dict[str, object]:
    """Run the model module with the real SQLAlchemy, and compile its tables for PostgreSQL."""
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateTable

    namespace: dict[str, object] = {}
    exec(compile(HEADER + "\n".join(imports) + "\n" + body, "models.py", "exec"), namespace)
    base = namespace["Base"]
    for table in base.metadata.sorted_tables if ddl else ():  # type: ignore[attr-defined]
        str(CreateTable(table).compile(dialect=postgresql.dialect()))
    return namespace


COLUMNS = [
    "full_name varchar(255) NOT NULL",
    "created_at timestamptz NOT NULL DEFAULT now()",
    "seen timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP",
    "title text NOT NULL DEFAULT 'x'",
    "quote text DEFAULT 'it''s \"q\" \\ ok'",
    "active boolean NOT NULL DEFAULT true",
    "score numeric(10,2)",
    "uid uuid NOT NULL DEFAULT gen_random_uuid()",
    "n integer NOT NULL DEFAULT 5",
    "big bigint",
    "small smallint",
    "born date",
    "data jsonb DEFAULT '{}'",
    "meta json",
    "tags text[]",
    "ratio double precision DEFAULT 1.5",
    "ch char(2)",
    "addr inet",
    "label varchar(20) DEFAULT 'a'",
    "blob bytea",
]


@pytest.mark.parametrize("clause", COLUMNS)
def test_add_column_converges(tmp_path: Path, clause: str) -> None:
    ddl = f"CREATE TABLE users (id serial PRIMARY KEY, {clause});"
    table = table_of(tmp_path, "postgresql", [ddl], "users")
    target = table.columns[1]
    snippet = fix.render(_edit("add-column", table, column=target))
    assert snippet.language == "python"
    imports, code = _split(snippet.text)
    body = USER_CLASS.replace("# FIELDS", code)
    users = _read(tmp_path / "repo", imports, body).table("users")
    assert users is not None
    assert shape(users.column(target.name)) == shape(target), snippet.text
    namespace = _exec(imports, body)
    columns = namespace["User"].__table__.columns  # type: ignore[attr-defined]
    assert target.name in columns


def test_map_column_uses_the_attribute(tmp_path: Path) -> None:
    ddl = "CREATE TABLE users (id serial PRIMARY KEY, full_name varchar(100) NOT NULL);"
    table = table_of(tmp_path, "postgresql", [ddl], "users")
    target = table.columns[1]
    snippet = fix.render(_edit("map-column", table, column=target, old="fullName"))
    imports, code = _split(snippet.text)
    assert code == 'fullName = Column("full_name", String(100), nullable=False)'
    body = USER_CLASS.replace("# FIELDS", code)
    users = _read(tmp_path / "repo", imports, body).table("users")
    assert users is not None
    assert shape(users.column("full_name")) == shape(target)
    assert users.column("full_name").attr == "fullName"  # type: ignore[union-attr]
    namespace = _exec(imports, body)
    assert hasattr(namespace["User"], "fullName")


def test_map_table_converges(tmp_path: Path) -> None:
    table = table_of(tmp_path, "postgresql", ["CREATE TABLE users (id int PRIMARY KEY);"], "users")
    snippet = fix.render(_edit("map-table", table, old="user"))
    line = snippet.text.splitlines()[-1]
    assert line == '__tablename__ = "users"'
    body = USER_CLASS.replace('__tablename__ = "users"', '__tablename__ = "user"')
    assert _read(tmp_path / "before", [], body).table("users") is None
    fixed = body.replace('__tablename__ = "user"', line)
    assert _read(tmp_path / "after", [], fixed).table("users") is not None


TABLES = """
CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE blog_posts (
    id bigserial PRIMARY KEY,
    author_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    editor_id integer REFERENCES users (id) ON DELETE SET NULL,
    title varchar(200) NOT NULL DEFAULT 'untitled',
    slug text NOT NULL,
    body text,
    published_at timestamp with time zone,
    UNIQUE (author_id, slug)
);
"""


def test_add_table_converges(tmp_path: Path) -> None:
    target = table_of(tmp_path, "postgresql", [TABLES], "blog_posts")
    snippet = fix.render(_edit("add-table", target))
    imports, code = _split(snippet.text)
    assert code.startswith("class BlogPost(Base):")
    assert 'ForeignKey("users.id", ondelete="CASCADE")' in code
    body = USER_CLASS.replace("    # FIELDS\n", "") + "\n\n" + code + "\n"
    table = _read(tmp_path / "repo", imports, body).table("blog_posts")
    assert table is not None
    assert [shape(c) for c in table.columns] == [shape(c) for c in target.columns]
    assert table.primary_key is not None and target.primary_key is not None
    assert table.primary_key.columns == target.primary_key.columns
    keys = [(f.columns, f.ref_table, f.ref_columns, f.on_delete) for f in table.foreign_keys]
    want = [(f.columns, f.ref_table, f.ref_columns, f.on_delete) for f in target.foreign_keys]
    assert sorted(keys) == sorted(want)
    assert [u.columns for u in table.uniques] == [u.columns for u in target.uniques]
    namespace = _exec(imports, body)
    assert namespace["BlogPost"].__tablename__ == "blog_posts"  # type: ignore[attr-defined]


def test_unknown_type_still_runs(tmp_path: Path) -> None:
    table = table_of(
        tmp_path, "postgresql", ["CREATE TABLE users (id int PRIMARY KEY, at point);"], "users"
    )
    snippet = fix.render(_edit("add-column", table, column=table.columns[1]))
    imports, code = _split(snippet.text)
    assert "no SQLAlchemy type for point" in code
    body = USER_CLASS.replace("# FIELDS", code.replace("\n", "\n    "))
    namespace = _exec(imports, body, ddl=False)  # NullType has no DDL: the user replaces it
    assert "at" in namespace["User"].__table__.columns  # type: ignore[attr-defined]


@pytest.mark.postgres
def test_add_table_creates_the_target_in_postgres(tmp_path: Path, pg_scratch: str) -> None:
    """The rendered class, created by the real SQLAlchemy's ``create_all`` on PostgreSQL,
    has the target table's columns and keys."""
    import sqlalchemy

    from oracle.postgres import introspect

    target = table_of(tmp_path, "postgresql", [TABLES], "blog_posts")
    imports, code = _split(fix.render(_edit("add-table", target)).text)
    body = USER_CLASS.replace("    # FIELDS\n", "") + "\n\n" + code + "\n"
    namespace = _exec(imports, body)
    engine = sqlalchemy.create_engine(f"postgresql+psycopg:///?{_query(pg_scratch)}")
    try:
        namespace["Base"].metadata.create_all(engine)  # type: ignore[attr-defined]
    finally:
        engine.dispose()
    created = introspect(pg_scratch)["tables"]["public.blog_posts"]
    assert [tuple(c[:4]) for c in created["columns"]] == [shape(c) for c in target.columns]
    keys = sorted((k[1], k[3], k[4], k[5]) for k in created["foreign_keys"])
    want = sorted(
        (list(f.columns), f.ref_table, list(f.ref_columns), f.on_delete)
        for f in target.foreign_keys
    )
    assert keys == want


def _query(dsn: str) -> str:
    from urllib.parse import urlencode

    from psycopg.conninfo import conninfo_to_dict

    return urlencode({k: v for k, v in conninfo_to_dict(dsn).items() if v is not None})
