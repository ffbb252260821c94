"""``op.*`` calls spelled as Alembic's PostgreSQL implementation spells them, batch blocks,
enum types, naming conventions and dialect branches."""

from __future__ import annotations

from pathlib import Path

from alembic_project import project, revision

from dbdrift.readers import read
from dbdrift.readers.alembic import generate

USERS = """
op.create_table(
    "users",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(50), nullable=True),
    sa.PrimaryKeyConstraint("id"),
)
"""


def _sql(source) -> list[str]:
    return [g.sql for g in generate(source)[0]]


def test_alter_column_changes_type_then_null_then_default_then_name(tmp_path: Path) -> None:
    body = (
        USERS
        + 'op.alter_column("users", "name", new_column_name="label", nullable=False,'
        + ' server_default="x", type_=sa.Text(), existing_type=sa.String(50))\n'
    )
    sql = _sql(project(tmp_path, {"a.py": revision("a", None, body)}))
    assert sql[1:] == [
        "ALTER TABLE users ALTER COLUMN name TYPE text",
        "ALTER TABLE users ALTER COLUMN name SET NOT NULL",
        "ALTER TABLE users ALTER COLUMN name SET DEFAULT 'x'",
        "ALTER TABLE users RENAME name TO label",
    ]


def test_using_only_with_postgresql_using(tmp_path: Path) -> None:
    body = USERS + (
        'op.alter_column("users", "name", type_=sa.Integer(), postgresql_using="name::integer")\n'
        'op.alter_column("users", "id", type_=sa.BigInteger())\n'
    )
    sql = _sql(project(tmp_path, {"a.py": revision("a", None, body)}))
    assert sql[1:] == [
        "ALTER TABLE users ALTER COLUMN name TYPE integer USING name::integer",
        "ALTER TABLE users ALTER COLUMN id TYPE bigint",
    ]


def test_add_column_adds_its_unique_index_and_foreign_key(tmp_path: Path) -> None:
    body = USERS + (
        'op.add_column("users", sa.Column("email", sa.String(80), unique=True))\n'
        'op.add_column("users", sa.Column("code", sa.String(8), index=True))\n'
        'op.add_column("users", sa.Column("boss", sa.Integer(), sa.ForeignKey("users.id")))\n'
    )
    schema = read(project(tmp_path, {"a.py": revision("a", None, body)}))
    assert not schema.errors
    users = schema.table("users")
    assert users is not None
    assert [u.name for u in users.uniques] == ["users_email_key"]
    assert [i.name for i in users.indexes] == ["ix_users_code"]
    assert [(f.name, f.ref_table) for f in users.foreign_keys] == [("users_boss_fkey", "users")]
    assert users.foreign_keys[0].origin.line == 17


def test_batch_block_is_the_plain_operations_on_its_table(tmp_path: Path) -> None:
    body = USERS + (
        'with op.batch_alter_table("users", schema=None) as batch_op:\n'
        '    batch_op.add_column(sa.Column("age", sa.Integer(), nullable=True))\n'
        '    batch_op.create_index(batch_op.f("ix_users_age"), ["age"], unique=False)\n'
        '    batch_op.drop_column("name")\n'
    )
    sql = _sql(project(tmp_path, {"a.py": revision("a", None, body)}))
    assert sql[1:] == [
        "ALTER TABLE users ADD COLUMN age integer",
        "CREATE INDEX ix_users_age ON users (age)",
        "ALTER TABLE users DROP COLUMN name",
    ]


CONVENTION_ENV = """
from alembic import context
from sqlalchemy import MetaData

convention = {
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "pk": "pk_%(table_name)s",
}
target_metadata = MetaData(naming_convention=convention)
"""


def test_names_from_env_naming_convention(tmp_path: Path) -> None:
    body = USERS + (
        'op.create_unique_constraint(None, "users", ["name"])\n'
        'op.create_check_constraint("short", "users", "length(name) < 9")\n'
        'op.create_check_constraint(op.f("kept_as_is"), "users", "id > 0")\n'
        'op.drop_constraint("short", "users", type_="check")\n'
    )
    source = project(tmp_path, {"a.py": revision("a", None, body)}, env=CONVENTION_ENV)
    schema = read(source)
    assert not schema.errors, schema.errors
    users = schema.table("users")
    assert users is not None and users.primary_key is not None
    assert users.primary_key.name == "pk_users"
    assert [u.name for u in users.uniques] == ["uq_users_name"]
    assert [c.name for c in users.checks] == ["kept_as_is"]


def test_enum_created_by_create_table_and_explicitly_with_checkfirst(tmp_path: Path) -> None:
    body = """
    mood = sa.Enum("sad", "ok", name="mood")
    mood.create(op.get_bind(), checkfirst=True)
    mood.create(op.get_bind(), checkfirst=True)
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("state", sa.Enum("new", "old", name="state"), nullable=False),
        sa.Column("mood", postgresql.ENUM(name="mood", create_type=False)),
    )
    op.add_column("people", sa.Column("second", mood))
    """
    extra = "from sqlalchemy.dialects import postgresql\n"
    schema = read(project(tmp_path, {"a.py": revision("a", None, body, extra)}))
    assert not schema.errors, schema.errors
    assert [(e.name, list(e.values)) for e in schema.enums] == [
        ("mood", ["sad", "ok"]),
        ("state", ["new", "old"]),
    ]
    people = schema.table("people")
    assert people is not None
    assert [c.type.sql for c in people.columns[1:]] == ["state", "mood", "mood"]


def test_enum_created_twice_without_checkfirst_is_refused_like_postgresql(tmp_path: Path) -> None:
    table = 'op.create_table("{0}", sa.Column("s", sa.Enum("a", name="kind")))\n'
    body = table.format("one") + table.format("two")
    schema = read(project(tmp_path, {"a.py": revision("a", None, body)}))
    assert len(schema.errors) == 1 and "kind" in schema.errors[0].message
    assert schema.errors[0].origin.line == 10


BRANCHES = """
if op.get_context().dialect.name == "sqlite":
    op.create_table("lite", sa.Column("id", sa.Integer()))
elif op.get_bind().dialect.name in ("postgresql",):
    op.create_table("pg", sa.Column("id", sa.Integer()))
bind = op.get_bind()
if bind.dialect.name != "postgresql":
    op.create_table("not_pg", sa.Column("id", sa.Integer()))
if some_flag():
    op.create_table("unknown", sa.Column("id", sa.Integer()))
"""


def test_dialect_branches_resolved_for_the_source_dialect(tmp_path: Path) -> None:
    source = project(tmp_path, {"a.py": revision("a", None, BRANCHES)})
    schema = read(source)
    assert [t.name for t in schema.tables] == ["pg"]
    notes = [n for n in schema.notes if n.kind == "alembic-dynamic"]
    assert [(n.origin.line, "some_flag()" in n.message) for n in notes] == [(16, True)]


def test_dialect_branches_for_sqlite(tmp_path: Path) -> None:
    source = project(tmp_path, {"a.py": revision("a", None, BRANCHES)}, dialect="sqlite")
    assert sorted(t.name for t in read(source).tables) == ["lite", "not_pg"]


def test_execute_text_goes_through_the_sql_replay(tmp_path: Path) -> None:
    body = (
        'op.execute("CREATE TABLE raw (id serial PRIMARY KEY, v text NOT NULL)")\n'
        'op.execute(sa.text("ALTER TABLE raw ADD COLUMN w int"))\n'
        'op.execute(sa.table("raw").insert())\n'
    )
    schema = read(project(tmp_path, {"a.py": revision("a", None, body)}))
    raw = schema.table("raw")
    assert raw is not None and [c.name for c in raw.columns] == ["id", "v", "w"]
    assert raw.columns[2].origin is not None and raw.columns[2].origin.line == 10
    assert [n.origin.line for n in schema.notes if n.kind == "alembic-data"] == [11]


def test_computed_arguments_are_located_notes(tmp_path: Path) -> None:
    body = USERS + (
        'op.add_column(f"us{\'ers\'}", sa.Column("x", sa.Integer()))\n'
        "for name in names():\n"
        '    op.drop_column("users", name)\n'
        "helper()\n"
        'op.add_column("users", sa.Column("y", sa.Integer()))\n'
    )
    schema = read(project(tmp_path, {"a.py": revision("a", None, body)}))
    notes = [(n.kind, n.origin.line) for n in schema.notes]
    assert notes == [("alembic-dynamic", 15), ("alembic-dynamic", 16), ("alembic-dynamic", 18)]
    users = schema.table("users")
    assert users is not None and [c.name for c in users.columns] == ["id", "name", "y"]


def test_operation_on_a_missing_column_is_refused_at_its_line(tmp_path: Path) -> None:
    body = USERS + 'op.drop_column("users", "ghost")\n'
    schema = read(project(tmp_path, {"a.py": revision("a", None, body)}))
    assert [(e.origin.path, e.origin.line) for e in schema.errors] == [
        ("migrations/versions/a.py", 15)
    ]
