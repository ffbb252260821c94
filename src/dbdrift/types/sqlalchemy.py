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


def sqlalchemy_type(name: str, args: Args | None = None) -> Type:
    """The canonical type of SQLAlchemy type `name` called with `args`; `Unknown` if none.
    Remembered per spelling: a model package repeats ``String(255)`` thousands of times."""
    args = args or Args()
    try:
        key = (name, args.positional, tuple(sorted(args.keywords.items())))
        hash(key)
    except TypeError:
        return _build(name, args)
    found = _CACHE.get(key)
    if found is None:
        found = _CACHE[key] = _build(name, args)
    return found


_CACHE: dict[tuple, Type] = {}


def _build(name: str, args: Args) -> Type:
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
    return name in TYPES or name in REFUSED or name == "Enum"


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
