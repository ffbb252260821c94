"""Oracle: Django's own ``manage.py migrate`` on a real PostgreSQL vs dbdrift's static replay.

Each fixture project under tests/fixtures/django/ is migrated by Django in a subprocess
(DATABASES from environment variables its settings read), the database is introspected, and
dbdrift's reading of the migrations must equal it, and so must its reading of the models
(every fixture's models are in sync: ``makemigrations --check`` exits 0, asserted too).
Django's contrib tables (``auth_*``, ``django_*``) are left out on both sides: dbdrift treats
them as external (see dbdrift/readers/django/contrib.py).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dbdrift.readers import read
from dbdrift.scan import scan
from dbdrift.schema import Origin, Schema
from dbdrift.source import Source
from oracle.compare import project
from oracle.postgres import introspect

FIXTURES = Path(__file__).parent / "fixtures" / "django"


def _settings_text(root: Path) -> str:
    return "".join(p.read_text() for p in root.glob("*/settings.py"))


# The PostgreSQL projects; the MySQL and SQLite ones are tests/test_oracle_django_backends.py's.
PROJECTS = sorted(
    p.name
    for p in FIXTURES.iterdir()
    if (p / "manage.py").exists() and "backends.postgresql" in _settings_text(p)
)
CONTRIB = ("auth_", "django_")


def django_files(root: Path, kind: str) -> tuple[str, ...]:
    """The files a Django source of `kind` reads: settings, apps.py, and models or migrations."""
    out = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        parts = rel.split("/")
        is_migration = "migrations" in parts[:-1]
        wanted = (
            parts[-1] in ("settings.py", "apps.py")
            or (kind == "django-migrations" and is_migration)
            or (kind == "django" and (parts[-1] == "models.py" or "models" in parts[:-1]))
        )
        if wanted:
            out.append(rel)
    return tuple(out)


def source(root: Path, kind: str) -> Source:
    return Source(root.name, kind, "postgresql", root, django_files(root, kind))


def manage(root: Path, dsn: str, *args: str) -> subprocess.CompletedProcess:
    from psycopg.conninfo import conninfo_to_dict

    info = conninfo_to_dict(dsn)
    env = {
        **os.environ,
        "DJANGO_DB_NAME": str(info["dbname"]),
        "DJANGO_DB_USER": str(info.get("user", "postgres")),
        "DJANGO_DB_HOST": str(info.get("host", "127.0.0.1")),
        "DJANGO_DB_PORT": str(info.get("port", "5432")),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def own_tables(tables: dict) -> dict:
    return {n: t for n, t in tables.items() if not n.rpartition(".")[2].startswith(CONTRIB)}


@pytest.mark.parametrize("name", PROJECTS)
def test_migrations_replay_equals_migrate(name: str, pg_scratch: str) -> None:
    root = FIXTURES / name
    done = manage(root, pg_scratch, "migrate", "--no-input")
    assert done.returncode == 0, done.stderr
    ours = read(source(root, "django-migrations"))
    assert ours.errors == ()
    theirs = own_tables(introspect(pg_scratch)["tables"])
    assert project(ours)["tables"] == theirs


@pytest.mark.parametrize("name", PROJECTS)
def test_models_equal_migrations_when_in_sync(name: str, pg_scratch: str) -> None:
    root = FIXTURES / name
    check = manage(root, pg_scratch, "makemigrations", "--check", "--dry-run")
    assert check.returncode == 0, check.stdout + check.stderr
    models = read(source(root, "django"))
    migrations = read(source(root, "django-migrations"))
    assert models.errors == ()
    assert in_any_order(project(models)["tables"]) == without_run_sql(root, migrations)


def in_any_order(tables: dict) -> dict:
    """What ``makemigrations --check`` compares: not column order (relations move to
    ``AddField``) and not generated index or constraint names (a renamed table or field keeps
    the names its history gave them; the models would name them afresh)."""
    out = {}
    for name, t in tables.items():
        out[name] = {
            **t,
            "columns": sorted(t["columns"]),
            "primary_key": t["primary_key"][1] if t["primary_key"] else None,
            "foreign_keys": sorted(f[1:] for f in t["foreign_keys"]),
            "uniques": sorted(u[1:] for u in t["uniques"]),
            "indexes": sorted(i[1:] for i in t["indexes"]),
        }
    return out


def without_run_sql(root: Path, schema: Schema) -> dict:
    """The migrations' tables without what raw ``RunSQL`` made (models cannot say it)."""

    def raw(origin: Origin | None) -> bool:
        assert origin is not None
        lines = (root / origin.path).read_text().splitlines()
        return "RunSQL(" in lines[origin.line - 1]

    raw_indexes = {i.name for t in schema.tables for i in t.indexes if raw(i.origin)}
    tables = {
        k: t
        for k, t in project(schema)["tables"].items()
        if not raw(schema.table(k.rpartition(".")[2]).origin)
    }
    for t in tables.values():
        t["indexes"] = [i for i in t["indexes"] if i[0] not in raw_indexes]
    return in_any_order(tables)


# What makemigrations --check prints for each field operation it would write.
_CHANGE = re.compile(r"^\s*[-+~] (?:Add|Alter|Remove) field (\w+) (?:to|on|from) (\w+)$", re.M)
_APP = re.compile(r"^Migrations for '(\w+)':$", re.M)


def field_changes(output: str) -> set[tuple[str, str]]:
    """``(table, column)`` of every field change makemigrations would write (fixture
    models here use the default table name and plain, non-relation fields)."""
    changes = set()
    parts = _APP.split(output)
    for app, block in zip(parts[1::2], parts[2::2], strict=True):
        for column, model in _CHANGE.findall(block):
            changes.add((f"{app}_{model}", column))
    return changes


def drift(root: Path) -> None:
    """A model change without its migration: a new column, a type and a nullability."""
    path = root / "catalog" / "models.py"
    text = path.read_text()
    text = text.replace(
        "    weight = models.FloatField(null=True)\n",
        "    weight = models.DecimalField(max_digits=8, decimal_places=3, null=True)\n"
        "    barcode = models.CharField(max_length=14, null=True)\n",
    )
    text = text.replace(
        "max_length=250, db_index=True)", "max_length=250, db_index=True, null=True)"
    )
    path.write_text(text)


def compared(findings: list) -> set[tuple[str, str]]:
    """``(table, column)`` of the findings between the models and the migrations."""
    out = set()
    for f in findings:
        sources = {e.source for e in f.evidence}
        if f.table and f.column and sources == {".", "*/migrations"}:
            out.add((f.table, f.column))
    return out


def test_scan_reports_what_makemigrations_check_reports(tmp_path: Path, pg_scratch: str) -> None:
    root = tmp_path / "shop"
    shutil.copytree(FIXTURES / "shop", root, ignore=shutil.ignore_patterns("__pycache__"))
    drift(root)
    check = manage(root, pg_scratch, "makemigrations", "--check", "--dry-run")
    assert check.returncode == 1, check.stdout + check.stderr
    expected = field_changes(check.stdout)
    assert len(expected) == 3, check.stdout
    assert compared(scan(root).findings) == expected


@pytest.mark.parametrize("name", PROJECTS)
def test_scan_finds_nothing_when_in_sync(name: str) -> None:
    result = scan(FIXTURES / name)
    kinds = {s.kind for s in result.discovery.sources}
    assert kinds == {"django", "django-migrations"}
    assert compared(result.findings) == set()


def test_generated_history_equals_migrate(tmp_path: Path, pg_scratch: str) -> None:
    """The benchmark's generated history (every operation kind, cross-app dependencies),
    100 migrations of it, against the real ``migrate``."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from generate_django import write_project

    root = write_project(tmp_path / "generated", 100)
    done = manage(root, pg_scratch, "migrate", "--no-input")
    assert done.returncode == 0, done.stderr
    ours = read(source(root, "django-migrations"))
    assert ours.errors == ()
    assert project(ours)["tables"] == own_tables(introspect(pg_scratch)["tables"])
