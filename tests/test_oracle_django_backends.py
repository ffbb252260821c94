"""Oracle: Django's ``manage.py migrate`` on MariaDB and on SQLite vs dbdrift's static replay.

The fixture projects whose settings name the MySQL or the SQLite backend are migrated by
Django itself in a subprocess (the MySQL ones on PyMySQL, installed as ``MySQLdb`` by their
settings; DATABASES from environment variables) into a scratch MariaDB database or a
temporary SQLite file; the result is introspected and dbdrift's reading of the migrations,
spelled by its model of that backend's schema editor and replayed by its MySQL or SQLite
replay, must equal it.  Where ``makemigrations --check`` passes, dbdrift's reading of the
models must equal its reading of the migrations.  Django's contrib tables are left out on
both sides, as in the PostgreSQL oracle (tests/test_oracle_django.py).
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dbdrift.readers import read
from dbdrift.scan import scan
from dbdrift.schema import Schema
from dbdrift.source import Source
from oracle.compare import project
from test_oracle_django import FIXTURES, in_any_order, own_tables, source, without_run_sql

_ENGINE = re.compile(r"django\.db\.backends\.(\w+)")


def engine(root: Path) -> str:
    settings = next(root.glob("*/settings.py"))
    found = _ENGINE.search(settings.read_text())
    return found.group(1) if found else ""


MYSQL = sorted(p.parent.name for p in FIXTURES.glob("*/manage.py") if engine(p.parent) == "mysql")
SQLITE = sorted(
    p.parent.name for p in FIXTURES.glob("*/manage.py") if engine(p.parent) == "sqlite3"
)


def typed(root: Path, kind: str, dialect: str) -> Source:
    base = source(root, kind)
    return Source(base.id, base.kind, dialect, base.root, base.files)


def manage(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=root,
        env={**os.environ, **env, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture(scope="module")
def mariadb():
    from oracle.mariadb import find_server

    return find_server()


@pytest.fixture
def maria_scratch(mariadb) -> Iterator[tuple[object, dict[str, str]]]:
    from oracle.mariadb import scratch_database

    with scratch_database(mariadb) as name:
        yield (
            (mariadb, name),
            {
                "DJANGO_DB_NAME": name,
                "DJANGO_DB_USER": mariadb.user,
                "DJANGO_DB_PASSWORD": mariadb.password,
                "DJANGO_DB_HOST": mariadb.host,
                "DJANGO_DB_PORT": str(mariadb.port),
            },
        )


def read_clean(root: Path, kind: str, dialect: str) -> Schema:
    ours = read(typed(root, kind, dialect))
    assert ours.errors == ()
    assert not [n for n in ours.notes if n.kind == "django-dialect"]
    return ours


def test_fixtures_exist() -> None:
    assert len(MYSQL) >= 1 and len(SQLITE) >= 1


@pytest.mark.parametrize("name", MYSQL)
def test_mysql_migrations_replay_equals_migrate(name: str, maria_scratch) -> None:
    from oracle.mariadb import introspect

    (server, database), env = maria_scratch
    root = FIXTURES / name
    done = manage(root, env, "migrate", "--no-input")
    assert done.returncode == 0, done.stderr
    theirs = own_tables(introspect(server, database)["tables"])
    assert theirs, "migrate created no table of the project's own"
    assert project(read_clean(root, "django-migrations", "mysql"))["tables"] == theirs


# Indexes only a history makes on MySQL: ``_create_missing_fk_index`` gives a foreign key a
# plain index before the composite unique index that stood in for it is dropped (market's
# orders 0003 turns ``unique_together`` into a ``UniqueConstraint``), and nothing drops it.
HISTORY_ONLY = {"market": {"orders_orderline": [["order_id"], False, False]}}


@pytest.mark.parametrize("name", MYSQL)
def test_mysql_models_equal_migrations_when_in_sync(name: str, maria_scratch) -> None:
    _, env = maria_scratch
    root = FIXTURES / name
    check = manage(root, env, "makemigrations", "--check", "--dry-run")
    assert check.returncode == 0, check.stdout + check.stderr
    models = in_any_order(project(read_clean(root, "django", "mysql"))["tables"])
    migrations = without_run_sql(root, read_clean(root, "django-migrations", "mysql"))
    for table, index in HISTORY_ONLY.get(name, {}).items():
        assert index not in models[table]["indexes"]
        migrations[table]["indexes"].remove(index)
    assert models == migrations


def migrate_sqlite(root: Path, path: Path) -> dict:
    from oracle.sqlite import introspect

    done = manage(root, {"DJANGO_DB_NAME": str(path)}, "migrate", "--no-input")
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(path)
    try:
        return own_tables(introspect(conn)["tables"])
    finally:
        conn.close()


@pytest.mark.parametrize("name", SQLITE)
def test_sqlite_migrations_replay_equals_migrate(name: str, tmp_path: Path) -> None:
    root = FIXTURES / name
    theirs = migrate_sqlite(root, tmp_path / "db.sqlite3")
    assert theirs, "migrate created no table of the project's own"
    assert project(read_clean(root, "django-migrations", "sqlite"))["tables"] == theirs


@pytest.mark.parametrize("name", SQLITE)
def test_sqlite_models_equal_migrations_when_in_sync(name: str, tmp_path: Path) -> None:
    root = FIXTURES / name
    env = {"DJANGO_DB_NAME": str(tmp_path / "db.sqlite3")}
    check = manage(root, env, "makemigrations", "--check", "--dry-run")
    assert check.returncode == 0, check.stdout + check.stderr
    models = read_clean(root, "django", "sqlite")
    migrations = read_clean(root, "django-migrations", "sqlite")
    assert in_any_order(project(models)["tables"]) == without_run_sql(root, migrations)


@pytest.mark.parametrize("name", MYSQL + SQLITE)
def test_scan_reads_the_dialect_and_finds_nothing_when_in_sync(name: str) -> None:
    from test_oracle_django import compared

    result = scan(FIXTURES / name)
    dialects = {s.kind: s.dialect for s in result.discovery.sources}
    expected = "mysql" if name in MYSQL else "sqlite"
    assert dialects == {"django": expected, "django-migrations": expected}
    assert compared(result.findings) == set()


def test_generated_history_equals_migrate_on_sqlite(tmp_path: Path) -> None:
    """The benchmark's generated history (every operation kind, cross-app dependencies,
    ``RunSQL``), 100 migrations of it, migrated by Django onto SQLite."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from generate_django import write_project

    root = write_project(tmp_path / "generated", 100)
    settings = root / "config" / "settings.py"
    sqlite = 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", '
    sqlite += '"NAME": os.environ["DJANGO_DB_NAME"]}}\n'
    text, count = re.subn(r"DATABASES = \{.*?\n\}\n", sqlite, settings.read_text(), flags=re.S)
    assert count == 1
    settings.write_text(text)
    theirs = migrate_sqlite(root, tmp_path / "db.sqlite3")
    assert len(theirs) >= 10
    assert project(read_clean(root, "django-migrations", "sqlite"))["tables"] == theirs
