"""SQLAlchemy spellings: a model's type -> PostgreSQL's ``format_type`` spelling, one per line.

Each case is checked twice: dbdrift's table gives the expected spelling, and the real
SQLAlchemy compiles the same type for PostgreSQL, which a real server then spells with
``format_type`` (the second check needs the PostgreSQL of the test machine).
"""

from __future__ import annotations

import os
import uuid

import pytest

from dbdrift.types.sqlalchemy import Args, EnumSpec, Unknown, enum_type, sqlalchemy_type

# (SQLAlchemy expression for the real library, dbdrift name, args, keywords, expected sql)
CASES = [
    ("sa.String(255)", "String", (255,), {}, "character varying(255)"),
    ("sa.String()", "String", (), {}, "character varying"),
    ("sa.Unicode(40)", "Unicode", (40,), {}, "character varying(40)"),
    ("sa.VARCHAR(length=12)", "VARCHAR", (), {"length": 12}, "character varying(12)"),
    ("sa.CHAR(3)", "CHAR", (3,), {}, "character(3)"),
    ("sa.CHAR()", "CHAR", (), {}, "character(1)"),
    ("sa.Text()", "Text", (), {}, "text"),
    ("sa.UnicodeText()", "UnicodeText", (), {}, "text"),
    ("sa.Integer()", "Integer", (), {}, "integer"),
    ("sa.BigInteger()", "BigInteger", (), {}, "bigint"),
    ("sa.SmallInteger()", "SmallInteger", (), {}, "smallint"),
    ("sa.Numeric(10, 2)", "Numeric", (10, 2), {}, "numeric(10,2)"),
    ("sa.Numeric(7)", "Numeric", (7,), {}, "numeric(7,0)"),
    ("sa.Numeric()", "Numeric", (), {}, "numeric"),
    (
        "sa.DECIMAL(precision=12, scale=4)",
        "DECIMAL",
        (),
        {"precision": 12, "scale": 4},
        "numeric(12,4)",
    ),
    ("sa.Float()", "Float", (), {}, "double precision"),
    ("sa.Float(24)", "Float", (24,), {}, "real"),
    ("sa.Float(precision=53)", "Float", (), {"precision": 53}, "double precision"),
    ("sa.REAL()", "REAL", (), {}, "real"),
    ("sa.Double()", "Double", (), {}, "double precision"),
    ("sa.DOUBLE_PRECISION()", "DOUBLE_PRECISION", (), {}, "double precision"),
    ("sa.Boolean()", "Boolean", (), {}, "boolean"),
    ("sa.DateTime()", "DateTime", (), {}, "timestamp without time zone"),
    ("sa.DateTime(timezone=True)", "DateTime", (), {"timezone": True}, "timestamp with time zone"),
    (
        "pg.TIMESTAMP(precision=3)",
        "TIMESTAMP",
        (),
        {"precision": 3},
        "timestamp(3) without time zone",
    ),
    ("sa.Date()", "Date", (), {}, "date"),
    ("sa.Time()", "Time", (), {}, "time without time zone"),
    ("sa.Time(timezone=True)", "Time", (), {"timezone": True}, "time with time zone"),
    ("sa.Interval()", "Interval", (), {}, "interval"),
    ("sa.JSON()", "JSON", (), {}, "json"),
    ("pg.JSONB()", "JSONB", (), {}, "jsonb"),
    ("sa.Uuid()", "Uuid", (), {}, "uuid"),
    ("pg.UUID(as_uuid=True)", "UUID", (), {"as_uuid": True}, "uuid"),
    ("sa.LargeBinary()", "LargeBinary", (), {}, "bytea"),
    ("pg.BYTEA()", "BYTEA", (), {}, "bytea"),
    ("pg.INET()", "INET", (), {}, "inet"),
    ("pg.CIDR()", "CIDR", (), {}, "cidr"),
    ("pg.MACADDR()", "MACADDR", (), {}, "macaddr"),
    ("pg.TSVECTOR()", "TSVECTOR", (), {}, "tsvector"),
    ("pg.MONEY()", "MONEY", (), {}, "money"),
    ("pg.INT4RANGE()", "INT4RANGE", (), {}, "int4range"),
    ("pg.BIT(4)", "BIT", (4,), {}, "bit(4)"),
    ("pg.REGCONFIG()", "REGCONFIG", (), {}, "regconfig"),
    ("sa.types.MatchType()", "MatchType", (), {}, "boolean"),
    ("sa.NCHAR(2)", "NCHAR", (2,), {}, "character(2)"),
    ("pg.INTERVAL(precision=2)", "INTERVAL", (), {"precision": 2}, "interval(2)"),
    ("mysql.INTEGER()", "INTEGER", (), {}, "integer"),
    ("mysql.VARCHAR(20)", "VARCHAR", (20,), {}, "character varying(20)"),
]

ARRAYS = [
    ("pg.ARRAY(sa.Text())", "text", "text[]"),
    ("sa.ARRAY(sa.Integer())", "integer", "integer[]"),
]


@pytest.mark.parametrize(
    ("expr", "name", "args", "kwargs", "sql"), CASES, ids=[c[0] for c in CASES]
)
def test_spelling(expr, name, args, kwargs, sql):
    assert sqlalchemy_type(name, Args(args, kwargs)).sql == sql


@pytest.mark.parametrize(("expr", "element", "sql"), ARRAYS, ids=[a[0] for a in ARRAYS])
def test_array_spelling(expr, element, sql):
    inner = sqlalchemy_type("Text" if element == "text" else "Integer")
    assert sqlalchemy_type("ARRAY", Args((inner,))).sql == sql


def test_vector_spelling():
    assert sqlalchemy_type("Vector", Args((3,))).sql == "vector(3)"


def test_class_enum_is_named_after_the_lowercased_class():
    typ, _, _ = enum_type(Args((EnumSpec("OrderStatus", ("new", "paid")),)))
    assert typ.sql == "orderstatus"


def test_enum_name_keyword_wins():
    typ, _, _ = enum_type(Args((EnumSpec("Role", ("a",)),), {"name": "user_role"}))
    assert typ.sql == "user_role"


def test_non_native_enum_is_varchar_of_the_longest_value():
    typ, _, _ = enum_type(Args(("a", "abcd", "ab"), {"native_enum": False}))
    assert typ.sql == "character varying(4)"


def test_mysql_only_type_is_unknown():
    with pytest.raises(Unknown):
        sqlalchemy_type("TINYINT")


@pytest.mark.parametrize("name", ["DATETIME", "DOUBLE", "NVARCHAR"])
def test_type_postgresql_refuses_is_unknown(name):
    with pytest.raises(Unknown):
        sqlalchemy_type(name)


# The real SQLAlchemy and the real PostgreSQL agree with the table ------------------------


def _real_type(expr: str):
    import sqlalchemy
    from sqlalchemy.dialects import mysql, postgresql

    names = {"sa": sqlalchemy, "pg": postgresql, "mysql": mysql}
    return eval(expr, names)  # the test's own literal expressions, never repository code


@pytest.fixture(scope="module")
def pg_format_type():
    """format_type of a column created with SQLAlchemy's compiled DDL type, in a scratch
    database (extensions are installed per database)."""
    psycopg = pytest.importorskip("psycopg")
    server = "postgresql://postgres@127.0.0.1:5432"
    try:
        admin = psycopg.connect(f"{server}/test", autocommit=True)
    except psycopg.OperationalError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no PostgreSQL at 127.0.0.1:5432")
    name = "sa_types_" + uuid.uuid4().hex[:8]
    admin.execute(f"CREATE DATABASE {name}")
    conn = psycopg.connect(f"{server}/{name}", autocommit=True)

    def spell(ddl_type: str, extension: str | None = None) -> str:
        if extension:
            conn.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
        conn.execute(f"CREATE TABLE t (c {ddl_type})")
        try:
            row = conn.execute(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = 't'::regclass AND attname = 'c'"
            ).fetchone()
        finally:
            conn.execute("DROP TABLE t")
        return row[0]

    yield spell
    conn.close()
    admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
    admin.close()


@pytest.mark.parametrize(
    ("expr", "sql"),
    [(c[0], c[4]) for c in CASES] + [(a[0], a[2]) for a in ARRAYS],
    ids=[c[0] for c in CASES] + [a[0] for a in ARRAYS],
)
def test_real_sqlalchemy_ddl_agrees(pg_format_type, expr, sql):
    from sqlalchemy.dialects import postgresql

    compiled = _real_type(expr).compile(dialect=postgresql.dialect())
    assert pg_format_type(compiled) == sql


# Every type class SQLAlchemy exports, with its default arguments --------------------------

# Types whose name another module also uses for a different type (the table is keyed by
# name): mysql.BIT does not compile for PostgreSQL, postgresql.BIT does.
_SHADOWED = {("mysql", "BIT")}
# Types that exist only once their extension is installed.
_EXTENSION = {"HSTORE": "hstore", "CITEXT": "citext"}


def _exported_types() -> list[tuple[str, str]]:
    import inspect

    import sqlalchemy.types
    from sqlalchemy.dialects import mysql, postgresql

    found = []
    for label, module in (
        ("types", sqlalchemy.types),
        ("postgresql", postgresql),
        ("mysql", mysql),
    ):
        for name, cls in sorted(vars(module).items()):
            if name.startswith("_") or (label, name) in _SHADOWED:
                continue
            if inspect.isclass(cls) and issubclass(cls, sqlalchemy.types.TypeEngine):
                try:
                    cls()
                except Exception:
                    continue
                found.append((label, name))
    return found


@pytest.mark.parametrize(("module", "name"), _exported_types())
def test_every_exported_type_agrees_with_postgresql(pg_format_type, module, name):
    """Where PostgreSQL accepts SQLAlchemy's DDL for the type, dbdrift spells it the same;
    where it does not (or SQLAlchemy cannot compile it), dbdrift reports it as unknown."""
    import importlib

    from sqlalchemy.dialects import postgresql

    path = "sqlalchemy.types" if module == "types" else f"sqlalchemy.dialects.{module}"
    cls = getattr(importlib.import_module(path), name)
    try:
        ddl = cls().compile(dialect=postgresql.dialect())
        real = pg_format_type(ddl, _EXTENSION.get(name))
    except Exception:
        real = None
    try:
        mine = sqlalchemy_type(name).sql
    except Unknown:
        mine = None
    assert mine == real
