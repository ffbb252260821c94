"""Prisma's types per provider, spelled as the database reports them after Prisma Migrate.

Prisma maps every scalar type (``String``, ``Int`` ...) to a default *native type* of the
provider, and ``@db.X(args)`` picks another one.  The tables below follow Prisma's type
mapping reference, https://www.prisma.io/docs/orm/reference/prisma-schema-reference#model-field-scalar-types,
and the connectors it documents (prisma-engines ``psl/psl-core/src/builtin_connectors``:
``SCALAR_TYPE_DEFAULTS`` and ``native_types.rs`` per provider), checked against the SQL that
Prisma 7's schema engine emits (``prisma migrate diff --from-empty``).

No spelling is written here: each native type is translated to the name that dialect's own
table takes (types/postgres.py, types/mysql.py, types/sqlite.py), so a Prisma ``String
@db.VarChar(20)`` and a migration's ``VARCHAR(20)`` are spelled by the same code and compare
equal by construction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from dbdrift.types import Type
from dbdrift.types import mysql as mytypes
from dbdrift.types import postgres as pgtypes
from dbdrift.types import sqlite as sqtypes

# Datasource provider -> the SQL dialect its tables live in.  CockroachDB speaks
# PostgreSQL's wire protocol and catalog; ``postgres`` is Prisma's accepted alias.
PROVIDER_DIALECTS: dict[str, str] = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "cockroachdb": "postgresql",
    "mysql": "mysql",
    "sqlite": "sqlite",
}

# Providers Prisma supports that dbdrift does not compare as SQL tables.
OTHER_PROVIDERS = frozenset({"mongodb", "sqlserver"})

# ``max_identifier_length()`` of each connector: the limit Prisma's generated constraint
# names are cut to (psl ``ConstraintNames``).
IDENTIFIER_LIMITS: dict[str, int] = {
    "postgresql": 63,
    "postgres": 63,
    "cockroachdb": 63,
    "mysql": 64,
    "sqlite": 10000,
}

# Prisma's built-in scalar types.
SCALARS = frozenset(
    {"String", "Boolean", "Int", "BigInt", "Float", "Decimal", "DateTime", "Json", "Bytes"}
)


class TypeProblem(ValueError):
    """A type Prisma would refuse (unknown native type, wrong scalar, wrong arguments)."""


@dataclass(frozen=True, slots=True)
class Native:
    """One ``@db.X`` constructor.

    `name` is the type name the dialect's table takes, `scalars` the Prisma scalar types it
    may serve, `arities` the numbers of arguments it accepts, and `implied` the arguments
    the database assumes when none are written (PostgreSQL's ``CHAR`` is ``character(1)``).
    """

    name: str
    scalars: frozenset[str]
    arities: tuple[int, ...] = (0,)
    implied: tuple[int, ...] = ()
    unsigned: bool = False


def _n(
    name: str,
    *scalars: str,
    arities: tuple[int, ...] = (0,),
    implied: tuple[int, ...] = (),
    unsigned: bool = False,
) -> Native:
    return Native(name, frozenset(scalars), arities, implied, unsigned)


# ---------------------------------------------------------------------------------------
# PostgreSQL.  Scalar -> (native type, arguments): ``SCALAR_TYPE_DEFAULTS`` of the
# PostgreSQL connector; the docs' table lists the same (String -> text, DateTime ->
# timestamp(3), Decimal -> decimal(65,30), Float -> double precision, Json -> jsonb ...).
POSTGRES_DEFAULTS: dict[str, tuple[str, tuple[int, ...]]] = {
    "String": ("Text", ()),
    "Boolean": ("Boolean", ()),
    "Int": ("Integer", ()),
    "BigInt": ("BigInt", ()),
    "Float": ("DoublePrecision", ()),
    "Decimal": ("Decimal", (65, 30)),
    "DateTime": ("Timestamp", (3,)),
    "Json": ("JsonB", ()),
    "Bytes": ("ByteA", ()),
}

# ``@db.X`` -> the PostgreSQL type name (as types/postgres.py's `builtin_type` takes it).
# https://www.prisma.io/docs/orm/reference/prisma-schema-reference#postgresql (per scalar).
# CHAR and BIT without a length mean length 1 (PostgreSQL's grammar adds the typmod).
POSTGRES_NATIVE: dict[str, Native] = {
    "SmallInt": _n("int2", "Int"),
    "Integer": _n("int4", "Int"),
    "BigInt": _n("int8", "BigInt"),
    "Decimal": _n("numeric", "Decimal", arities=(0, 2)),
    "Money": _n("money", "Decimal"),
    "Inet": _n("inet", "String"),
    "Oid": _n("oid", "Int"),
    "Citext": _n("citext", "String"),  # the citext extension's type
    "Real": _n("float4", "Float"),
    "DoublePrecision": _n("float8", "Float"),
    "VarChar": _n("varchar", "String", arities=(0, 1)),
    "Char": _n("bpchar", "String", arities=(0, 1), implied=(1,)),
    "Text": _n("text", "String"),
    "ByteA": _n("bytea", "Bytes"),
    "Timestamp": _n("timestamp", "DateTime", arities=(0, 1)),
    "Timestamptz": _n("timestamptz", "DateTime", arities=(0, 1)),
    "Date": _n("date", "DateTime"),
    "Time": _n("time", "DateTime", arities=(0, 1)),
    "Timetz": _n("timetz", "DateTime", arities=(0, 1)),
    "Boolean": _n("bool", "Boolean"),
    "Bit": _n("bit", "String", arities=(0, 1), implied=(1,)),
    "VarBit": _n("varbit", "String", arities=(0, 1)),
    "Uuid": _n("uuid", "String"),
    "Xml": _n("xml", "String"),
    "Json": _n("json", "Json"),
    "JsonB": _n("jsonb", "Json"),
}

# CockroachDB: its own native type names, spelled as PostgreSQL's catalog spells the same
# types (https://www.prisma.io/docs/orm/reference/prisma-schema-reference#cockroachdb).
COCKROACH_DEFAULTS: dict[str, tuple[str, tuple[int, ...]]] = {
    "String": ("String", ()),
    "Boolean": ("Bool", ()),
    "Int": ("Int4", ()),
    "BigInt": ("Int8", ()),
    "Float": ("Float8", ()),
    "Decimal": ("Decimal", (65, 30)),
    "DateTime": ("Timestamp", (3,)),
    "Json": ("JsonB", ()),
    "Bytes": ("Bytes", ()),
}

COCKROACH_NATIVE: dict[str, Native] = {
    "Bit": _n("bit", "String", arities=(0, 1), implied=(1,)),
    "Bool": _n("bool", "Boolean"),
    "Bytes": _n("bytea", "Bytes"),
    "Char": _n("bpchar", "String", arities=(0, 1), implied=(1,)),
    "CatalogSingleChar": _n('"char"', "String"),
    "Date": _n("date", "DateTime"),
    "Decimal": _n("numeric", "Decimal", arities=(0, 2)),
    "Float4": _n("float4", "Float"),
    "Float8": _n("float8", "Float"),
    "Inet": _n("inet", "String"),
    "Int2": _n("int2", "Int"),
    "Int4": _n("int4", "Int"),
    "Int8": _n("int8", "BigInt"),
    "JsonB": _n("jsonb", "Json"),
    "Oid": _n("oid", "Int"),
    "String": _n("text", "String", arities=(0, 1)),  # STRING(n) is varchar(n)
    "Time": _n("time", "DateTime", arities=(0, 1)),
    "Timestamp": _n("timestamp", "DateTime", arities=(0, 1)),
    "Timestamptz": _n("timestamptz", "DateTime", arities=(0, 1)),
    "Timetz": _n("timetz", "DateTime", arities=(0, 1)),
    "Uuid": _n("uuid", "String"),
    "VarBit": _n("varbit", "String", arities=(0, 1)),
}


def postgres_type(
    scalar: str,
    native: str | None = None,
    args: Sequence[int] = (),
    is_list: bool = False,
    *,
    cockroach: bool = False,
) -> Type:
    """The column type of a Prisma scalar field on PostgreSQL (``format_type`` spelling)."""
    defaults = COCKROACH_DEFAULTS if cockroach else POSTGRES_DEFAULTS
    table = COCKROACH_NATIVE if cockroach else POSTGRES_NATIVE
    provider = "cockroachdb" if cockroach else "postgresql"
    if native is None:
        native, args = defaults[scalar]
    spec = _native(table, native, scalar, args, provider)
    typmods = list(args) or list(spec.implied)
    if spec.name == "citext":
        family, sql = pgtypes.EXTENSION_TYPES["citext"][1], "citext"
        base = Type(family, sql)
        return pgtypes.array_of(base) if is_list else base
    if cockroach and native == "String" and typmods:
        spec = _n("varchar", "String")
    found = pgtypes.builtin_type([spec.name], typmods, is_list)
    if found is None:  # every table entry is a built-in type; kept for safety
        raise TypeProblem(f"Native type {native} has no PostgreSQL spelling.")
    return found


# ---------------------------------------------------------------------------------------
# MySQL.  Scalar -> (native type, arguments): the MySQL connector's SCALAR_TYPE_DEFAULTS
# (String -> varchar(191), DateTime -> datetime(3), Boolean -> tinyint(1), Float -> double,
# Decimal -> decimal(65,30), Bytes -> longblob, Json -> json).
MYSQL_DEFAULTS: dict[str, tuple[str, tuple[int, ...]]] = {
    "String": ("VarChar", (191,)),
    "Boolean": ("TinyInt", ()),
    "Int": ("Int", ()),
    "BigInt": ("BigInt", ()),
    "Float": ("Double", ()),
    "Decimal": ("Decimal", (65, 30)),
    "DateTime": ("DateTime", (3,)),
    "Json": ("Json", ()),
    "Bytes": ("LongBlob", ()),
}

# ``@db.X`` -> the sqlglot type name types/mysql.py's `column_type` takes.  Prisma renders
# a TinyInt that serves a Boolean as ``BOOLEAN`` (mysql_renderer.rs), hence the special case
# in `mysql_type`.  https://www.prisma.io/docs/orm/reference/prisma-schema-reference#mysql
MYSQL_NATIVE: dict[str, Native] = {
    "Int": _n("INT", "Int"),
    "UnsignedInt": _n("INT", "Int", unsigned=True),
    "SmallInt": _n("SMALLINT", "Int"),
    "UnsignedSmallInt": _n("SMALLINT", "Int", unsigned=True),
    "TinyInt": _n("TINYINT", "Boolean", "Int"),
    "UnsignedTinyInt": _n("TINYINT", "Boolean", "Int", unsigned=True),
    "MediumInt": _n("MEDIUMINT", "Int"),
    "UnsignedMediumInt": _n("MEDIUMINT", "Int", unsigned=True),
    "BigInt": _n("BIGINT", "BigInt"),
    "UnsignedBigInt": _n("BIGINT", "BigInt", unsigned=True),
    "Decimal": _n("DECIMAL", "Decimal", arities=(0, 2)),
    "Float": _n("FLOAT", "Float"),
    "Double": _n("DOUBLE", "Float"),
    "Bit": _n("BIT", "Boolean", "Bytes", arities=(1,)),
    "Char": _n("CHAR", "String", arities=(1,)),
    "VarChar": _n("VARCHAR", "String", arities=(1,)),
    "Binary": _n("BINARY", "Bytes", arities=(1,)),
    "VarBinary": _n("VARBINARY", "Bytes", arities=(1,)),
    "TinyBlob": _n("TINYBLOB", "Bytes"),
    "Blob": _n("BLOB", "Bytes"),
    "MediumBlob": _n("MEDIUMBLOB", "Bytes"),
    "LongBlob": _n("LONGBLOB", "Bytes"),
    "TinyText": _n("TINYTEXT", "String"),
    "Text": _n("TEXT", "String"),
    "MediumText": _n("MEDIUMTEXT", "String"),
    "LongText": _n("LONGTEXT", "String"),
    "Date": _n("DATE", "DateTime"),
    "Time": _n("TIME", "DateTime", arities=(0, 1)),
    "DateTime": _n("DATETIME", "DateTime", arities=(0, 1)),
    "Timestamp": _n("TIMESTAMP", "DateTime", arities=(0, 1)),
    "Year": _n("YEAR", "Int"),
    "Json": _n("JSON", "Json"),
}


def mysql_type(
    scalar: str,
    native: str | None = None,
    args: Sequence[int] = (),
    *,
    flavour: str = "mariadb",
) -> Type:
    """The column type of a Prisma scalar field on MySQL (``COLUMN_TYPE`` spelling)."""
    if native is None:
        native, args = MYSQL_DEFAULTS[scalar]
    spec = _native(MYSQL_NATIVE, native, scalar, args, "mysql")
    name = spec.name
    if name == "TINYINT" and scalar == "Boolean" and not spec.unsigned:
        name = "BOOLEAN"
    found = mytypes.column_type(name, tuple(args), unsigned=spec.unsigned, flavour_name=flavour)
    if found is None:
        raise TypeProblem(f"Native type {native} has no MySQL spelling.")
    return found


def mysql_enum_type(values: Sequence[str], *, flavour: str = "mariadb") -> Type:
    """An enum column on MySQL: Prisma writes ``ENUM('a', 'b')`` inline on the column."""
    found = mytypes.column_type("ENUM", values=tuple(values), flavour_name=flavour)
    assert found is not None
    return found


# ---------------------------------------------------------------------------------------
# SQLite: the declared type Prisma writes per scalar (sqlite_renderer.rs
# `render_column_type`; Json as JSONB since Prisma 6.2); enums are TEXT.  SQLite has no
# native types in Prisma.
SQLITE_DECLARED: dict[str, str] = {
    "String": "TEXT",
    "Boolean": "BOOLEAN",
    "Int": "INTEGER",
    "BigInt": "BIGINT",
    "Float": "REAL",
    "Decimal": "DECIMAL",
    "DateTime": "DATETIME",
    "Json": "JSONB",
    "Bytes": "BLOB",
}

SQLITE_ENUM_DECLARED = "TEXT"


def sqlite_type(scalar: str | None, native: str | None = None) -> Type:
    """The column type of a Prisma scalar field (or enum, `scalar` None) on SQLite."""
    if native is not None:
        raise TypeProblem(f"Native type {native} is not supported for sqlite connector.")
    declared = SQLITE_DECLARED[scalar] if scalar is not None else SQLITE_ENUM_DECLARED
    return sqtypes.declared_type(declared)


# ---------------------------------------------------------------------------------------
# Enums and Unsupported("...").


def postgres_enum_type(schema: str, name: str, is_list: bool = False) -> Type:
    """A PostgreSQL enum column: its type name as ``format_type`` prints it (``"Role"``,
    ``billing."Plan"`` outside the search path)."""
    typ = Type("enum", pgtypes.qualified(schema, name, schema == "public"), enum=name)
    return pgtypes.array_of(typ) if is_list else typ


def unsupported_type(dialect: str, text: str, is_list: bool = False) -> Type:
    """``Unsupported("circle")``: Prisma writes the text as the column type verbatim."""
    if dialect == "postgresql":
        return _postgres_written_type(text, is_list)
    if dialect == "sqlite":
        return sqtypes.declared_type(sqtypes.reported_type(text))
    return Type("other", text)


def _postgres_written_type(text: str, is_list: bool) -> Type:
    """A type as written in PostgreSQL DDL, read by PostgreSQL's own parser."""
    import json

    from pglast.parser import ParseError, parse_sql_json

    try:
        tree = json.loads(parse_sql_json(f"CREATE TABLE t (c {text})"))
        type_name = tree["stmts"][0]["stmt"]["CreateStmt"]["tableElts"][0]["ColumnDef"]
        type_name = type_name["typeName"]
    except (ParseError, KeyError, IndexError):
        return Type("other", text)
    names = [n["String"]["sval"] for n in type_name.get("names", [])]
    typmods: list[int | str] = []
    for mod in type_name.get("typmods", []):
        const = mod.get("A_Const", {})
        if "ival" in const:
            typmods.append(const["ival"].get("ival", 0))
        elif "sval" in const:
            typmods.append(const["sval"].get("sval", ""))
        elif "ColumnRef" in mod:  # geometry(Point, 4326): a bare word
            fields = mod["ColumnRef"].get("fields", [])
            typmods.append(".".join(f["String"]["sval"] for f in fields if "String" in f))
    array = is_list or bool(type_name.get("arrayBounds"))
    found = pgtypes.builtin_type(names, typmods, array)
    if found is not None:
        return found
    family = pgtypes.EXTENSION_TYPES.get(names[-1], ("", "other"))[1]
    schema = names[-2] if len(names) > 1 else None
    base = Type(
        family, pgtypes.user_type_sql(schema, names[-1], schema in (None, "public"), typmods)
    )
    return pgtypes.array_of(base) if array else base


# ---------------------------------------------------------------------------------------


def _native(
    table: dict[str, Native], native: str, scalar: str, args: Sequence[int], provider: str
) -> Native:
    spec = table.get(native)
    if spec is None:
        raise TypeProblem(f"Native type {native} is not supported for {provider} connector.")
    if scalar not in spec.scalars:
        expected = " or ".join(sorted(spec.scalars))
        raise TypeProblem(
            f"Native type {native} is not compatible with declared field type {scalar}, "
            f"expected field type {expected}."
        )
    if len(args) not in spec.arities:
        counts = " or ".join(str(a) for a in spec.arities)
        raise TypeProblem(
            f"Native type {native} takes {counts} arguments, but received {len(args)}."
        )
    return spec


@lru_cache(maxsize=1024)
def scalar_type(
    provider: str, scalar: str, native: str | None, args: tuple[int, ...], is_list: bool
) -> Type:
    """The column type of a scalar field for `provider`; `TypeProblem` when Prisma refuses it.

    Types are frozen, so one instance serves every column of the same spelling."""
    dialect = PROVIDER_DIALECTS[provider]
    if dialect == "postgresql":
        return postgres_type(scalar, native, args, is_list, cockroach=provider == "cockroachdb")
    if is_list:
        raise TypeProblem("The current connector does not support lists of primitive types.")
    if dialect == "mysql":
        return mysql_type(scalar, native, args)
    return sqlite_type(scalar, native)
