"""SQLAlchemy type knowledge: a type as written in a model -> the canonical PostgreSQL type.

Each entry gives what SQLAlchemy's PostgreSQL DDL compiler emits for the type
(``sqlalchemy/dialects/postgresql/base.py`` ``PGTypeCompiler``, ``sql/compiler.py``
``GenericTypeCompiler``), spelled as ``format_type`` prints it once PostgreSQL created the
column: ``String(255)`` -> ``VARCHAR(255)`` -> ``character varying(255)``, ``Float()`` ->
``FLOAT`` -> ``double precision``, ``Float(24)`` -> ``FLOAT(24)`` -> ``real``.
https://docs.sqlalchemy.org/en/20/core/type_basics.html
MySQL-only types that the PostgreSQL compiler refuses (``TINYINT``, ``LONGTEXT``) have no
entry: the reader reports them instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dbdrift.types import Type
from dbdrift.types.postgres import EXTENSION_TYPES, array_of, builtin_type, qualified


@dataclass(frozen=True, slots=True)
class EnumSpec:
    """A Python ``enum.Enum`` class (or string values) given to ``Enum(...)``: its class name
    (``None`` for string values) and the values SQLAlchemy stores (the member names)."""

    class_name: str | None
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Args:
    """The statically evaluated arguments of a type call (ints, strings, `Type`, `EnumSpec`)."""

    positional: tuple[Any, ...] = ()
    keywords: dict[str, Any] = field(default_factory=dict)

    def get(self, position: int | None, keyword: str, default: Any = None) -> Any:
        if keyword in self.keywords:
            return self.keywords[keyword]
        if position is not None and position < len(self.positional):
            return self.positional[position]
        return default


class Unknown(ValueError):
    """A type, or an argument of one, that has no static PostgreSQL spelling."""


Builder = Callable[[Args], Type]


def _builtin(name: str, *typmods: int) -> Type:
    found = builtin_type([name], list(typmods), False)
    assert found is not None, name
    return found


def _fixed(name: str) -> Builder:
    return lambda args: _builtin(name)


def _string(args: Args) -> Type:
    length = args.get(0, "length")
    return _builtin("varchar", length) if length is not None else _builtin("varchar")


def _char(args: Args) -> Type:
    # CHAR without a length is character(1) in PostgreSQL.
    return _builtin("bpchar", args.get(0, "length") or 1)


def _numeric(args: Args) -> Type:
    precision, scale = args.get(0, "precision"), args.get(1, "scale")
    if precision is None:
        return _builtin("numeric")
    return _builtin("numeric", precision, *([scale] if scale is not None else []))


def _float(args: Args) -> Type:
    # FLOAT(p): PostgreSQL stores p <= 24 as real, otherwise double precision.
    precision = args.get(0, "precision")
    return _builtin("float4" if precision is not None and precision <= 24 else "float8")


def _timestamp(args: Args) -> Type:
    zone = bool(args.get(0, "timezone", False))
    precision = args.get(1, "precision")
    mods = [precision] if precision is not None else []
    return _builtin("timestamptz" if zone else "timestamp", *mods)


def _time(args: Args) -> Type:
    zone = bool(args.get(0, "timezone", False))
    precision = args.get(1, "precision")
    mods = [precision] if precision is not None else []
    return _builtin("timetz" if zone else "time", *mods)


def _interval(args: Args) -> Type:
    precision = args.get(0, "precision")
    fields = args.get(1, "fields")
    if fields is not None:
        raise Unknown("INTERVAL(fields=...)")
    if precision is None:
        return _builtin("interval")
    return Type("interval", f"interval({precision})", precision=precision)


def _bit(args: Args) -> Type:
    length = args.get(0, "length")
    varying = bool(args.get(1, "varying", False))
    if varying:
        return _builtin("varbit", *([length] if length is not None else []))
    return _builtin("bit", length or 1)


def _array(args: Args) -> Type:
    element = args.get(0, "item_type")
    if not isinstance(element, Type):
        raise Unknown("ARRAY of an unknown type")
    return array_of(element)


def _extension(name: str) -> Builder:
    family = EXTENSION_TYPES.get(name, ("", "other"))[1]
    return lambda args: Type(family, name)


def _vector(args: Args) -> Type:
    dim = args.get(0, "dim")
    return Type("other", f"vector({dim})" if dim is not None else "vector")


def enum_type(args: Args, schema: str = "public") -> tuple[Type, EnumSpec | None, str | None]:
    """An ``Enum(...)`` column type, the enum it creates (if native) and its explicit schema.

    SQLAlchemy names a class-based enum after the lowercased class name unless ``name=``;
    ``native_enum=False`` stores the values in ``VARCHAR(n)``, n the longest value.
    """
    specs = [a for a in args.positional if isinstance(a, EnumSpec)]
    values = tuple(v for s in specs for v in s.values)
    values += tuple(a for a in args.positional if isinstance(a, str))
    if not args.get(None, "native_enum", True):
        length = args.get(None, "length") or max((len(v) for v in values), default=0)
        return _builtin("varchar", length), None, None
    name = args.get(None, "name")
    if name is None and specs and specs[0].class_name:
        name = specs[0].class_name.lower()
    if name is None:
        raise Unknown("Enum without a name")
    explicit = args.get(None, "schema")
    schema = explicit or schema
    typ = Type("enum", qualified(schema, name, schema == "public"), enum=name)
    return typ, EnumSpec(name, values), explicit


_ALIASES: dict[str, Builder] = {
    # sqlalchemy.types, generic (CamelCase) and SQL standard (UPPERCASE) names
    "String": _string,
    "Unicode": _string,
    "VARCHAR": _string,
    "CHAR": _char,
    "NCHAR": _char,
    "Text": _fixed("text"),
    "UnicodeText": _fixed("text"),
    "TEXT": _fixed("text"),
    "Integer": _fixed("int4"),
    "INTEGER": _fixed("int4"),
    "INT": _fixed("int4"),
    "BigInteger": _fixed("int8"),
    "BIGINT": _fixed("int8"),
    "SmallInteger": _fixed("int2"),
    "SMALLINT": _fixed("int2"),
    "Numeric": _numeric,
    "NUMERIC": _numeric,
    "DECIMAL": _numeric,
    "Float": _float,
    "FLOAT": _float,
    "REAL": _fixed("float4"),
    "Double": _fixed("float8"),
    "DOUBLE_PRECISION": _fixed("float8"),
    "Boolean": _fixed("bool"),
    "BOOLEAN": _fixed("bool"),
    "DateTime": _timestamp,
    "TIMESTAMP": _timestamp,
    "Date": _fixed("date"),
    "DATE": _fixed("date"),
    "Time": _time,
    "TIME": _time,
    "Interval": _fixed("interval"),
    "INTERVAL": _interval,
    "JSON": _fixed("json"),
    "JSONB": _fixed("jsonb"),
    "Uuid": _fixed("uuid"),
    "UUID": _fixed("uuid"),
    "LargeBinary": _fixed("bytea"),
    "BYTEA": _fixed("bytea"),
    "PickleType": _fixed("bytea"),
    "ARRAY": _array,
    "BIT": _bit,
    "MONEY": _fixed("money"),
    "OID": _fixed("oid"),
    "REGCLASS": _fixed("regclass"),
    "REGCONFIG": lambda args: Type("other", "regconfig"),
    "MatchType": _fixed("bool"),
    "CITEXT": _extension("citext"),
    "HSTORE": _extension("hstore"),
    "Vector": _vector,  # pgvector.sqlalchemy
    "VECTOR": _vector,
}
# PostgreSQL built-ins that SQLAlchemy's postgresql dialect exposes under their own name.
for _name in (
    "INET",
    "CIDR",
    "MACADDR",
    "MACADDR8",
    "TSVECTOR",
    "TSQUERY",
    "INT4RANGE",
    "INT8RANGE",
    "NUMRANGE",
    "DATERANGE",
    "TSRANGE",
    "TSTZRANGE",
    "INT4MULTIRANGE",
    "INT8MULTIRANGE",
    "NUMMULTIRANGE",
    "DATEMULTIRANGE",
    "TSMULTIRANGE",
    "TSTZMULTIRANGE",
    "JSONPATH",
    "PG_LSN",
):
    _ALIASES.setdefault(_name, _fixed(_name.lower()))

TYPES: dict[str, Builder] = _ALIASES

# Types SQLAlchemy emits verbatim on PostgreSQL, which PostgreSQL refuses (no such type).
REFUSED = frozenset({"DATETIME", "DOUBLE", "NVARCHAR"})

GENERIC = "generic"
# Types whose meaning depends on the module they come from, where it differs from the
# generic name: (module, name) -> builder, or None when SQLAlchemy's PostgreSQL compiler
# cannot render it (``mysql.BIT`` has no ``varying``; ``postgresql.BIT`` has).
_BY_MODULE: dict[tuple[str, str], Builder | None] = {
    ("mysql", "BIT"): None,
    ("mysql", "SET"): None,
    ("mysql", "YEAR"): None,
}


def type_module(dotted: str) -> str:
    """Where a type class comes from, as far as its DDL goes: ``postgresql``, ``mysql``,
    ``sqlite`` (``sqlalchemy.dialects.<name>``) or ``generic`` (``sqlalchemy.types`` and
    everything re-exporting it: SQLModel, Flask-SQLAlchemy's ``db``, pgvector)."""
    for dialect in ("postgresql", "mysql", "sqlite"):
        if f".dialects.{dialect}." in f"{dotted}.":
            return dialect
    return GENERIC


def sqlalchemy_type(
    name: str, args: Args | None = None, module: str = GENERIC, dialect: str = "postgresql"
) -> Type:
    """The canonical type of SQLAlchemy type `name` (from `module`) called with `args`, as
    SQLAlchemy spells it for `dialect`; `Unknown` if none.  Remembered per spelling: a model
    package repeats ``String(255)`` thousands of times."""
    args = args or Args()
    try:
        key = (name, module, dialect, args.positional, tuple(sorted(args.keywords.items())))
        hash(key)
    except TypeError:
        return _build(name, args, module, dialect)
    found = _CACHE.get(key)
    if found is None:
        found = _CACHE[key] = _build(name, args, module, dialect)
    return found


_CACHE: dict[tuple, Type] = {}


def _build(name: str, args: Args, module: str, dialect: str) -> Type:
    if dialect in ("mysql", "sqlite"):
        return _spelled(name, args, dialect)
    if (module, name) in _BY_MODULE:
        builder = _BY_MODULE[(module, name)]
        if builder is None:
            raise Unknown(f"{module}.{name} (SQLAlchemy cannot render it for PostgreSQL)")
    else:
        builder = TYPES.get(name)
    if name in REFUSED:
        raise Unknown(f"{name} (SQLAlchemy emits it as is and PostgreSQL has no such type)")
    if builder is None:
        raise Unknown(name)
    try:
        return builder(args)
    except (TypeError, ValueError, AssertionError) as exc:
        if isinstance(exc, Unknown):
            raise
        raise Unknown(f"{name}{tuple(args.positional)}") from exc


def known(name: str) -> bool:
    return name in TYPES or name in REFUSED or name == "Enum" or name in _OTHER_DIALECTS


# MySQL and SQLite ----------------------------------------------------------------------
#
# On these dialects the column type is kept as SQLAlchemy's DDL compiler writes it
# (``MySQLTypeCompiler``, ``SQLiteTypeCompiler``): ``Boolean`` -> ``BOOL`` on MySQL and
# ``BOOLEAN`` on SQLite, ``Uuid`` -> ``CHAR(32)``, ``Interval`` -> ``DATETIME``.  The dialect's
# SQL replay then turns it into the catalog's spelling (``tinyint(1)``, ``char(32)`` ...),
# so the reading compares exactly with that dialect's SQL sources.

_INTEGERS = frozenset(
    {"Integer", "INTEGER", "INT", "BigInteger", "BIGINT", "SmallInteger", "SMALLINT"}
    | {"TINYINT", "MEDIUMINT"}
)


def _sized(base: str, *sizes: object) -> str:
    given = [str(s) for s in sizes if s is not None]
    return f"{base}({', '.join(given)})" if given else base


def _mysql_numeric(text: str, args: Args) -> str:
    """``UNSIGNED`` / ``ZEROFILL`` as ``MySQLTypeCompiler._extend_numeric`` adds them."""
    if args.get(None, "unsigned"):
        text += " UNSIGNED"
    if args.get(None, "zerofill"):
        text += " ZEROFILL"
    return text


def _mysql_string(text: str, args: Args) -> str:
    """``CHARACTER SET`` / ``COLLATE`` as ``MySQLTypeCompiler._extend_string`` adds them."""
    charset = args.get(None, "charset")
    if charset:
        text += f" CHARACTER SET {charset}"
    collation = args.get(None, "collation")
    if collation:
        text += f" COLLATE {collation}"
    return text


@dataclass(frozen=True, slots=True)
class TypeCheck:
    """The CHECK a ``Boolean(create_constraint=True)`` or non-native ``Enum(...,
    create_constraint=True)`` adds to its table: ``<column> IN (<values>)``, named by the
    type's ``name`` (SQLAlchemy's ``SchemaType._create_constraint``)."""

    name: str | None
    values: str


def type_check(name: str, args: Args, dialect: str) -> TypeCheck | None:
    """The CHECK the type adds on `dialect`: none where the type is native (a PostgreSQL
    ``boolean``, a native enum on PostgreSQL or MySQL), none unless ``create_constraint``."""
    if name in ("Boolean", "BOOLEAN"):
        if dialect == "postgresql" or not args.get(0, "create_constraint", False):
            return None
        label = args.get(1, "name")
        return TypeCheck(label if isinstance(label, str) else None, "0, 1")
    if name in ("Enum", "ENUM"):
        native = args.get(None, "native_enum", True) and dialect != "sqlite"
        if native or not args.get(None, "create_constraint", False):
            return None
        label = args.get(None, "name")
        specs = [a for a in args.positional if isinstance(a, EnumSpec) and a.class_name]
        if label is None and specs:
            label = specs[0].class_name.lower()  # as SQLAlchemy names a class-based Enum
        values = ", ".join("'" + v.replace("'", "''") + "'" for v in _enum_values(args))
        return TypeCheck(label if isinstance(label, str) else None, values)
    return None


def _enum_values(args: Args) -> tuple[str, ...]:
    specs = [a for a in args.positional if isinstance(a, EnumSpec)]
    values = tuple(v for s in specs for v in s.values)
    return values + tuple(a for a in args.positional if isinstance(a, str))


def _enum_varchar(args: Args) -> str:
    values = _enum_values(args)
    length = args.get(None, "length") or max((len(v) for v in values), default=0)
    return f"VARCHAR({length})"


def _mysql_enum(args: Args) -> str:
    if not args.get(None, "native_enum", True):
        return _enum_varchar(args)
    members = ",".join("'" + v.replace("'", "''") + "'" for v in _enum_values(args))
    return _mysql_string(f"ENUM({members})", args)


def _length(args: Args, required: str | None = None) -> object:
    length = args.get(0, "length")
    if length is None and required:
        raise Unknown(f"{required} without a length (SQLAlchemy's MySQL compiler refuses it)")
    return length


Spelling = Callable[[Args], str]

_MYSQL: dict[str, Spelling] = {
    "String": lambda a: _mysql_string(_sized("VARCHAR", _length(a, "VARCHAR")), a),
    "Unicode": lambda a: _mysql_string(_sized("VARCHAR", _length(a, "VARCHAR")), a),
    "VARCHAR": lambda a: _mysql_string(_sized("VARCHAR", _length(a, "VARCHAR")), a),
    "NVARCHAR": lambda a: _sized("NATIONAL VARCHAR", _length(a, "NVARCHAR")),
    "CHAR": lambda a: _mysql_string(_sized("CHAR", _length(a)), a),
    "NCHAR": lambda a: _sized("NATIONAL CHAR", _length(a)),
    "Text": lambda a: _mysql_string(_sized("TEXT", _length(a)), a),
    "UnicodeText": lambda a: _mysql_string(_sized("TEXT", _length(a)), a),
    "TEXT": lambda a: _mysql_string(_sized("TEXT", _length(a)), a),
    "TINYTEXT": lambda a: _mysql_string("TINYTEXT", a),
    "MEDIUMTEXT": lambda a: _mysql_string("MEDIUMTEXT", a),
    "LONGTEXT": lambda a: _mysql_string("LONGTEXT", a),
    "Integer": lambda a: "INTEGER",
    "BigInteger": lambda a: "BIGINT",
    "SmallInteger": lambda a: "SMALLINT",
    "INTEGER": lambda a: _mysql_numeric(_sized("INTEGER", a.get(0, "display_width")), a),
    "INT": lambda a: _mysql_numeric(_sized("INTEGER", a.get(0, "display_width")), a),
    "BIGINT": lambda a: _mysql_numeric(_sized("BIGINT", a.get(0, "display_width")), a),
    "SMALLINT": lambda a: _mysql_numeric(_sized("SMALLINT", a.get(0, "display_width")), a),
    "MEDIUMINT": lambda a: _mysql_numeric(_sized("MEDIUMINT", a.get(0, "display_width")), a),
    "TINYINT": lambda a: _mysql_numeric(_sized("TINYINT", a.get(0, "display_width")), a),
    "Numeric": lambda a: _sized("NUMERIC", a.get(0, "precision"), a.get(1, "scale")),
    "NUMERIC": lambda a: _mysql_numeric(
        _sized("NUMERIC", a.get(0, "precision"), a.get(1, "scale")), a
    ),
    "DECIMAL": lambda a: _mysql_numeric(
        _sized("DECIMAL", a.get(0, "precision"), a.get(1, "scale")), a
    ),
    "Float": lambda a: _sized("FLOAT", a.get(0, "precision")),
    "FLOAT": lambda a: _mysql_numeric(_sized("FLOAT", a.get(0, "precision"), a.get(1, "scale")), a),
    "REAL": lambda a: _mysql_numeric(_sized("REAL", a.get(0, "precision"), a.get(1, "scale")), a),
    "Double": lambda a: "DOUBLE",
    "DOUBLE": lambda a: _mysql_numeric(
        _sized("DOUBLE", a.get(0, "precision"), a.get(1, "scale")), a
    ),
    "DOUBLE_PRECISION": lambda a: "DOUBLE PRECISION",
    "Boolean": lambda a: "BOOL",
    "BOOLEAN": lambda a: "BOOL",
    "DateTime": lambda a: "DATETIME",
    "DATETIME": lambda a: _sized("DATETIME", a.get(None, "fsp")),
    "TIMESTAMP": lambda a: _sized("TIMESTAMP", a.get(None, "fsp")),
    "Date": lambda a: "DATE",
    "DATE": lambda a: "DATE",
    "Time": lambda a: "TIME",
    "TIME": lambda a: _sized("TIME", a.get(None, "fsp")),
    "YEAR": lambda a: _sized("YEAR", a.get(0, "display_width")),
    "Interval": lambda a: "DATETIME",
    "JSON": lambda a: "JSON",
    "Uuid": lambda a: "CHAR(32)",
    "UUID": lambda a: "UUID",
    "LargeBinary": lambda a: _sized("BLOB", _length(a)),
    "BLOB": lambda a: _sized("BLOB", _length(a)),
    "PickleType": lambda a: "BLOB",
    "TINYBLOB": lambda a: "TINYBLOB",
    "MEDIUMBLOB": lambda a: "MEDIUMBLOB",
    "LONGBLOB": lambda a: "LONGBLOB",
    "BINARY": lambda a: _sized("BINARY", _length(a)),
    "VARBINARY": lambda a: _sized("VARBINARY", _length(a)),
    "BIT": lambda a: _sized("BIT", _length(a)),
    "Enum": _mysql_enum,
    "ENUM": _mysql_enum,
}

_SQLITE: dict[str, Spelling] = {
    "String": lambda a: _sized("VARCHAR", _length(a)),
    "Unicode": lambda a: _sized("VARCHAR", _length(a)),
    "VARCHAR": lambda a: _sized("VARCHAR", _length(a)),
    "NVARCHAR": lambda a: _sized("NVARCHAR", _length(a)),
    "CHAR": lambda a: _sized("CHAR", _length(a)),
    "NCHAR": lambda a: _sized("NCHAR", _length(a)),
    "Text": lambda a: _sized("TEXT", _length(a)),
    "UnicodeText": lambda a: _sized("TEXT", _length(a)),
    "TEXT": lambda a: _sized("TEXT", _length(a)),
    "CLOB": lambda a: "CLOB",
    "Integer": lambda a: "INTEGER",
    "INTEGER": lambda a: "INTEGER",
    "INT": lambda a: "INTEGER",
    "BigInteger": lambda a: "BIGINT",
    "BIGINT": lambda a: "BIGINT",
    "SmallInteger": lambda a: "SMALLINT",
    "SMALLINT": lambda a: "SMALLINT",
    "Numeric": lambda a: _sized("NUMERIC", a.get(0, "precision"), a.get(1, "scale")),
    "NUMERIC": lambda a: _sized("NUMERIC", a.get(0, "precision"), a.get(1, "scale")),
    "DECIMAL": lambda a: _sized("DECIMAL", a.get(0, "precision"), a.get(1, "scale")),
    "Float": lambda a: "FLOAT",
    "FLOAT": lambda a: "FLOAT",
    "REAL": lambda a: "REAL",
    "Double": lambda a: "DOUBLE",
    "DOUBLE": lambda a: "DOUBLE",
    "DOUBLE_PRECISION": lambda a: "DOUBLE PRECISION",
    "Boolean": lambda a: "BOOLEAN",
    "BOOLEAN": lambda a: "BOOLEAN",
    "DateTime": lambda a: "DATETIME",
    "DATETIME": lambda a: "DATETIME",
    "TIMESTAMP": lambda a: "TIMESTAMP",
    "Date": lambda a: "DATE",
    "DATE": lambda a: "DATE",
    "Time": lambda a: "TIME",
    "TIME": lambda a: "TIME",
    "Interval": lambda a: "DATETIME",
    "JSON": lambda a: "JSON",
    "Uuid": lambda a: "CHAR(32)",
    "UUID": lambda a: "UUID",
    "LargeBinary": lambda a: "BLOB",
    "BLOB": lambda a: "BLOB",
    "PickleType": lambda a: "BLOB",
    "BINARY": lambda a: _sized("BINARY", _length(a)),
    "VARBINARY": lambda a: _sized("VARBINARY", _length(a)),
    "Enum": _enum_varchar,
}

_OTHER_DIALECTS = frozenset(_MYSQL) | frozenset(_SQLITE)


def _spelled(name: str, args: Args, dialect: str) -> Type:
    """The type as SQLAlchemy writes it in `dialect`'s DDL; the family says only what the
    reader needs before the replay (an integer may be the autoincrement column)."""
    spellings = _MYSQL if dialect == "mysql" else _SQLITE
    spell = spellings.get(name)
    if spell is None:
        raise Unknown(f"{name} (SQLAlchemy's {dialect} compiler has no spelling for it)")
    try:
        text = spell(args)
    except (TypeError, ValueError) as exc:
        if isinstance(exc, Unknown):
            raise
        raise Unknown(f"{name}{tuple(args.positional)}") from exc
    if name in _INTEGERS:
        family = "integer"
    elif name in ("Enum", "ENUM"):
        family = "enum" if text.startswith("ENUM") else "text"
    else:
        family = "other"
    return Type(family, text)


def python_type(name: str) -> str | None:
    """The SQLAlchemy type 2.0's default ``type_annotation_map`` gives a ``Mapped[...]``
    annotation (``sqlalchemy/orm/decl_api.py``: int -> Integer, str -> String ...)."""
    return _PYTHON.get(name)


_PYTHON: dict[str, str] = {
    "int": "Integer",
    "str": "String",
    "float": "Float",
    "bool": "Boolean",
    "bytes": "LargeBinary",
    "datetime": "DateTime",
    "date": "Date",
    "time": "Time",
    "timedelta": "Interval",
    "Decimal": "Numeric",
    "UUID": "Uuid",
}
