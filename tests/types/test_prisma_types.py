"""Prisma types per provider -> the spelling the database reports, one case per line.

The expected spellings are what each database printed after running the SQL Prisma 7's
schema engine wrote for the same field (PostgreSQL 15 ``format_type``, SQLite's declared
type) and, for MySQL, what MariaDB 10.11 reports for the DDL Prisma's MySQL renderer writes.
tests/test_oracle_prisma.py checks whole schemas against the engine and the databases;
here the tables themselves are pinned.
"""

from __future__ import annotations

import pytest

from dbdrift.types.prisma import (
    TypeProblem,
    mysql_enum_type,
    mysql_type,
    postgres_enum_type,
    postgres_type,
    scalar_type,
    sqlite_type,
    unsupported_type,
)

# (scalar, native, args) -> format_type on PostgreSQL
POSTGRES = [
    ("String", None, (), "text"),
    ("Int", None, (), "integer"),
    ("BigInt", None, (), "bigint"),
    ("Float", None, (), "double precision"),
    ("Decimal", None, (), "numeric(65,30)"),
    ("DateTime", None, (), "timestamp(3) without time zone"),
    ("Boolean", None, (), "boolean"),
    ("Json", None, (), "jsonb"),
    ("Bytes", None, (), "bytea"),
    ("String", "VarChar", (10,), "character varying(10)"),
    ("String", "VarChar", (), "character varying"),
    ("String", "Char", (3,), "character(3)"),
    ("String", "Char", (), "character(1)"),
    ("String", "Text", (), "text"),
    ("String", "Uuid", (), "uuid"),
    ("String", "Xml", (), "xml"),
    ("String", "Inet", (), "inet"),
    ("String", "Citext", (), "citext"),
    ("String", "Bit", (4,), "bit(4)"),
    ("String", "Bit", (), "bit(1)"),
    ("String", "VarBit", (8,), "bit varying(8)"),
    ("String", "VarBit", (), "bit varying"),
    ("DateTime", "Timestamptz", (6,), "timestamp(6) with time zone"),
    ("DateTime", "Timestamptz", (), "timestamp with time zone"),
    ("DateTime", "Timestamp", (0,), "timestamp(0) without time zone"),
    ("DateTime", "Timestamp", (), "timestamp without time zone"),
    ("DateTime", "Date", (), "date"),
    ("DateTime", "Time", (2,), "time(2) without time zone"),
    ("DateTime", "Time", (), "time without time zone"),
    ("DateTime", "Timetz", (), "time with time zone"),
    ("DateTime", "Timetz", (4,), "time(4) with time zone"),
    ("Decimal", "Decimal", (10, 2), "numeric(10,2)"),
    ("Decimal", "Decimal", (), "numeric"),
    ("Decimal", "Money", (), "money"),
    ("Float", "Real", (), "real"),
    ("Float", "DoublePrecision", (), "double precision"),
    ("Int", "SmallInt", (), "smallint"),
    ("Int", "Integer", (), "integer"),
    ("Int", "Oid", (), "oid"),
    ("BigInt", "BigInt", (), "bigint"),
    ("Boolean", "Boolean", (), "boolean"),
    ("Json", "Json", (), "json"),
    ("Json", "JsonB", (), "jsonb"),
    ("Bytes", "ByteA", (), "bytea"),
]


@pytest.mark.parametrize(("scalar", "native", "args", "sql"), POSTGRES)
def test_postgres(scalar: str, native: str | None, args: tuple[int, ...], sql: str) -> None:
    assert postgres_type(scalar, native, args).sql == sql


@pytest.mark.parametrize(
    ("scalar", "native", "args", "sql"),
    [
        ("String", None, (), "text[]"),
        ("Int", "SmallInt", (), "smallint[]"),
        ("DateTime", None, (), "timestamp(3) without time zone[]"),
        ("Decimal", "Decimal", (5, 2), "numeric(5,2)[]"),
    ],
)
def test_postgres_list(scalar: str, native: str | None, args: tuple[int, ...], sql: str) -> None:
    assert postgres_type(scalar, native, args, is_list=True).sql == sql


@pytest.mark.parametrize(
    ("scalar", "native", "args", "family"),
    [
        ("String", None, (), "text"),
        ("Decimal", "Money", (), "numeric"),
        ("String", "Uuid", (), "uuid"),
        ("DateTime", "Date", (), "date"),
        ("Json", "Json", (), "json"),
        ("String", "Bit", (2,), "binary"),
        ("String", "Citext", (), "text"),
        ("String", "Inet", (), "other"),
    ],
)
def test_postgres_family(scalar: str, native: str | None, args: tuple[int, ...], family: str):
    assert postgres_type(scalar, native, args).family == family


@pytest.mark.parametrize(
    ("schema", "name", "is_list", "sql"),
    [
        ("public", "Role", False, '"Role"'),
        ("public", "role_t", False, "role_t"),
        ("public", "Role", True, '"Role"[]'),
        ("billing", "Plan", False, 'billing."Plan"'),
    ],
)
def test_postgres_enum(schema: str, name: str, is_list: bool, sql: str) -> None:
    assert postgres_enum_type(schema, name, is_list).sql == sql


@pytest.mark.parametrize(
    ("text", "sql"),
    [
        ("circle", "circle"),
        ("tsvector", "tsvector"),
        ("VARCHAR(3)", "character varying(3)"),
        ("vector(3)", "vector(3)"),
        ("ltree", "ltree"),
    ],
)
def test_postgres_unsupported(text: str, sql: str) -> None:
    assert unsupported_type("postgresql", text).sql == sql


# (scalar, native, args) -> COLUMN_TYPE on MariaDB 10.11
MYSQL = [
    ("String", None, (), "varchar(191)"),
    ("Int", None, (), "int(11)"),
    ("BigInt", None, (), "bigint(20)"),
    ("Float", None, (), "double"),
    ("Decimal", None, (), "decimal(65,30)"),
    ("DateTime", None, (), "datetime(3)"),
    ("Boolean", None, (), "tinyint(1)"),
    ("Json", None, (), "longtext"),
    ("Bytes", None, (), "longblob"),
    ("Int", "UnsignedInt", (), "int(10) unsigned"),
    ("Int", "SmallInt", (), "smallint(6)"),
    ("Int", "UnsignedSmallInt", (), "smallint(5) unsigned"),
    ("Int", "TinyInt", (), "tinyint(4)"),
    ("Boolean", "TinyInt", (), "tinyint(1)"),
    ("Int", "UnsignedTinyInt", (), "tinyint(3) unsigned"),
    ("Int", "MediumInt", (), "mediumint(9)"),
    ("Int", "UnsignedMediumInt", (), "mediumint(8) unsigned"),
    ("BigInt", "UnsignedBigInt", (), "bigint(20) unsigned"),
    ("Int", "Year", (), "year(4)"),
    ("Decimal", "Decimal", (10, 2), "decimal(10,2)"),
    ("Decimal", "Decimal", (), "decimal(10,0)"),
    ("Float", "Float", (), "float"),
    ("Float", "Double", (), "double"),
    ("Bytes", "Bit", (8,), "bit(8)"),
    ("String", "Char", (3,), "char(3)"),
    ("String", "VarChar", (255,), "varchar(255)"),
    ("Bytes", "Binary", (16,), "binary(16)"),
    ("Bytes", "VarBinary", (16,), "varbinary(16)"),
    ("Bytes", "TinyBlob", (), "tinyblob"),
    ("Bytes", "Blob", (), "blob"),
    ("Bytes", "MediumBlob", (), "mediumblob"),
    ("String", "TinyText", (), "tinytext"),
    ("String", "Text", (), "text"),
    ("String", "MediumText", (), "mediumtext"),
    ("String", "LongText", (), "longtext"),
    ("DateTime", "Date", (), "date"),
    ("DateTime", "Time", (3,), "time(3)"),
    ("DateTime", "DateTime", (0,), "datetime"),
    ("DateTime", "Timestamp", (6,), "timestamp(6)"),
    ("Json", "Json", (), "longtext"),
]


@pytest.mark.parametrize(("scalar", "native", "args", "sql"), MYSQL)
def test_mysql(scalar: str, native: str | None, args: tuple[int, ...], sql: str) -> None:
    assert mysql_type(scalar, native, args).sql == sql


def test_mysql_boolean_is_a_boolean() -> None:
    assert mysql_type("Boolean").family == "boolean"


def test_mysql_enum_is_inline() -> None:
    assert mysql_enum_type(["USER", "admin"]).sql == "enum('USER','admin')"


def test_mysql8_json_is_json() -> None:
    assert mysql_type("Json", flavour="mysql8").sql == "json"


# scalar -> the declared type on SQLite
SQLITE = [
    ("String", "TEXT"),
    ("Int", "INTEGER"),
    ("BigInt", "BIGINT"),
    ("Float", "REAL"),
    ("Decimal", "DECIMAL"),
    ("DateTime", "DATETIME"),
    ("Boolean", "BOOLEAN"),
    ("Json", "JSONB"),
    ("Bytes", "BLOB"),
    (None, "TEXT"),  # an enum
]


@pytest.mark.parametrize(("scalar", "sql"), SQLITE)
def test_sqlite(scalar: str | None, sql: str) -> None:
    assert sqlite_type(scalar).sql == sql


@pytest.mark.parametrize(
    ("scalar", "family"),
    [("DateTime", "timestamp"), ("Boolean", "boolean"), ("Json", "json"), ("Decimal", "numeric")],
)
def test_sqlite_family(scalar: str, family: str) -> None:
    assert sqlite_type(scalar).family == family


def test_sqlite_unsupported_keeps_the_declared_type() -> None:
    assert unsupported_type("sqlite", "circle").sql == "circle"


# What Prisma refuses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "scalar", "native", "args", "message"),
    [
        ("postgresql", "String", "Varchar", (), "not supported for postgresql"),
        ("postgresql", "Int", "VarChar", (), "not compatible with declared field type Int"),
        ("postgresql", "Decimal", "Decimal", (10,), "takes 0 or 2 arguments"),
        ("mysql", "String", "VarChar", (), "takes 1 arguments"),
        ("mysql", "String", "Uuid", (), "not supported for mysql"),
        ("sqlite", "String", "Text", (), "not supported for sqlite"),
    ],
)
def test_refused(provider: str, scalar: str, native: str, args: tuple[int, ...], message: str):
    with pytest.raises(TypeProblem, match=message):
        scalar_type(provider, scalar, native, args, False)


def test_lists_need_postgres() -> None:
    with pytest.raises(TypeProblem, match="lists of primitive types"):
        scalar_type("mysql", "String", None, (), True)


def test_cockroach_defaults_spell_like_postgres() -> None:
    assert scalar_type("cockroachdb", "String", None, (), False).sql == "text"


def test_cockroach_sized_string_is_varchar() -> None:
    assert scalar_type("cockroachdb", "String", "String", (20,), False).sql == (
        "character varying(20)"
    )
