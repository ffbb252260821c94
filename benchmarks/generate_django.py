"""A synthetic Django project with a long migration history, for the reader's benchmark.

``write_project(folder, migrations)`` writes ``manage.py``, ``config/settings.py`` and ten
apps whose ``migrations/`` folders hold `migrations` files in all, each depending on the
previous one of its app and, every tenth, on another app's.  The operations mix what real
histories hold: ``CreateModel`` with foreign keys across apps, ``AddField``, ``AlterField``,
``RenameField``, ``AddIndex``, ``AddConstraint``, ``RemoveField`` and the odd ``RunSQL``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

APPS = 10

SETTINGS = """\
import os

SECRET_KEY = "generated"
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", {apps}]
DATABASES = {{
    "default": {{
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("DJANGO_DB_NAME", "bench"),
        "USER": os.environ.get("DJANGO_DB_USER", "postgres"),
        "HOST": os.environ.get("DJANGO_DB_HOST", "127.0.0.1"),
        "PORT": os.environ.get("DJANGO_DB_PORT", "5432"),
    }}
}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
"""

MANAGE = """\
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""

HEAD = """\
from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [{deps}]

    operations = [
{ops}
    ]
"""


def _create(app: int, n: int) -> str:
    other = f"app{(app + 1) % APPS}.Model{(app + 1) % APPS}_0"
    target = other if n and app else "settings.AUTH_USER_MODEL"
    to = target if target.startswith("settings") else repr(target)
    return f"""\
        migrations.CreateModel(
            name="Model{app}_{n}",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=100)),
                ("slug", models.SlugField(unique=True)),
                ("price", models.DecimalField(decimal_places=2, max_digits=10)),
                ("created", models.DateTimeField(auto_now_add=True)),
                (
                    "owner",
                    models.ForeignKey(
                        null=True, on_delete=django.db.models.deletion.CASCADE, to={to}
                    ),
                ),
            ],
            options={{"unique_together": {{("name", "price")}}}},
        ),"""


def _ops(app: int, step: int) -> str:
    model = f"model{app}_{step // 10}"
    kind = step % 10
    if kind == 0:
        return _create(app, step // 10)
    if kind == 1:
        return f"""\
        migrations.AddField(
            model_name="{model}",
            name="note_{step}",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="{model}",
            name="count_{step}",
            field=models.PositiveIntegerField(default=0),
        ),"""
    if kind == 2:
        return f"""\
        migrations.AlterField(
            model_name="{model}",
            name="name",
            field=models.CharField(db_index=True, max_length=200),
        ),"""
    if kind == 3:
        return f"""\
        migrations.AddIndex(
            model_name="{model}",
            index=models.Index(fields=["created"], name="ix_{app}_{step}"),
        ),"""
    if kind == 4:
        return f"""\
        migrations.RenameField(
            model_name="{model}", old_name="note_{step - 3}", new_name="memo"
        ),"""
    if kind == 5:
        return f"""\
        migrations.AddConstraint(
            model_name="{model}",
            constraint=models.CheckConstraint(
                condition=models.Q(price__gte=0), name="ck_{app}_{step}"
            ),
        ),"""
    if kind == 6:
        return f"""\
        migrations.AlterField(
            model_name="{model}",
            name="memo",
            field=models.CharField(max_length=500, null=True),
        ),"""
    if kind == 7:
        return f"""\
        migrations.RunSQL(
            "CREATE INDEX sql_{app}_{step} ON app{app}_{model} (lower(name))",
            reverse_sql="DROP INDEX sql_{app}_{step}",
        ),"""
    if kind == 8:
        return f"""\
        migrations.RemoveField(model_name="{model}", name="count_{step - 7}"),"""
    return f"""\
        migrations.AlterUniqueTogether(name="{model}", unique_together={{("name", "slug")}}),"""


def write_project(folder: Path, migrations: int) -> Path:
    """The project under `folder`; `migrations` spread evenly over the apps."""
    apps = [f"app{i}" for i in range(APPS)]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manage.py").write_text(MANAGE)
    (folder / "config").mkdir(parents=True, exist_ok=True)
    (folder / "config" / "__init__.py").write_text("")
    (folder / "config" / "settings.py").write_text(
        SETTINGS.format(apps=", ".join(repr(a) for a in apps))
    )
    per_app = migrations // APPS
    for app in range(APPS):
        base = folder / f"app{app}" / "migrations"
        base.mkdir(parents=True, exist_ok=True)
        (base / "__init__.py").write_text("")
        (base.parent / "__init__.py").write_text("")
        for step in range(per_app):
            deps = [f'("app{app}", "{step - 1:04d}_step")'] if step else []
            if step % 10 == 0 and app < APPS - 1:
                deps.append(f'("app{app + 1}", "{step:04d}_step")')
            elif step % 10 == 0 and step:
                deps.append(f'("app0", "{step - 10:04d}_step")')
            if step == 0:
                deps.append("migrations.swappable_dependency(settings.AUTH_USER_MODEL)")
            text = HEAD.format(deps=", ".join(deps), ops=_ops(app, step))
            (base / f"{step:04d}_step.py").write_text(text)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--migrations", type=int, default=1000)
    args = parser.parse_args()
    write_project(args.folder, args.migrations)


if __name__ == "__main__":
    main()
