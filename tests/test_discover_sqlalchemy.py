"""Discovery of SQLAlchemy / SQLModel / Flask-SQLAlchemy model sources, on tmp_path trees."""

from __future__ import annotations

from pathlib import Path

from dbdrift.discover import discover

MODELS = """\
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
"""


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _sources(root: Path) -> list:
    return [s for s in discover(root).sources if s.kind == "sqlalchemy"]


def test_single_model_file_is_one_source(tmp_path: Path) -> None:
    _write(tmp_path, {"app/models.py": MODELS, "app/views.py": "print('hi')\n"})
    [source] = _sources(tmp_path)
    assert source.id == "app/models.py"
    assert source.files == ("app/models.py",)
    assert source.dialect == "postgresql"
    assert source.dialect_evidence.startswith("default")


def test_package_of_model_files_is_one_source(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "svc/models/__init__.py": "from .user import User\nfrom .order import Order\n",
            "svc/models/base.py": (
                "from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n"
                "    pass\n"
            ),
            "svc/models/user.py": (
                "from sqlalchemy.orm import Mapped, mapped_column\nfrom .base import Base\n\n\n"
                "class User(Base):\n    __tablename__ = 'users'\n"
                "    id: Mapped[int] = mapped_column(primary_key=True)\n"
            ),
            "svc/models/order.py": (
                "from sqlalchemy import ForeignKey\nfrom sqlalchemy.orm import (\n    Mapped,\n"
                "    mapped_column,\n)\n"
                "from svc.models.base import Base\nfrom .user import User\n\n\n"
                "class Order(Base):\n    __tablename__ = 'orders'\n"
                "    id: Mapped[int] = mapped_column(primary_key=True)\n"
                "    user_id: Mapped[int] = mapped_column(ForeignKey(User.id))\n"
            ),
        },
    )
    [source] = _sources(tmp_path)
    assert source.id == "svc/models"
    assert set(source.files) == {
        "svc/models/base.py",
        "svc/models/user.py",
        "svc/models/order.py",
    }
    # What a file imports comes before it.
    assert source.files.index("svc/models/base.py") < source.files.index("svc/models/user.py")
    assert source.files.index("svc/models/user.py") < source.files.index("svc/models/order.py")


def test_imported_base_and_enum_files_join_a_lone_model_file(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "app/db.py": "from sqlalchemy.orm import declarative_base\nBase = declarative_base()\n",
            "app/enums.py": "import enum\n\n\nclass Role(enum.Enum):\n    admin = 'admin'\n",
            "app/config.py": "DEBUG = True\n",
            "app/models.py": (
                "from sqlalchemy import Column, Enum, Integer\nfrom app.db import Base\n"
                "from app.enums import Role\nfrom app import config\n\n\n"
                "class User(Base):\n    __tablename__ = 'users'\n"
                "    id = Column(Integer, primary_key=True)\n    role = Column(Enum(Role))\n"
            ),
        },
    )
    [source] = _sources(tmp_path)
    assert source.id == "app/models.py"
    assert source.files == ("app/db.py", "app/enums.py", "app/models.py")


def test_byte_identical_copies_are_one_source(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "services/a/models.py": MODELS,
            "services/b/models.py": MODELS,
            "services/c/models.py": MODELS.replace("String(50)", "String(80)"),
        },
    )
    sources = _sources(tmp_path)
    assert [(s.id, s.copies) for s in sources] == [
        ("services/a/models.py", ("services/b/models.py",)),
        ("services/c/models.py", ()),
    ]


def test_non_table_classes_are_not_sources(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "api/schemas.py": (
                "from pydantic import BaseModel\n\n\nclass UserIn(BaseModel):\n    name: str\n"
            ),
            "api/dto.py": (
                "from typing import Optional\nfrom sqlmodel import Field, SQLModel\n\n\n"
                "class HeroBase(SQLModel):\n    name: str = Field(index=True)\n\n\n"
                "class HeroRead(HeroBase):\n    id: int\n"
            ),
            "api/mixins.py": (
                "from sqlalchemy import Column, DateTime\n\n\nclass Stamped:\n"
                "    created = Column(DateTime)\n"
            ),
            "api/abstract.py": (
                "from sqlalchemy import Column, Integer\n"
                "from sqlalchemy.orm import declarative_base\n"
                "Base = declarative_base()\n\n\nclass Model(Base):\n    __abstract__ = True\n"
                "    id = Column(Integer, primary_key=True)\n"
            ),
            "api/app.py": "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n",
        },
    )
    assert _sources(tmp_path) == []


def test_sqlmodel_tables_flask_models_and_core_tables_are_sources(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "a/heroes.py": (
                "from typing import Optional\nfrom sqlmodel import Field, SQLModel\n\n\n"
                "class Hero(SQLModel, table=True):\n"
                "    id: Optional[int] = Field(default=None, primary_key=True)\n"
            ),
            "b/todo.py": (
                "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n\n\n"
                "class Todo(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n"
            ),
            "c/tables.py": (
                "from sqlalchemy import Column, Integer, MetaData, Table\nmetadata = MetaData()\n"
                "t = Table('t', metadata, Column('id', Integer, primary_key=True))\n"
            ),
        },
    )
    assert [s.id for s in _sources(tmp_path)] == ["a/heroes.py", "b/todo.py", "c/tables.py"]


def test_alembic_revisions_are_not_model_sources(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "alembic/versions/0001_init.py": (
                "import sqlalchemy as sa\nfrom alembic import op\n\n\ndef upgrade():\n"
                "    op.create_table('users', sa.Column('id', sa.Integer(), primary_key=True))\n"
                "    seed = sa.Table('users', sa.MetaData(), sa.Column('id', sa.Integer()))\n"
                "    op.bulk_insert(seed, [{'id': 1}])\n\n\n"
                "revision = '0001'\ndown_revision = None\n"
            ),
        },
    )
    assert _sources(tmp_path) == []


def test_dialect_from_alembic_ini_in_an_ancestor(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "svc/alembic.ini": "[alembic]\nscript_location = alembic\n"
            "sqlalchemy.url = mysql+pymysql://root@localhost/app\n",
            "svc/app/models.py": MODELS,
        },
    )
    [source] = _sources(tmp_path)
    assert source.dialect == "mysql"
    assert "svc/alembic.ini:3" in source.dialect_evidence


def test_dialect_from_create_engine_in_the_package(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "app/models.py": MODELS,
            "app/database.py": "from sqlalchemy import create_engine\n"
            "engine = create_engine('sqlite:///./app.db')\n",
        },
    )
    [source] = _sources(tmp_path)
    assert source.dialect == "sqlite"
    assert "app/database.py:2" in source.dialect_evidence


def test_file_with_syntax_error_is_kept_for_the_reader(tmp_path: Path) -> None:
    _write(tmp_path, {"app/models.py": MODELS + "\nclass Broken(Base:\n"})
    [source] = _sources(tmp_path)
    assert source.id == "app/models.py"


def test_virtualenvs_and_site_packages_are_skipped(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "env/pyvenv.cfg": "home = /usr/bin\n",
            "env/lib/python3.11/site-packages/pkg/models.py": MODELS,
            ".venv/lib/models.py": MODELS,
            "node_modules/x/models.py": MODELS,
            "opt/lib/python3.11/site-packages/lib/models.py": MODELS,
        },
    )
    assert _sources(tmp_path) == []


def test_models_written_inside_strings_are_not_sources(tmp_path: Path) -> None:
    quoted = '"""Generated code."""\n\nTEMPLATE = """\n' + MODELS + '"""\n'
    inline = "CODE = \"class T(Base):\\n    __tablename__ = 't'\\n\"\nx = Table('a', 'b')\n"
    _write(tmp_path, {"gen/template.py": quoted, "gen/inline.py": inline})
    assert _sources(tmp_path) == []


def test_flask_models_importing_db_from_the_app_are_sources(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "app/__init__.py": "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n",
            "app/models.py": (
                "from app import db\n\n\nclass Post(db.Model):\n"
                "    id = db.Column(db.Integer, primary_key=True)\n"
            ),
        },
    )
    [source] = _sources(tmp_path)
    assert source.id == "app/models.py"
    assert source.files == ("app/__init__.py", "app/models.py")
