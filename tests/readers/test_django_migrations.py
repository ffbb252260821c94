"""The Django migrations reader on bad and unusual input: located findings, never a traceback."""

from __future__ import annotations

from pathlib import Path

from dbdrift.readers import read
from dbdrift.source import Source

HEAD = "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"


def write(root: Path, files: dict[str, str]) -> Source:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return Source("app/migrations", "django-migrations", "postgresql", root, tuple(sorted(files)))


def migration(deps: str, operations: str) -> str:
    return f"{HEAD}    dependencies = [{deps}]\n    operations = [\n{operations}\n    ]\n"


CREATE = """        migrations.CreateModel(
            name="Thing",
            fields=[("id", models.BigAutoField(primary_key=True)), ("name", models.TextField())],
        ),"""


def test_syntax_error_is_a_located_error_and_the_rest_is_read(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        {
            "app/migrations/0001_initial.py": migration("", CREATE),
            "app/migrations/0002_broken.py": HEAD + "    operations = [\n        (\n",
        },
    )
    schema = read(source)
    assert [e.origin.path for e in schema.errors] == ["app/migrations/0002_broken.py"]
    assert "syntax error" in schema.errors[0].message
    assert schema.table("app_thing") is not None


def test_missing_dependency_is_located(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        {
            "app/migrations/0001_initial.py": migration("", CREATE),
            "app/migrations/0002_more.py": migration(
                '("app", "0001_initial"), ("app", "0009_gone")', ""
            ),
        },
    )
    schema = read(source)
    assert len(schema.errors) == 1
    error = schema.errors[0]
    assert "missing migration dependency app.0009_gone" in error.message
    assert (error.origin.path, error.origin.line) == ("app/migrations/0002_more.py", 5)


def test_cycle_is_located_and_every_migration_still_applies(tmp_path: Path) -> None:
    add = """        migrations.AddField("thing", "size", models.IntegerField(null=True)),"""
    source = write(
        tmp_path,
        {
            "app/migrations/0001_initial.py": migration('("app", "0002_size")', CREATE),
            "app/migrations/0002_size.py": migration('("app", "0001_initial")', add),
        },
    )
    schema = read(source)
    assert len(schema.errors) == 1
    assert "cycle" in schema.errors[0].message
    assert schema.errors[0].origin.path.startswith("app/migrations/000")
    thing = schema.table("app_thing")
    assert thing is not None and [c.name for c in thing.columns] == ["id", "name", "size"]


def test_run_python_is_a_note_and_run_sql_is_replayed(tmp_path: Path) -> None:
    ops = (
        CREATE
        + """
        migrations.RunPython(fill),
        migrations.RunSQL("ALTER TABLE app_thing ADD COLUMN extra int"),"""
    )
    text = "def fill(apps, schema_editor):\n    pass\n\n\n" + migration("", ops)
    schema = read(write(tmp_path, {"app/migrations/0001_initial.py": text}))
    assert [n.kind for n in schema.notes] == ["django-runpython"]
    thing = schema.table("app_thing")
    assert thing is not None and thing.column("extra") is not None
    assert (
        thing.column("extra").origin.line
        == text.splitlines().index(
            '        migrations.RunSQL("ALTER TABLE app_thing ADD COLUMN extra int"),'
        )
        + 1
    )


def test_operation_on_a_missing_field_is_refused_by_the_replay(tmp_path: Path) -> None:
    """A RunSQL touching a column that does not exist is the SQL replay's located error."""
    ops = (
        CREATE
        + """
        migrations.RunSQL("ALTER TABLE app_thing DROP COLUMN nope"),"""
    )
    schema = read(write(tmp_path, {"app/migrations/0001_initial.py": migration("", ops)}))
    assert len(schema.errors) == 1
    text = migration("", ops).splitlines()
    line = text.index('        migrations.RunSQL("ALTER TABLE app_thing DROP COLUMN nope"),') + 1
    assert (schema.errors[0].origin.path, schema.errors[0].origin.line) == (
        "app/migrations/0001_initial.py",
        line,
    )


def test_swappable_dependency_on_the_default_user_points_at_auth_user(tmp_path: Path) -> None:
    ops = """        migrations.CreateModel(
            name="Post",
            fields=[
                ("id", models.AutoField(primary_key=True)),
                (
                    "author",
                    models.ForeignKey(on_delete=models.CASCADE, to=settings.AUTH_USER_MODEL),
                ),
            ],
        ),"""
    text = "from django.conf import settings\n" + migration(
        "migrations.swappable_dependency(settings.AUTH_USER_MODEL)", ops
    )
    schema = read(write(tmp_path, {"app/migrations/0001_initial.py": text}))
    assert schema.errors == ()
    post = schema.table("app_post")
    assert post is not None
    assert [(f.ref_table, f.ref_columns) for f in post.foreign_keys] == [("auth_user", ("id",))]
    assert schema.table("auth_user") is None  # contrib tables are external
