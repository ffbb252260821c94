"""Finding an Alembic project's files: ``alembic.ini`` options, version folders, an ini in a
subfolder or none at all, and ``target_metadata``'s convention followed into model files."""

from __future__ import annotations

from pathlib import Path

from alembic_project import revision

from dbdrift.discover import discover
from dbdrift.readers import read
from dbdrift.readers.alembic.config import read_ini, split_locations

TABLE = 'op.create_table("{0}", sa.Column("id", sa.Integer(), primary_key=True))'


def test_version_locations_split_as_alembic_splits_them() -> None:
    assert split_locations("a b,c", {}) == ["a", "b", "c"]
    assert split_locations("a b:c", {"path_separator": "os"}) == ["a b", "c"]
    assert split_locations("a;b", {"version_path_separator": ";"}) == ["a", "b"]
    assert split_locations("a  b", {"path_separator": "space"}) == ["a", "b"]


def test_here_is_interpolated() -> None:
    options = read_ini("[alembic]\nscript_location = %(here)s/db\n", "/repo/backend")
    assert options["script_location"] == "/repo/backend/db"


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_ini_in_a_subfolder_with_several_version_locations(tmp_path: Path) -> None:
    ini = (
        "[alembic]\nscript_location = %(here)s/db\n"
        "version_locations = %(here)s/db/versions %(here)s/extra\n"
        "sqlalchemy.url = postgresql://x/y\n"
    )
    _write(
        tmp_path,
        {
            "backend/alembic.ini": ini,
            "backend/db/env.py": "from alembic import context\ntarget_metadata = None\n",
            "backend/db/versions/a.py": revision("a", None, TABLE.format("one")),
            "backend/extra/b.py": revision("b", "a", TABLE.format("two")),
            "backend/db/unused/c.py": revision("c", "b", TABLE.format("never")),
        },
    )
    sources = [s for s in discover(tmp_path).sources if s.kind == "alembic"]
    assert [(s.id, s.files) for s in sources] == [
        (
            "backend/db",
            (
                "backend/alembic.ini",
                "backend/db/env.py",
                "backend/db/versions/a.py",
                "backend/extra/b.py",
            ),
        )
    ]
    assert sorted(t.name for t in read(sources[0]).tables) == ["one", "two"]


def test_script_folder_without_an_ini(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "app/migrations/env.py": "from alembic import context\ncontext.run_migrations()\n",
            "app/migrations/versions/a.py": revision("a", None, TABLE.format("one")),
        },
    )
    sources = [s for s in discover(tmp_path).sources if s.kind == "alembic"]
    assert [s.id for s in sources] == ["app/migrations"]
    assert [t.name for t in read(sources[0]).tables] == ["one"]


MODELS = """
from sqlalchemy import MetaData
from sqlalchemy.orm import declarative_base

metadata = MetaData(naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"})
Base = declarative_base(metadata=metadata)
"""


def test_convention_followed_into_the_models_package(tmp_path: Path) -> None:
    body = 'op.create_table("t", sa.Column("code", sa.String(5), unique=True))'
    _write(
        tmp_path,
        {
            "alembic.ini": "[alembic]\nscript_location = migrations\nprepend_sys_path = src\n",
            "migrations/env.py": (
                "from alembic import context\nfrom shop.db.base import Base\n\n"
                "target_metadata = Base.metadata\n"
            ),
            "migrations/versions/a.py": revision("a", None, body),
            "src/shop/__init__.py": "",
            "src/shop/db/__init__.py": "",
            "src/shop/db/base.py": MODELS,
        },
    )
    source = next(s for s in discover(tmp_path).sources if s.kind == "alembic")
    table = read(source).table("t")
    assert table is not None and [u.name for u in table.uniques] == ["uq_t_code"]
