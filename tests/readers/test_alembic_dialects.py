"""The DDL the Alembic reader spells for MySQL and SQLite sources, statement by statement."""

from __future__ import annotations

from pathlib import Path

from alembic_project import project, revision

from dbdrift.readers.alembic import generate, read

BASE = """
op.create_table(
    "t",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(20), nullable=False, server_default="x"),
    sa.Column("at", sa.DateTime(), nullable=True),
    sa.Column("mood", sa.Enum("a", "b", name="mood"), nullable=True),
    sa.PrimaryKeyConstraint("id"),
)
"""


def _sql(tmp_path: Path, body: str, dialect: str) -> list[str]:
    source = project(tmp_path, {"r1.py": revision("r1", None, BASE + body)}, dialect=dialect)
    generated, base = generate(source)
    assert not base.errors and not base.notes, (base.errors, base.notes)
    return [g.sql for g in generated]


def test_mysql_enum_is_inline_and_no_type_is_created(tmp_path: Path) -> None:
    create = _sql(tmp_path, "", "mysql")
    assert len(create) == 1
    assert "`mood` ENUM('a','b')" in create[0]


def test_mysql_alter_column_rebuilds_the_spec_from_existing_arguments(tmp_path: Path) -> None:
    body = """
op.alter_column("t", "name", type_=sa.String(40))
op.alter_column("t", "name", existing_type=sa.String(40), existing_nullable=False,
                existing_server_default="x", new_column_name="label")
op.alter_column("t", "label", server_default=None)
op.alter_column("t", "at", existing_type=sa.DateTime(), nullable=False)
"""
    assert _sql(tmp_path, body, "mysql")[1:] == [
        "ALTER TABLE `t` MODIFY `name` VARCHAR(40) NULL",
        "ALTER TABLE `t` CHANGE `name` `label` VARCHAR(40) NOT NULL DEFAULT 'x'",
        "ALTER TABLE `t` ALTER COLUMN `label` DROP DEFAULT",
        "ALTER TABLE `t` CHANGE `at` `at` DATETIME NOT NULL",
    ]


def test_mysql_constraints_are_dropped_by_kind(tmp_path: Path) -> None:
    body = """
op.create_unique_constraint("uq_t_name", "t", ["name"])
op.drop_constraint("uq_t_name", "t", type_="unique")
op.create_index("ix_t_at", "t", ["at"])
op.drop_index("ix_t_at", table_name="t")
"""
    assert _sql(tmp_path, body, "mysql")[-3:] == [
        "ALTER TABLE `t` DROP INDEX `uq_t_name`",
        "CREATE INDEX `ix_t_at` ON `t` (`at`)",
        "DROP INDEX `ix_t_at` ON `t`",
    ]
    schema = read(project(tmp_path, {"r1.py": revision("r1", None, BASE + body)}, "", "mysql"))
    assert not schema.errors
    (table,) = schema.tables
    assert table.uniques == () and table.indexes == ()


def test_sqlite_batch_of_adds_alters_in_place(tmp_path: Path) -> None:
    body = """
with op.batch_alter_table("t") as batch_op:
    batch_op.add_column(sa.Column("n", sa.Integer(), nullable=True))
    batch_op.create_index("ix_t_n", ["n"])
"""
    assert _sql(tmp_path, body, "sqlite")[1:] == [
        'ALTER TABLE "t" ADD COLUMN "n" INTEGER',
        'CREATE INDEX "ix_t_n" ON "t" ("n")',
    ]


def test_sqlite_batch_alter_moves_and_copies(tmp_path: Path) -> None:
    body = """
with op.batch_alter_table("t") as batch_op:
    batch_op.alter_column("at", nullable=False)
    batch_op.drop_column("mood")
"""
    sql = _sql(tmp_path, body, "sqlite")[1:]
    assert sql[0].startswith('CREATE TABLE "_alembic_tmp_t" (')
    assert '"at" DATETIME NOT NULL' in sql[0] and "mood" not in sql[0]
    assert sql[1:] == ['DROP TABLE "t"', 'ALTER TABLE "_alembic_tmp_t" RENAME TO "t"']


def test_sqlite_refuses_plain_alter_of_a_type(tmp_path: Path) -> None:
    scripts = {"r1.py": revision("r1", None, BASE + 'op.alter_column("t", "at", nullable=False)')}
    schema = read(project(tmp_path, scripts, dialect="sqlite"))
    assert [n.kind for n in schema.notes] == ["alembic-op"]
    assert schema.notes[0].origin.line > 1


# -- the same operations run through the real Alembic in offline (--sql) mode -------------

OFFLINE = {
    "mysql": BASE
    + """
op.alter_column("t", "name", type_=sa.String(40))
op.alter_column("t", "name", existing_type=sa.String(40), existing_nullable=False,
                existing_server_default="x", new_column_name="label")
op.alter_column("t", "label", server_default=None)
op.alter_column("t", "label", server_default="y")
op.alter_column("t", "at", existing_type=sa.DateTime(), nullable=False)
op.alter_column("t", "mood", existing_type=sa.Enum("a", "b"), type_=sa.Enum("a", "b", "c"),
                existing_nullable=True, existing_server_default=sa.text("'a'"))
op.alter_column("t", "mood", existing_type=sa.Enum("a", "b", "c"), comment="how it's going")
op.add_column("t", sa.Column("n", sa.DateTime(), server_default=sa.func.now()))
op.add_column("t", sa.Column("o", sa.Integer(), sa.ForeignKey("t.id"), nullable=True))
op.create_index("ix_t_n", "t", ["n", "o"], unique=True)
op.create_unique_constraint("uq_t_label", "t", ["label"])
op.create_check_constraint("ck_t_o", "t", "o > 0")
op.create_foreign_key("fk_t_o", "t", "t", ["o"], ["id"], ondelete="SET NULL")
op.drop_constraint("uq_t_label", "t", type_="unique")
op.drop_constraint("fk_t_o", "t", type_="foreignkey")
op.drop_constraint("ck_t_o", "t", type_="check")
op.drop_index("ix_t_n", table_name="t")
op.drop_column("t", "o")
op.rename_table("t", "u")
""",
    "sqlite": BASE
    + """
op.add_column("t", sa.Column("n", sa.Integer(), server_default="0", nullable=False))
op.alter_column("t", "n", new_column_name="m")
op.create_index("ix_t_m", "t", ["m"])
with op.batch_alter_table("t") as batch_op:
    batch_op.add_column(sa.Column("p", sa.Boolean(), nullable=True))
    batch_op.drop_index("ix_t_m")
op.drop_column("t", "m")
op.rename_table("t", "u")
""",
}


def _alembic_offline(dialect: str, body: str) -> list[str]:
    """What the real Alembic writes for `body` with ``--sql`` on `dialect`."""
    import io
    import textwrap

    import sqlalchemy as sa
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    buf = io.StringIO()
    opts = {"as_sql": True, "output_buffer": buf}
    ctx = MigrationContext.configure(dialect_name=dialect, opts=opts)
    exec(textwrap.dedent(body), {"op": Operations(ctx), "sa": sa})
    return [s for s in (_norm(x) for x in buf.getvalue().split(";")) if s]


def _norm(sql: str) -> str:
    """Quotes, line breaks and spacing are the only freedom the two sides have."""
    import re

    flat = re.sub(r"\s+", " ", sql.replace("`", "").replace('"', "")).strip()
    return re.sub(r"\( ", "(", re.sub(r" \)", ")", flat))


def test_mysql_statements_are_alembics(tmp_path: Path) -> None:
    ours = [_norm(s) for s in _sql(tmp_path, OFFLINE["mysql"].removeprefix(BASE), "mysql")]
    # a MySQL source is read as on MariaDB (the check is dropped by DROP CONSTRAINT)
    assert ours == _alembic_offline("mariadb", OFFLINE["mysql"])


def test_sqlite_statements_are_alembics(tmp_path: Path) -> None:
    ours = [_norm(s) for s in _sql(tmp_path, OFFLINE["sqlite"].removeprefix(BASE), "sqlite")]
    assert ours == _alembic_offline("sqlite", OFFLINE["sqlite"])
