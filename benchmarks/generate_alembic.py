"""A synthetic Alembic project for the reader's benchmark.

``write_project(folder, revisions)`` writes ``alembic.ini``, ``migrations/env.py`` and one
revision script per revision, in the mix real histories have: a table created every fifth
revision (columns, a foreign key to the previous table, an enum every so often), then
columns added, altered and indexed, a batch block, a unique and a check constraint, and raw
SQL through ``op.execute``.  Every tenth revision opens a two-branch fork that the next
revision merges, so the graph has merges along its length.
"""

from __future__ import annotations

import argparse
from pathlib import Path

INI = """\
[alembic]
script_location = %(here)s/migrations
sqlalchemy.url = postgresql+psycopg://localhost/bench
"""
ENV = """\
from alembic import context

target_metadata = None
"""
HEADER = '''\
"""revision {n}

Revision ID: {rev}
Revises: {down_text}
Create Date: 2024-01-01 00:00:00.000000

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "{rev}"
down_revision = {down!r}
branch_labels = None
depends_on = None


def upgrade():
'''
DOWNGRADE = "\n\ndef downgrade():\n    pass\n"


def _rev(n: int) -> str:
    return f"{n:012x}"


def _body(n: int) -> str:
    table = f"t{n // 5 * 5}"
    step = n % 5
    if step == 0:
        previous = f"t{n - 5}" if n >= 5 else None
        fk = (
            f'        sa.Column("parent_id", sa.Integer(), sa.ForeignKey("{previous}.id", '
            'ondelete="CASCADE"), nullable=True),\n'
            if previous
            else ""
        )
        kind = (
            f'        sa.Column("kind", sa.Enum("a", "b", "c", name="kind_{n}"), nullable=False),\n'
            if n % 20 == 0
            else ""
        )
        return (
            f"    op.create_table(\n"
            f'        "{table}",\n'
            f'        sa.Column("id", sa.Integer(), nullable=False),\n'
            f'        sa.Column("name", sa.String(length=100), nullable=False),\n'
            f'        sa.Column("price", sa.Numeric(10, 2), server_default="0", nullable=True),\n'
            f'        sa.Column("created_at", sa.DateTime(timezone=True), '
            f'server_default=sa.text("now()"), nullable=False),\n'
            f"{fk}{kind}"
            f'        sa.PrimaryKeyConstraint("id"),\n'
            f'        sa.UniqueConstraint("name"),\n'
            f"    )\n"
            f'    op.create_index(op.f("ix_{table}_created_at"), "{table}", ["created_at"])\n'
        )
    if step == 1:
        return (
            f'    op.add_column("{table}", sa.Column("note", sa.Text(), nullable=True))\n'
            f'    op.add_column("{table}", sa.Column("meta", postgresql.JSONB(), nullable=True))\n'
            f'    op.alter_column("{table}", "name", type_=sa.String(length=200), '
            f"existing_type=sa.String(length=100))\n"
        )
    if step == 2:
        return (
            f'    with op.batch_alter_table("{table}", schema=None) as batch_op:\n'
            f'        batch_op.add_column(sa.Column("flag", sa.Boolean(), '
            f"server_default=sa.false(), nullable=False))\n"
            f'        batch_op.create_index(batch_op.f("ix_{table}_flag"), ["flag"])\n'
            f'        batch_op.alter_column("note", nullable=False, server_default="")\n'
        )
    if step == 3:
        return (
            f'    op.create_check_constraint("ck_{table}_price", "{table}", "price >= 0")\n'
            f'    op.create_unique_constraint("uq_{table}_note", "{table}", ["note", "flag"])\n'
            f'    if op.get_context().dialect.name == "postgresql":\n'
            f'        op.execute("CREATE INDEX {table}_meta_idx ON {table} USING gin (meta)")\n'
        )
    return (
        f'    op.execute("ALTER TABLE {table} ADD COLUMN extra integer DEFAULT 1")\n'
        f'    op.alter_column("{table}", "price", new_column_name="amount")\n'
        f'    op.drop_column("{table}", "extra")\n'
    )


def write_project(folder: Path, revisions: int) -> Path:
    """Write the project under `folder`; returns the folder."""
    versions = folder / "migrations" / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    (folder / "alembic.ini").write_text(INI)
    (folder / "migrations" / "env.py").write_text(ENV)
    heads = [None]
    for n in range(revisions):
        down = heads[0] if len(heads) == 1 else tuple(heads)
        rev = _rev(n + 1)
        body = _body(n)
        text = HEADER.format(n=n, rev=rev, down=down, down_text=down or "") + body + DOWNGRADE
        (versions / f"{rev}_revision_{n}.py").write_text(text)
        heads = [rev]
        if n % 10 == 9 and n + 1 < revisions:
            side = _rev(10**9 + n)  # a side revision on the same parent: a fork...
            side_text = HEADER.format(n=n, rev=side, down=down, down_text=down or "")
            (versions / f"{side}_side_{n}.py").write_text(side_text + "    pass\n" + DOWNGRADE)
            heads = [rev, side]  # ...merged by the next revision
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--revisions", type=int, default=1000)
    args = parser.parse_args()
    write_project(args.folder, args.revisions)


if __name__ == "__main__":
    main()
