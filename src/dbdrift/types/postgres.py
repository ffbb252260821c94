"""PostgreSQL type knowledge: parse-tree type names to canonical types spelled as ``format_type``.

The tables follow PostgreSQL's ``format_type.c`` (``format_type_extended``) and the
grammar's rewriting of SQL-standard spellings into ``pg_catalog`` names (``gram.y``).
https://www.postgresql.org/docs/current/datatype.html
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from dbdrift.types import Type

# Built-in names (as the parser leaves them, qualified or not) -> (family, format_type
# spelling, bits).  The grammar turns INT into pg_catalog.int4, DECIMAL into
# pg_catalog.numeric, and so on; users may also write the internal names directly.
_SIMPLE: dict[str, tuple[str, str, int | None]] = {
    "int2": ("integer", "smallint", 16),
    "smallint": ("integer", "smallint", 16),
    "int4": ("integer", "integer", 32),
    "int": ("integer", "integer", 32),
    "integer": ("integer", "integer", 32),
    "int8": ("integer", "bigint", 64),
    "bigint": ("integer", "bigint", 64),
    "float4": ("float", "real", 32),
    "real": ("float", "real", 32),
    "float8": ("float", "double precision", 64),
    "bool": ("boolean", "boolean", None),
    "boolean": ("boolean", "boolean", None),
    "text": ("text", "text", None),
    "name": ("text", "name", None),
    "uuid": ("uuid", "uuid", None),
    "json": ("json", "json", None),
    "jsonb": ("json", "jsonb", None),
    "bytea": ("binary", "bytea", None),
    "date": ("date", "date", None),
    "money": ("numeric", "money", None),
    '"char"': ("text", '"char"', None),
}

# Serial pseudo-types: the column type they become and its width.
SERIALS: dict[str, tuple[str, int]] = {
    "smallserial": ("smallint", 16),
    "serial2": ("smallint", 16),
    "serial": ("integer", 32),
    "serial4": ("integer", 32),
    "bigserial": ("bigint", 64),
    "serial8": ("bigint", 64),
}

# Interval field masks (datetime.h: YEAR=2, MONTH=1, DAY=3, HOUR=10, MINUTE=11, SECOND=12)
# as interval_typmodout prints them.
_INTERVAL_FIELDS: dict[int, str] = {
    1 << 2: " year",
    1 << 1: " month",
    1 << 3: " day",
    1 << 10: " hour",
    1 << 11: " minute",
    1 << 12: " second",
    (1 << 2) | (1 << 1): " year to month",
    (1 << 3) | (1 << 10): " day to hour",
    (1 << 3) | (1 << 10) | (1 << 11): " day to minute",
    (1 << 3) | (1 << 10) | (1 << 11) | (1 << 12): " day to second",
    (1 << 10) | (1 << 11): " hour to minute",
    (1 << 10) | (1 << 11) | (1 << 12): " hour to second",
    (1 << 11) | (1 << 12): " minute to second",
    0x7FFF: "",
}


@lru_cache(maxsize=1)
def _keywords() -> frozenset[str]:
    """Keywords that ``quote_identifier`` quotes: all but the unreserved ones."""
    from pglast import keywords

    return frozenset(
        keywords.RESERVED_KEYWORDS | keywords.COL_NAME_KEYWORDS | keywords.TYPE_FUNC_NAME_KEYWORDS
    )


_SAFE_IDENT = re.compile(r"[a-z_][a-z0-9_$]*\Z")


def quote_ident(name: str) -> str:
    """Quote a name exactly when PostgreSQL's ``quote_identifier`` would."""
    if _SAFE_IDENT.match(name) and "$" not in name and name not in _keywords():
        return name
    return '"' + name.replace('"', '""') + '"'


def qualified(schema: str | None, name: str, visible: bool) -> str:
    """A type or relation name as PostgreSQL prints it: qualified unless on the search path."""
    if visible or not schema:
        return quote_ident(name)
    return f"{quote_ident(schema)}.{quote_ident(name)}"


DEFAULT_TIME_PRECISION = 6
"""The fractional-second precision of a `timestamp` or `time` declared without one: "the
allowed range of p is from 0 to 6" and without p there is "no explicit bound", which keeps
microseconds (PostgreSQL manual, 8.5 Date/Time Types)."""


def _precision(typmods: Sequence[int | str]) -> str:
    return f"({typmods[0]})" if typmods else ""


def builtin_type(names: Sequence[str], typmods: Sequence[int | str], array: bool) -> Type | None:
    """The canonical type of a built-in PostgreSQL type name, or ``None`` if not built in.

    `names` are the parse tree's name parts (``["pg_catalog", "varchar"]``), `typmods`
    the constant modifiers as written, `array` whether the column is an array.
    """
    if len(names) > 2 or (len(names) == 2 and names[0] != "pg_catalog"):
        return None
    base = _scalar(names[-1], list(typmods))
    if base is None:
        return None
    return array_of(base) if array else base


def array_of(element: Type) -> Type:
    """``format_type`` prints any number of dimensions as a single ``[]``."""
    return Type("array", element.sql + "[]", element=element)


def _scalar(name: str, typmods: list[int | str]) -> Type | None:
    if name in _SIMPLE and not typmods:
        family, sql, bits = _SIMPLE[name]
        return Type(family, sql, bits=bits)
    if name in ("varchar", "bpchar"):
        fixed = name == "bpchar"
        spelled = "character" if fixed else "character varying"
        if not typmods:
            return Type("text", "bpchar" if fixed else spelled, fixed=fixed)
        n = int(typmods[0])
        return Type("text", f"{spelled}({n})", length=n, fixed=fixed)
    if name in ("numeric", "decimal"):
        if not typmods:
            return Type("numeric", "numeric")
        p = int(typmods[0])
        s = int(typmods[1]) if len(typmods) > 1 else 0
        return Type("numeric", f"numeric({p},{s})", precision=p, scale=s)
    if name in ("timestamp", "timestamptz"):
        tz = name == "timestamptz"
        sql = f"timestamp{_precision(typmods)} with{'' if tz else 'out'} time zone"
        p = int(typmods[0]) if typmods else None
        return Type("timestamp", sql, precision=p, timezone=tz)
    if name in ("time", "timetz"):
        tz = name == "timetz"
        sql = f"time{_precision(typmods)} with{'' if tz else 'out'} time zone"
        p = int(typmods[0]) if typmods else None
        return Type("time", sql, precision=p, timezone=tz)
    if name == "interval":
        return _interval(typmods)
    if name in ("bit", "varbit"):
        spelled = "bit" if name == "bit" else "bit varying"
        n = int(typmods[0]) if typmods else None
        return Type("binary", spelled + (f"({n})" if n is not None else ""), length=n)
    if name in ("float4", "float8") and not typmods:
        return _scalar(name, [])
    if name in _SIMPLE:
        return None
    if name in _OTHER_BUILTINS and not typmods:
        return Type("other", name)
    return None


def _interval(typmods: list[int | str]) -> Type:
    if not typmods:
        return Type("interval", "interval")
    mask = int(typmods[0])
    fields = _INTERVAL_FIELDS.get(mask, "")
    precision = int(typmods[1]) if len(typmods) > 1 else None
    # interval_typmodout: "interval" + fields + "(p)" with the precision last.
    sql = "interval" + fields + (f"({precision})" if precision is not None else "")
    return Type("interval", sql, precision=precision)


# Built-in types without a family of their own; format_type prints them by name.
_OTHER_BUILTINS = frozenset(
    {
        "inet",
        "cidr",
        "macaddr",
        "macaddr8",
        "xml",
        "tsvector",
        "tsquery",
        "point",
        "line",
        "lseg",
        "box",
        "path",
        "polygon",
        "circle",
        "oid",
        "regclass",
        "int4range",
        "int8range",
        "numrange",
        "tsrange",
        "tstzrange",
        "daterange",
        "int4multirange",
        "int8multirange",
        "nummultirange",
        "tsmultirange",
        "tstzmultirange",
        "datemultirange",
        "pg_lsn",
        "txid_snapshot",
        "pg_snapshot",
        "jsonpath",
    }
)


# Types that extensions add, by the extension that creates them, with their family.
EXTENSION_TYPES: dict[str, tuple[str, str]] = {
    "citext": ("citext", "text"),
    "hstore": ("hstore", "other"),
    "ltree": ("ltree", "other"),
    "lquery": ("ltree", "other"),
    "ltxtquery": ("ltree", "other"),
    "vector": ("vector", "other"),
    "halfvec": ("vector", "other"),
    "sparsevec": ("vector", "other"),
    "geometry": ("postgis", "other"),
    "geography": ("postgis", "other"),
    "box2d": ("postgis", "other"),
    "cube": ("cube", "other"),
    "earth": ("earthdistance", "other"),
    "isbn": ("isn", "text"),
    "isbn13": ("isn", "text"),
    "ean13": ("isn", "text"),
    "issn": ("isn", "text"),
    "seg": ("seg", "other"),
}


def user_type_sql(
    schema: str | None, name: str, visible: bool, typmods: Sequence[int | str]
) -> str:
    """A user-defined or extension type as ``format_type`` prints it (``"Role"``, ``vector(3)``)."""
    mods = f"({','.join(str(m) for m in typmods)})" if typmods else ""
    return qualified(schema, name, visible) + mods
