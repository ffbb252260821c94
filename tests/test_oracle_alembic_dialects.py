"""Oracle tests of the Alembic reader on MySQL / MariaDB and SQLite projects.

A project whose ``alembic.ini`` points ``sqlalchemy.url`` at MySQL or SQLite is read as the
DDL Alembic's MySQL impl (``CHANGE`` / ``MODIFY`` / ``ALTER COLUMN ... DEFAULT``, inline
enums) or SQLite impl (batch "move and copy") sends.  Each fixture
tests/fixtures/alembic/<dialect>_<name>/ is upgraded by the real ``alembic upgrade heads``
(in a subprocess) on a scratch MariaDB database or a temporary SQLite file; the catalog,
less ``alembic_version``, equals dbdrift's static replay exactly.  The project's models
(``app/models.py``) match its history: the scan has no finding above low.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dbdrift.discover import discover
from dbdrift.readers import read
from dbdrift.scan import scan
from oracle import mariadb
from oracle import sqlite as sqlite_oracle
from oracle.compare import project

FIXTURES = Path(__file__).parent / "fixtures" / "alembic"
MYSQL = sorted(p.name for p in FIXTURES.glob("mysql_*") if (p / "alembic.ini").is_file())
SQLITE = sorted(p.name for p in FIXTURES.glob("sqlite_*") if (p / "alembic.ini").is_file())


def upgrade_heads(project_dir: Path, url: str) -> None:
    """The real Alembic, in its own process, against `url`."""
    env = dict(os.environ, DATABASE_URL=url, PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", "alembic.ini", "upgrade", "heads"],
        cwd=project_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def _source(name: str):
    sources = [s for s in discover(FIXTURES / name).sources if s.kind == "alembic"]
    assert len(sources) == 1, [s.id for s in sources]
    return sources[0]


def _ours(name: str) -> dict:
    schema = read(_source(name))
    assert not schema.errors, schema.errors
    unread = [n for n in schema.notes if n.kind in ("alembic-dynamic", "alembic-op")]
    assert not unread, unread
    return project(schema)


def test_each_dialect_has_a_project() -> None:
    assert MYSQL and SQLITE


@pytest.mark.parametrize("name", MYSQL + SQLITE)
def test_discovered_with_its_dialect(name: str) -> None:
    assert _source(name).dialect == name.partition("_")[0]


@pytest.fixture(scope="module")
def maria() -> mariadb.Server:
    return mariadb.find_server()


@pytest.fixture
def maria_scratch(maria: mariadb.Server) -> Iterator[tuple[mariadb.Server, str]]:
    with mariadb.scratch_database(maria) as database:
        yield maria, database


@pytest.mark.parametrize("name", MYSQL)
def test_replay_agrees_with_alembic_on_mariadb(name: str, maria_scratch: tuple) -> None:
    server, database = maria_scratch
    url = f"mysql+pymysql://{server.user}:{server.password}@{server.host}:{server.port}/{database}"
    upgrade_heads(FIXTURES / name, url)
    real = mariadb.introspect(server, database)
    assert real["tables"].pop("alembic_version")["primary_key"][1] == ["version_num"]
    ours = _ours(name)
    assert ours["tables"] == real["tables"]
    assert ours["enums"] == real["enums"]


@pytest.mark.parametrize("name", SQLITE)
def test_replay_agrees_with_alembic_on_sqlite(name: str, tmp_path: Path) -> None:
    path = tmp_path / "oracle.db"
    upgrade_heads(FIXTURES / name, f"sqlite:///{path}")
    conn = sqlite3.connect(path)
    try:
        real = sqlite_oracle.introspect(conn)
    finally:
        conn.close()
    assert real["tables"].pop("alembic_version")["columns"][0][0] == "version_num"
    ours = _ours(name)
    assert ours["tables"] == real["tables"]


@pytest.mark.parametrize("name", MYSQL + SQLITE)
def test_models_in_sync_with_history(name: str) -> None:
    kinds = {s.kind for s in discover(FIXTURES / name).sources}
    assert kinds == {"alembic", "sqlalchemy"}
    findings = scan(FIXTURES / name).findings
    above = [(f.rule, f.table, f.column) for f in findings if f.severity not in ("low", "info")]
    assert above == []
