"""Alignment: groups, the canonical source, tables and columns lined up by physical name."""

from __future__ import annotations

import random
from pathlib import Path

from dbdrift.align import Member, align, pair
from dbdrift.schema import Column, Schema, Table
from dbdrift.source import Source
from dbdrift.types import Type

TEXT = Type("text", "text")
UUID = Type("uuid", "uuid")


def member(
    id: str, kind: str, tables: dict[str, list[str]], dialect: str = "postgresql", **kw: str
) -> Member:
    source = Source(id, kind, dialect, Path("."), (id,), **kw)
    built = tuple(
        Table(name, "public", tuple(Column(c, UUID if c == "id" else TEXT) for c in columns))
        for name, columns in tables.items()
    )
    return Member(source, Schema(source.ref(), built))


def test_pair_sorts_each_side():
    assert pair(["b", "a", "c"], ["d", "c", "b"]) == (["a"], ["d"], ["b", "c"])


def test_canonical_is_the_migration_stream_then_most_tables():
    matrix = align(
        [
            member("models.py", "sqlalchemy", {"users": ["id"], "a": ["id"], "b": ["id"]}),
            member("schema.sql", "sql-schema", {"users": ["id"], "a": ["id"]}),
            member("db/small", "sql-migrations", {"users": ["id"]}),
            member("db/big", "sql-migrations", {"users": ["id"], "a": ["id"]}),
        ]
    )
    [group] = matrix.groups
    assert group.canonical == "db/big"
    assert group.canonical_why.startswith("a migration history (sql-migrations) with 2 tables")


def test_canonical_can_be_named():
    members = [
        member("db/migrations", "sql-migrations", {"users": ["id"]}),
        member("schema.prisma", "prisma", {"users": ["id"]}),
    ]
    [group] = align(members, canonical="schema.prisma").groups
    assert (group.canonical, group.canonical_why) == ("schema.prisma", "named with --canonical")


def test_different_databases_are_not_compared():
    matrix = align(
        [
            member("db/migrations", "sql-migrations", {"users": ["id"]}),
            member("analytics/schema.sql", "sql-schema", {"events": ["id"]}),
            member("mysql/migrations", "sql-migrations", {"users": ["id"]}, dialect="mysql"),
            member("legacy.sql", "sql-schema", {"users": ["id"]}, dialect="mariadb"),
        ]
    )
    groups = [(g.id, [m.id for m in g.members]) for g in matrix.groups]
    assert groups == [
        ("mysql", ["legacy.sql", "mysql/migrations"]),
        ("postgresql", ["analytics/schema.sql"]),
        ("postgresql-2", ["db/migrations"]),
    ]
    assert matrix.groups[1].why == "postgresql: shares no table with any other postgresql source"


def test_orm_without_dialect_evidence_joins_the_group_it_overlaps():
    matrix = align(
        [
            member("db/migrations", "sql-migrations", {"users": ["id"]}, dialect="mysql"),
            member("models.py", "sqlalchemy", {"users": ["id"]}, dialect_evidence="default"),
        ]
    )
    assert [[m.id for m in g.members] for g in matrix.groups] == [["db/migrations", "models.py"]]


def test_table_spelling_is_aligned_and_recorded():
    [group] = align(
        [
            member("db/migrations", "sql-migrations", {"users": ["id", "email"]}),
            member("schema.prisma", "prisma", {"User": ["id", "email"]}),
        ]
    ).groups
    [row] = group.rows
    assert (row.key, sorted(row.tables), row.spelled) == (
        "users",
        ["db/migrations", "schema.prisma"],
        {"schema.prisma": "User"},
    )


def test_columns_pair_by_name_spelling_and_likely_rename():
    [group] = align(
        [
            member("db/m", "sql-migrations", {"users": ["id", "full_name", "user_id", "gone"]}),
            member("s.prisma", "prisma", {"users": ["id", "name", "userId", "extra"]}),
        ]
    ).groups
    [row] = group.rows
    lines = [(c.name, sorted(c.columns), c.spelled) for c in row.columns]
    assert lines == [
        ("id", ["db/m", "s.prisma"], {}),
        ("full_name", ["db/m", "s.prisma"], {"s.prisma": ("name", "rename")}),
        ("user_id", ["db/m", "s.prisma"], {"s.prisma": ("userId", "spelling")}),
        ("gone", ["db/m"], {}),
        ("extra", ["s.prisma"], {}),
    ]


def test_a_table_with_little_overlap_is_unrelated():
    [group] = align(
        [
            member("db/m", "sql-migrations", {"jobs": ["id", "platform", "quality", "status"]}),
            member("m.py", "sqlalchemy", {"jobs": ["job_id", "storyboard", "fps", "status"]}),
        ]
    ).groups
    [row] = group.rows
    assert row.unrelated == {"m.py": 0.25}
    assert all(list(c.columns) == ["db/m"] for c in row.columns)


def test_matrix_does_not_depend_on_source_order():
    members = [
        member("db/m", "sql-migrations", {"users": ["id", "a"], "b": ["id"]}),
        member("x.prisma", "prisma", {"User": ["id", "a"], "c": ["id"]}),
        member("m.py", "sqlalchemy", {"users": ["id", "aa"], "b": ["id"]}),
    ]

    def shape(ms: list[Member]) -> list:
        return [
            (g.id, g.canonical, [(r.key, sorted(r.tables), r.spelled, r.reference) for r in g.rows])
            for g in align(ms).groups
        ]

    expected = shape(members)
    for seed in range(5):
        shuffled = list(members)
        random.Random(seed).shuffle(shuffled)
        assert shape(shuffled) == expected
