"""Oracle tests of the Alembic reader: the real ``alembic upgrade heads`` on a real PostgreSQL.

Each project under tests/fixtures/alembic/<name>/ is an Alembic project written the way
real ones are (generated revision headers, ``op.f`` names, batch blocks, raw SQL, dialect
branches).  For each one:

1. discovery finds exactly one ``alembic`` source, holding the ini, env.py and every script;
2. ``python -m alembic -c alembic.ini upgrade heads`` runs in a subprocess against a scratch
   database; its catalog (less Alembic's own ``alembic_version``) equals dbdrift's static
   replay exactly: tables, columns, types, nullability, defaults, keys with names and
   actions, uniques, indexes, checks and enums.

The sync check: for the project whose ``app/models.py`` matches its history, Alembic's own
``compare_metadata`` finds nothing and dbdrift's scan has no finding above low; for a copy
with a deliberate model change, both report the same columns.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dbdrift.discover import discover
from dbdrift.readers import read
from dbdrift.scan import scan
from oracle.compare import project
from oracle.postgres import introspect

FIXTURES = Path(__file__).parent / "fixtures" / "alembic"
# PostgreSQL projects; mysql_* and sqlite_* ones are test_oracle_alembic_dialects.py's
NAMES = sorted(
    p.name
    for p in FIXTURES.iterdir()
    if (p / "alembic.ini").is_file() and not p.name.startswith(("mysql_", "sqlite_"))
)
ALEMBIC_VERSION = "public.alembic_version"


def _url(dsn: str) -> str:
    """A SQLAlchemy URL (psycopg 3 driver) for a libpq connection string."""
    from psycopg.conninfo import conninfo_to_dict
    from sqlalchemy.engine import URL

    info = conninfo_to_dict(dsn)
    host = str(info.get("host") or "127.0.0.1")
    query = {"host": host} if host.startswith("/") else {}
    return URL.create(
        "postgresql+psycopg",
        username=str(info.get("user") or "postgres"),
        password=str(info["password"]) if info.get("password") else None,
        host=None if query else host,
        port=int(info["port"]) if info.get("port") else None,
        database=str(info["dbname"]),
        query=query,
    ).render_as_string(hide_password=False)


def _environ(dsn: str) -> dict[str, str]:
    return dict(os.environ, DATABASE_URL=_url(dsn), PYTHONDONTWRITEBYTECODE="1")


def upgrade_heads(project_dir: Path, dsn: str) -> None:
    """The real Alembic, in its own process, as a developer runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", "alembic.ini", "upgrade", "heads"],
        cwd=project_dir,
        env=_environ(dsn),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def _source(project_dir: Path):
    sources = [s for s in discover(project_dir).sources if s.kind == "alembic"]
    assert len(sources) == 1, [s.id for s in sources]
    return sources[0]


def test_there_are_enough_projects() -> None:
    assert len(NAMES) >= 4


@pytest.mark.parametrize("name", NAMES)
def test_discovered_as_one_source(name: str) -> None:
    source = _source(FIXTURES / name)
    scripts = [f for f in source.files if "/versions/" in f or "/billing/" in f]
    assert source.files[0] == "alembic.ini"
    assert source.files[1].endswith("env.py")
    assert len(scripts) == len(source.files) - 2 >= 1
    assert source.dialect == "postgresql"


@pytest.mark.postgres
@pytest.mark.parametrize("name", NAMES)
def test_replay_agrees_with_alembic_upgrade(name: str, pg_scratch: str) -> None:
    upgrade_heads(FIXTURES / name, pg_scratch)
    real = introspect(pg_scratch)
    assert real["tables"].pop(ALEMBIC_VERSION)["primary_key"] == [
        "alembic_version_pkc",
        ["version_num"],
    ]
    schema = read(_source(FIXTURES / name))
    assert not schema.errors, schema.errors
    ours = project(schema)
    assert ours["tables"] == real["tables"]
    assert ours["enums"] == real["enums"]


def _pyproject_project(tmp_path: Path) -> Path:
    """`linear`, configured the Alembic 1.16+ way: options in pyproject.toml's
    [tool.alembic] (version_locations as a list), only the URL left in alembic.ini."""
    root = tmp_path / "linear_pyproject"
    shutil.copytree(FIXTURES / "linear", root, ignore=shutil.ignore_patterns("__pycache__"))
    ini = root / "alembic.ini"
    kept = [
        line
        for line in ini.read_text().splitlines()
        if not line.startswith(("script_location", "prepend_sys_path"))
    ]
    ini.write_text("\n".join(kept) + "\n")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "linear-app"\nversion = "0"\n\n'
        "[tool.alembic]\n"
        'script_location = "%(here)s/migrations"\n'
        'version_locations = ["%(here)s/migrations/versions"]\n'
        'prepend_sys_path = ["."]\n'
    )
    return root


@pytest.mark.postgres
def test_pyproject_configuration_is_found_and_agrees(tmp_path: Path, pg_scratch: str) -> None:
    root = _pyproject_project(tmp_path)
    source = _source(root)
    assert (source.files[0], source.details["layout"]) == ("pyproject.toml", "pyproject")
    assert (source.dialect, source.dialect_evidence) == (
        "postgresql",
        "alembic.ini: sqlalchemy.url",
    )
    upgrade_heads(root, pg_scratch)
    real = introspect(pg_scratch)
    real["tables"].pop(ALEMBIC_VERSION)
    schema = read(source)
    assert not schema.errors, schema.errors
    assert project(schema)["tables"] == real["tables"]


# -- models vs history: Alembic's compare_metadata and dbdrift's scan agree ----------------

_COMPARE = """
import json, sys
sys.path.insert(0, sys.argv[2])
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine
from app.models import Base

engine = create_engine(sys.argv[1])
with engine.connect() as conn:
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    diffs = compare_metadata(context, Base.metadata)
out = []
for diff in diffs:
    for item in diff if isinstance(diff, list) else [diff]:
        kind = item[0]
        if kind in ("add_column", "remove_column"):
            out.append([kind, item[2], item[3].name])
        elif kind.startswith("modify_"):
            out.append([kind, item[2], item[3]])
        else:
            out.append([kind, str(item[1])])
print(json.dumps(sorted(out)))
"""


def compare_metadata(project_dir: Path, dsn: str) -> list[list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _COMPARE, _url(dsn), str(project_dir)],
        env=_environ(dsn),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _above_low(path: Path) -> list[tuple[str, str | None, str | None]]:
    findings = scan(path).findings
    return sorted(
        (f.rule, f.table, f.column) for f in findings if f.severity not in ("low", "info")
    )


@pytest.mark.postgres
def test_models_in_sync_with_history(pg_scratch: str) -> None:
    upgrade_heads(FIXTURES / "batch", pg_scratch)
    assert compare_metadata(FIXTURES / "batch", pg_scratch) == []
    kinds = {s.kind for s in discover(FIXTURES / "batch").sources}
    assert kinds == {"alembic", "sqlalchemy"}
    assert _above_low(FIXTURES / "batch") == []


def _drift(tmp_path: Path) -> Path:
    """The batch project with three model changes the history does not have."""
    copy = tmp_path / "batch"
    shutil.copytree(FIXTURES / "batch", copy)
    models = copy / "app" / "models.py"
    text = models.read_text()
    edits = [
        (
            "    email: Mapped[str | None] = mapped_column(String(120), unique=True)\n",
            "    email: Mapped[str | None] = mapped_column(String(120), unique=True)\n"
            "    phone: Mapped[str | None] = mapped_column(String(30))\n",
        ),
        (
            "amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))",
            "amount: Mapped[float] = mapped_column(Float)",
        ),
        (
            "from sqlalchemy import CheckConstraint,",
            "from sqlalchemy import CheckConstraint, Float,",
        ),
        (
            "note: Mapped[str | None] = mapped_column(String(200))",
            "note: Mapped[str] = mapped_column(String(200))",
        ),
    ]
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    models.write_text(text)
    return copy


@pytest.mark.postgres
def test_model_drift_reported_like_compare_metadata(pg_scratch: str, tmp_path: Path) -> None:
    drifted = _drift(tmp_path)
    upgrade_heads(drifted, pg_scratch)
    diffs = compare_metadata(drifted, pg_scratch)
    assert diffs == [
        ["add_column", "customers", "phone"],
        ["modify_nullable", "orders", "note"],
        ["modify_type", "orders", "amount"],
    ]
    findings = _above_low(drifted)
    assert {(table, column) for _, table, column in findings} == {
        (table, column) for _, table, column in diffs
    }
    rules = {column: rule for rule, _, column in findings}
    assert rules["phone"] == "DBD110"
    assert rules["amount"].startswith("DBD2")
    assert rules["note"] == "DBD401"
