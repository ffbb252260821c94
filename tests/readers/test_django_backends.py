"""The Django readers spell a source's tables as the backend of its dialect would: MySQL
(MariaDB) and SQLite types, SQLite's table remakes keeping what SQLite keeps, and a dialect
Django's backends do not cover read as PostgreSQL with a note."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from dbdrift.readers import read
from dbdrift.source import Source

HEAD = "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"

INITIAL = (
    HEAD
    + """    operations = [
        migrations.CreateModel(
            name="Thing",
            fields=[
                ("id", models.BigAutoField(primary_key=True)),
                ("name", models.CharField(max_length=20)),
                ("seen", models.DateTimeField()),
                ("key", models.UUIDField()),
                ("data", models.JSONField(null=True)),
                ("count", models.PositiveIntegerField()),
            ],
        ),
    ]
"""
)

ALTER = (
    HEAD
    + """    dependencies = [("app", "0001_initial")]
    operations = [
        migrations.AlterField("thing", "name", models.CharField(max_length=40, null=True)),
    ]
"""
)


def source(root: Path, dialect: str) -> Source:
    files = {"app/migrations/0001_initial.py": INITIAL, "app/migrations/0002_alter.py": ALTER}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return Source("app/migrations", "django-migrations", dialect, root, tuple(sorted(files)))


NAMES = ["id", "name", "seen", "key", "data", "count"]


@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        (
            "mysql",
            ["bigint(20)", "varchar(40)", "datetime(6)", "uuid", "longtext", "int(10) unsigned"],
        ),
        # the remake's rename leaves SQLite reporting ``INTEGER`` and ``TEXT`` (real SQLite too)
        ("sqlite", ["INTEGER", "varchar(40)", "datetime", "char(32)", "TEXT", "integer unsigned"]),
        (
            "postgresql",
            [
                *("bigint", "character varying(40)", "timestamp with time zone"),
                *("uuid", "jsonb", "integer"),
            ],
        ),
    ],
)
def test_types_are_the_backends(tmp_path: Path, dialect: str, expected: list[str]) -> None:
    schema = read(source(tmp_path, dialect))
    assert schema.errors == ()
    assert [n.kind for n in schema.notes] == []
    (table,) = schema.tables
    assert {c.name: c.type.sql for c in table.columns} == dict(zip(NAMES, expected, strict=True))
    assert table.column("name").nullable


def test_sqlite_alter_remakes_the_table_moving_the_column_last(tmp_path: Path) -> None:
    (table,) = read(source(tmp_path, "sqlite")).tables
    assert [c.name for c in table.columns] == ["id", "seen", "key", "data", "count", "name"]
    assert [c.name for c in table.checks] == [None, None]  # JSON_VALID and count >= 0


def test_another_dialect_is_read_as_postgresql_with_a_note(tmp_path: Path) -> None:
    schema = read(replace(source(tmp_path, "postgresql"), dialect="oracle"))
    assert [n.kind for n in schema.notes] == ["django-dialect"]
    assert schema.tables[0].column("seen").type.sql == "timestamp with time zone"


LONG_MODEL = "ThingWithAVeryLongModelNameThatGoesOnAndOnAndOnForeverAndEverMore"


@pytest.mark.parametrize(
    ("dialect", "limit"),
    [("postgresql", 63), ("mysql", 64), ("sqlite", None)],  # ops.max_name_length()
)
def test_a_long_table_name_is_cut_to_the_backends_limit(
    tmp_path: Path, dialect: str, limit: int | None
) -> None:
    from django.db.backends.utils import truncate_name

    migration = INITIAL.replace('name="Thing"', f'name="{LONG_MODEL}"')
    path = tmp_path / "app/migrations/0001_initial.py"
    path.parent.mkdir(parents=True)
    path.write_text(migration)
    files = ("app/migrations/0001_initial.py",)
    schema = read(Source("app/migrations", "django-migrations", dialect, tmp_path, files))
    expected = truncate_name(f"app_{LONG_MODEL.lower()}", limit)
    assert len(f"app_{LONG_MODEL}") > 64  # long enough for every limit to matter
    assert [t.name for t in schema.tables] == [expected]
