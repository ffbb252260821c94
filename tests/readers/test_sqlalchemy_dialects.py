"""The SQLAlchemy reader's dialects: which one discovery gives a model source, and the types
spelled for it (the oracle against MariaDB and sqlite3 is tests/test_oracle_sqlalchemy_dialects.py).
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from dbdrift.discover import discover
from dbdrift.readers import read
from dbdrift.schema import Schema
from dbdrift.source import Source

HEAD = """\
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base
Base = declarative_base()
"""


def _sources(tmp_path: Path, body: str) -> list[Source]:
    (tmp_path / "models.py").write_text(HEAD + textwrap.dedent(body))
    return [s for s in discover(tmp_path).sources if s.kind == "sqlalchemy"]


def _read(tmp_path: Path, body: str, dialect: str) -> Schema:
    (tmp_path / "models.py").write_text(HEAD + textwrap.dedent(body))
    return read(Source("models", "sqlalchemy", dialect, tmp_path, ("models.py",)))


MYSQL_TYPES = """
    from sqlalchemy.dialects.mysql import TINYINT
    class A(Base):
        __tablename__ = "a"
        id = Column(Integer, primary_key=True)
        level = Column(TINYINT(unsigned=True))
"""


@pytest.mark.parametrize(
    ("body", "dialect", "evidence"),
    [
        (MYSQL_TYPES, "mysql", "sqlalchemy.dialects.mysql imported in models.py:5"),
        (
            "from sqlalchemy.dialects import sqlite\nclass A(Base):\n    __tablename__ = 'a'\n"
            "    id = Column(Integer, primary_key=True)\n    at = Column(sqlite.DATETIME)\n",
            "sqlite",
            "sqlalchemy.dialects.sqlite imported in models.py:4",
        ),
        (
            "from sqlalchemy.dialects import postgresql, mysql\n" + MYSQL_TYPES,
            "postgresql",
            "default: no database URL near the models",
        ),
        (
            'URL = "x"\nengine = create_engine("sqlite:///app.db")\n' + MYSQL_TYPES,
            "sqlite",
            "create_engine sqlite URL in models.py:5",
        ),
    ],
)
def test_dialect_from_imported_types(
    tmp_path: Path, body: str, dialect: str, evidence: str
) -> None:
    (source,) = _sources(tmp_path, body)
    assert (source.dialect, source.dialect_evidence) == (dialect, evidence)


def test_mysql_source_spells_types_as_mariadb_stores_them(tmp_path: Path) -> None:
    schema = _read(
        tmp_path,
        """
        from sqlalchemy import Boolean, Enum, Numeric, Text
        from sqlalchemy.dialects import mysql
        class A(Base):
            __tablename__ = "a"
            id = Column(Integer, primary_key=True)
            name = Column(String(40), nullable=False)
            ok = Column(Boolean)
            kind = Column(Enum("x", "y", name="kind"))
            price = Column(Numeric(10, 2))
            flags = Column(mysql.BIT(3))
            body = Column(mysql.LONGTEXT)
        """,
        "mysql",
    )
    assert not schema.errors and not schema.notes
    table = schema.tables[0]
    assert [(c.name, c.type.sql) for c in table.columns] == [
        ("id", "int(11)"),
        ("name", "varchar(40)"),
        ("ok", "tinyint(1)"),
        ("kind", "enum('x','y')"),
        ("price", "decimal(10,2)"),
        ("flags", "bit(3)"),
        ("body", "longtext"),
    ]
    assert table.columns[0].identity == "auto_increment"
    assert table.primary_key is not None and table.primary_key.name == "PRIMARY"


def test_mysql_refuses_a_varchar_without_length(tmp_path: Path) -> None:
    schema = _read(
        tmp_path,
        """
        class A(Base):
            __tablename__ = "a"
            id = Column(Integer, primary_key=True)
            name = Column(String)
        """,
        "mysql",
    )
    assert [n.origin.line for n in schema.notes if n.kind == "sqlalchemy-type"] == [8]
    assert "VARCHAR without a length" in schema.notes[0].message


def test_sqlite_source_keeps_declared_types(tmp_path: Path) -> None:
    schema = _read(
        tmp_path,
        """
        from sqlalchemy import Boolean, DateTime, Uuid, func
        class A(Base):
            __tablename__ = "a"
            id = Column(Integer, primary_key=True)
            ok = Column(Boolean, nullable=False)
            key = Column(Uuid)
            made = Column(DateTime, server_default=func.now())
        """,
        "sqlite",
    )
    assert not schema.errors
    assert [(c.name, c.type.sql, c.default) for c in schema.tables[0].columns] == [
        ("id", "INTEGER", None),
        ("ok", "BOOLEAN", None),
        ("key", "CHAR(32)", None),
        ("made", "DATETIME", "CURRENT_TIMESTAMP"),
    ]


def test_type_from_the_mysql_module_is_not_read_as_postgresql(tmp_path: Path) -> None:
    """``mysql.BIT`` and ``postgresql.BIT`` share a name, not a meaning: SQLAlchemy cannot
    render the MySQL one for PostgreSQL, so on a PostgreSQL source it is a note."""
    schema = _read(
        tmp_path,
        """
        from sqlalchemy.dialects import mysql, postgresql
        class A(Base):
            __tablename__ = "a"
            id = Column(Integer, primary_key=True)
            pg = Column(postgresql.BIT(3))
            my = Column(mysql.BIT(3))
        """,
        "postgresql",
    )
    columns = {c.name: c.type.sql for c in schema.tables[0].columns}
    assert columns["pg"] == "bit(3)"
    assert columns["my"] == "mysql.BIT(3)"
    notes = [n for n in schema.notes if n.kind == "sqlalchemy-type"]
    assert [n.origin.line for n in notes] == [10]
    assert "mysql.BIT" in notes[0].message


# Python 3.12 syntax (PEP 695) on an older interpreter ---------------------------------------

PEP695 = Path(__file__).parents[1] / "fixtures" / "sqlalchemy_pep695" / "models.py.txt"


def _pep695(tmp_path: Path, text: str) -> Schema:
    (tmp_path / "models.py").write_text(text)
    return read(Source("models", "sqlalchemy", "postgresql", tmp_path, ("models.py",)))


def test_newer_syntax_is_read_through_libcst(tmp_path: Path) -> None:
    schema = _pep695(tmp_path, PEP695.read_text())
    assert not schema.errors
    users, accounts = schema.tables
    assert [(c.name, c.type.sql, c.origin.line) for c in users.columns] == [
        ("id", "integer", 11),
        ("balance", "numeric", 12),
    ]
    # the multi-line `def first[\n T\n]` kept every later line where it was
    assert [(c.name, c.origin.line) for c in accounts.columns] == [("id", 23), ("owner", 24)]
    notes = [n for n in schema.notes if n.kind == "sqlalchemy-syntax"]
    if sys.version_info < (3, 12):
        assert [n.origin.line for n in notes] == [6]
        assert "libcst" in notes[0].message
    else:
        assert notes == []


def test_newer_syntax_without_libcst_is_a_located_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "libcst", None)  # import libcst raises ImportError
    schema = _pep695(tmp_path, PEP695.read_text())
    if sys.version_info >= (3, 12):  # parsed natively: libcst is never asked
        assert len(schema.tables) == 2 and not schema.errors
        return
    assert schema.tables == ()
    assert [(e.origin.path, e.origin.line) for e in schema.errors] == [("models.py", 6)]


def test_another_syntax_error_is_kept_after_libcst(tmp_path: Path) -> None:
    text = PEP695.read_text().replace("owner = Column(", "owner = Column((")
    schema = _pep695(tmp_path, text)
    assert schema.tables == ()
    assert len(schema.errors) == 1
    assert schema.errors[0].message.startswith("Python syntax error")


def test_a_table_defined_by_two_metadatas_is_read_once_with_a_note(tmp_path: Path) -> None:
    schema = _read(
        tmp_path,
        """
        from sqlalchemy import MetaData, Table
        one = Table("users", MetaData(), Column("id", Integer, primary_key=True))
        two = Table(
            "users", MetaData(), Column("id", Integer, primary_key=True), Column("x", Integer)
        )
        """,
        "postgresql",
    )
    assert not schema.errors
    assert [[c.name for c in t.columns] for t in schema.tables] == [["id"]]
    notes = [n for n in schema.notes if n.kind == "sqlalchemy-duplicate"]
    assert [n.origin.line for n in notes] == [7]
    assert "first at models.py:6" in notes[0].message


def test_native_types_add_no_check_on_postgresql(tmp_path: Path) -> None:
    """SQLAlchemy emits a type's CHECK only where the type is not native: a PostgreSQL
    boolean and a native enum get none, even with create_constraint=True."""
    schema = _read(
        tmp_path,
        """
        from sqlalchemy import Boolean, Enum
        class A(Base):
            __tablename__ = "a"
            id = Column(Integer, primary_key=True)
            ok = Column(Boolean(create_constraint=True, name="ok_is_bool"))
            kind = Column(Enum("p", "q", name="kind", create_constraint=True))
            flat = Column(Enum("p", "q", name="flat", native_enum=False, create_constraint=True))
        """,
        "postgresql",
    )
    assert not schema.errors
    assert [c.name for c in schema.tables[0].checks] == ["flat"]
