"""MySQL / MariaDB type knowledge: sqlglot type names to canonical types spelled as ``COLUMN_TYPE``.

Every spelling here is what ``information_schema.COLUMNS.COLUMN_TYPE`` (and, for defaults,
``COLUMN_DEFAULT``) reports once a column is created, checked against MariaDB 10.11 with
its default settings (utf8mb4, ``explicit_defaults_for_timestamp=ON``).  What differs
between MariaDB and MySQL 8 is kept in one `Flavour` row, so ``mysql8`` is a table away.

https://mariadb.com/kb/en/data-types/ and https://dev.mysql.com/doc/refman/8.0/en/data-types.html

Decisions a user can rely on:

- ``BOOL``/``BOOLEAN`` and a signed ``TINYINT(1)`` are family ``boolean`` (sql ``tinyint(1)``):
  MySQL has no boolean type, and every ORM and driver (Prisma, SQLAlchemy, Connector/J)
  reads ``tinyint(1)`` as a boolean.  Any other tinyint is an ``integer`` of 8 bits.
- ``JSON`` is family ``json``; MariaDB stores it as ``longtext`` plus a ``CHECK
  (json_valid(col))`` named after the column, MySQL 8 as a native ``json``.
- ``TIMESTAMP`` has ``timezone=True`` (it is stored in UTC and shown in the session's
  zone, like PostgreSQL's ``timestamptz``); ``DATETIME`` has ``timezone=False``.
- ``UNSIGNED``/``ZEROFILL`` live in the ``sql`` spelling, which is what comparisons see.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from dbdrift.types import Type


@dataclass(frozen=True, slots=True)
class Flavour:
    """What one server family reports differently from the others."""

    name: str
    display_widths: bool
    """Whether integer types report a display width: ``int(11)`` (MariaDB, MySQL 5.7)."""
    json_sql: str
    """How a ``JSON`` column is reported: MariaDB's alias ``longtext`` or MySQL's ``json``."""
    json_check: bool
    """Whether a ``JSON`` column gets a ``json_valid`` CHECK named after the column."""
    bytes_per_char: int = 4
    """Bytes per character of the default character set (utf8mb4), for ``TEXT(n)``."""


FLAVOURS: dict[str, Flavour] = {
    # MariaDB 10.11: JSON is an alias for LONGTEXT with a json_valid() check
    # (https://mariadb.com/kb/en/json-data-type/); display widths are kept.
    "mariadb": Flavour("mariadb", display_widths=True, json_sql="longtext", json_check=True),
    # MySQL 8.0.19+ drops integer display widths except tinyint(1) and zerofill columns
    # (https://dev.mysql.com/doc/refman/8.0/en/numeric-type-attributes.html); native JSON.
    "mysql8": Flavour("mysql8", display_widths=False, json_sql="json", json_check=False),
}

# Spellings MariaDB accepts that sqlglot's MySQL tokenizer gets wrong or does not know:
# keyword -> sqlglot TokenType name.  (sqlglot reads INT8 as TINYINT, REAL as FLOAT and
# LONG as BIGINT; MariaDB reads them as BIGINT, DOUBLE and MEDIUMTEXT.)
# https://mariadb.com/kb/en/int8/ , https://mariadb.com/kb/en/double/ , https://mariadb.com/kb/en/long/
TOKENIZER_FIXES: dict[str, str] = {
    "INT8": "BIGINT",
    "INT3": "MEDIUMINT",
    "MIDDLEINT": "MEDIUMINT",
    "REAL": "DOUBLE",
    "LONG": "MEDIUMTEXT",
    "LONG VARCHAR": "MEDIUMTEXT",
    "LONG VARBINARY": "MEDIUMBLOB",
    "NATIONAL CHAR": "NCHAR",
    "NATIONAL CHARACTER": "NCHAR",
    "NATIONAL VARCHAR": "NVARCHAR",
    "NATIONAL CHARACTER VARYING": "NVARCHAR",
    "NCHAR VARCHAR": "NVARCHAR",
    "NCHAR VARYING": "NVARCHAR",
}

# Integers: sqlglot type -> (COLUMN_TYPE name, bits, display width signed, unsigned).
# https://mariadb.com/kb/en/int/ : the default display width is the widest value's length.
INTEGERS: dict[str, tuple[str, int, int, int]] = {
    "TINYINT": ("tinyint", 8, 4, 3),
    "SMALLINT": ("smallint", 16, 6, 5),
    "MEDIUMINT": ("mediumint", 24, 9, 8),
    "INT": ("int", 32, 11, 10),
    "BIGINT": ("bigint", 64, 20, 20),
}

# sqlglot folds UNSIGNED into the type name; these unfold it.
UNSIGNED: dict[str, str] = {
    "UTINYINT": "TINYINT",
    "USMALLINT": "SMALLINT",
    "UMEDIUMINT": "MEDIUMINT",
    "UINT": "INT",
    "UBIGINT": "BIGINT",
    "UDECIMAL": "DECIMAL",
    "UDOUBLE": "DOUBLE",
    "UFLOAT": "FLOAT",
}

# Types without parameters: sqlglot type -> (family, COLUMN_TYPE, bits).
SIMPLE: dict[str, tuple[str, str, int | None]] = {
    "TINYTEXT": ("text", "tinytext", None),
    "MEDIUMTEXT": ("text", "mediumtext", None),
    "LONGTEXT": ("text", "longtext", None),
    "TINYBLOB": ("binary", "tinyblob", None),
    "MEDIUMBLOB": ("binary", "mediumblob", None),
    "LONGBLOB": ("binary", "longblob", None),
    "DATE": ("date", "date", None),
    "UUID": ("uuid", "uuid", None),  # MariaDB 10.7+ native UUID type
    "GEOMETRY": ("other", "geometry", None),
}

# TEXT(n) and BLOB(n) become the smallest type holding n characters (TEXT: n times the
# character set's bytes per character) or n bytes (BLOB).  https://mariadb.com/kb/en/text/
SIZED_LOBS: dict[str, tuple[tuple[int, str], ...]] = {
    "TEXT": ((255, "tinytext"), (65535, "text"), (16777215, "mediumtext"), (2**32 - 1, "longtext")),
    "BLOB": ((255, "tinyblob"), (65535, "blob"), (16777215, "mediumblob"), (2**32 - 1, "longblob")),
}

# Strings: sqlglot type -> (COLUMN_TYPE name, blank-padded, length when none is written).
STRINGS: dict[str, tuple[str, bool, int | None]] = {
    "CHAR": ("char", True, 1),
    "NCHAR": ("char", True, 1),
    "VARCHAR": ("varchar", False, None),
    "NVARCHAR": ("varchar", False, None),
}

BINARIES: dict[str, tuple[str, int | None]] = {
    "BINARY": ("binary", 1),
    "VARBINARY": ("varbinary", None),
    "BIT": ("bit", 1),
}

# Bytes per character of the character sets a column may name.
CHARSET_BYTES: dict[str, int] = {
    "latin1": 1,
    "ascii": 1,
    "binary": 1,
    "latin2": 1,
    "cp1250": 1,
    "cp1251": 1,
    "cp1252": 1,
    "utf8": 3,
    "utf8mb3": 3,
    "utf8mb4": 4,
    "ucs2": 2,
    "utf16": 4,
    "utf32": 4,
}

# Function spellings as MariaDB prints a default expression back (Item::print):
# NOW() is stored as current_timestamp(), LOWER() as lcase() ...
FUNCTION_SPELLINGS: dict[str, str] = {
    "NOW": "current_timestamp",
    "CURRENT_TIMESTAMP": "current_timestamp",
    "LOCALTIME": "current_timestamp",
    "LOCALTIMESTAMP": "current_timestamp",
    "CURRENTTIMESTAMP": "current_timestamp",
    "CURDATE": "curdate",
    "CURRENT_DATE": "curdate",
    "CURRENTDATE": "curdate",
    "CURTIME": "curtime",
    "CURRENT_TIME": "curtime",
    "CURRENTTIME": "curtime",
    "LOWER": "lcase",
    "UPPER": "ucase",
    "UUID": "uuid",
    "UTC_TIMESTAMP": "utc_timestamp",
}

# Functions printed with their precision argument even when it is absent: ``now()``
# becomes ``current_timestamp()`` and ``now(3)`` ``current_timestamp(3)``.
TEMPORAL_FUNCTIONS = frozenset({"current_timestamp", "curtime", "utc_timestamp"})


def column_type(
    name: str,
    params: tuple[int, ...] = (),
    values: tuple[str, ...] = (),
    *,
    unsigned: bool = False,
    zerofill: bool = False,
    bytes_per_char: int | None = None,
    flavour_name: str = "mariadb",
) -> Type | None:
    """The canonical type of a sqlglot type name (``"UINT"``, ``"VARCHAR"`` ...), or ``None``.

    `params` are the numeric parameters as written, `values` the members of an ENUM or
    SET, `bytes_per_char` the column's character set width when it names one.
    """
    fl = FLAVOURS[flavour_name]
    if name in UNSIGNED:
        name, unsigned = UNSIGNED[name], True
    unsigned = unsigned or zerofill
    suffix = (" unsigned" if unsigned else "") + (" zerofill" if zerofill else "")
    if name == "BOOLEAN" or (name == "TINYINT" and params == (1,) and not unsigned):
        return Type("boolean", "tinyint(1)" + suffix)
    if name in INTEGERS:
        return _integer(name, params, unsigned, zerofill, suffix, fl)
    if name == "DECIMAL":
        p = params[0] if params else 10
        s = params[1] if len(params) > 1 else 0
        return Type("numeric", f"decimal({p},{s}){suffix}", precision=p, scale=s)
    if name in ("FLOAT", "DOUBLE"):
        return _floating(name, params, suffix)
    if name in STRINGS:
        spelled, fixed, default_length = STRINGS[name]
        n = params[0] if params else default_length
        if n is None:
            return None  # VARCHAR needs a length: MariaDB refuses the column
        return Type("text", f"{spelled}({n})", length=n, fixed=fixed)
    if name in SIZED_LOBS:
        return _sized_lob(name, params, bytes_per_char or fl.bytes_per_char)
    if name in BINARIES:
        spelled, default_length = BINARIES[name]
        n = params[0] if params else default_length
        if n is None:
            return None
        return Type("binary", f"{spelled}({n})", length=n)
    if name in SIMPLE:
        family, sql, bits = SIMPLE[name]
        return Type(family, sql, bits=bits)
    return _temporal(name, params, values, fl)


def _integer(
    name: str, params: tuple[int, ...], unsigned: bool, zerofill: bool, suffix: str, fl: Flavour
) -> Type:
    spelled, bits, signed_width, unsigned_width = INTEGERS[name]
    width = params[0] if params else (unsigned_width if unsigned else signed_width)
    shown = fl.display_widths or zerofill
    return Type("integer", f"{spelled}({width}){suffix}" if shown else spelled + suffix, bits=bits)


def _floating(name: str, params: tuple[int, ...], suffix: str) -> Type:
    # FLOAT(p): p <= 24 is a FLOAT, 25..53 a DOUBLE (https://mariadb.com/kb/en/float/);
    # FLOAT(m,d) and DOUBLE(m,d) keep their (deprecated) precision and scale.
    if len(params) == 2:
        m, d = params
        return Type(
            "float",
            f"{name.lower()}({m},{d}){suffix}",
            bits=32 if name == "FLOAT" else 64,
            precision=m,
            scale=d,
        )
    if name == "FLOAT" and params and params[0] > 24:
        name = "DOUBLE"
    bits = 32 if name == "FLOAT" else 64
    return Type("float", name.lower() + suffix, bits=bits)


def _sized_lob(name: str, params: tuple[int, ...], bytes_per_char: int) -> Type:
    family = "text" if name == "TEXT" else "binary"
    if not params:
        return Type(family, name.lower())
    size = params[0] * (bytes_per_char if name == "TEXT" else 1)
    spelled = next(s for limit, s in SIZED_LOBS[name] if size <= limit)
    return Type(family, spelled)


def _temporal(
    name: str, params: tuple[int, ...], values: tuple[str, ...], fl: Flavour
) -> Type | None:
    p = params[0] if params else 0
    shown = f"({p})" if p else ""
    if name == "DATETIME":
        return Type("timestamp", f"datetime{shown}", precision=p, timezone=False)
    if name in ("TIMESTAMP", "TIMESTAMPTZ"):
        return Type("timestamp", f"timestamp{shown}", precision=p, timezone=True)
    if name == "TIME":
        return Type("time", f"time{shown}", precision=p, timezone=False)
    if name == "YEAR":
        return Type("other", f"year({params[0] if params else 4})")
    if name == "JSON":
        return Type("json", fl.json_sql)
    if name in ("ENUM", "SET"):
        members = ",".join(quote_string(v) for v in values)
        return Type("enum" if name == "ENUM" else "other", f"{name.lower()}({members})")
    return None


def quote_string(value: str) -> str:
    """A string literal as MariaDB prints it back: quotes doubled, backslash escapes."""
    escaped = (
        value.replace("\\", "\\\\")
        .replace("'", "''")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\0", "\\0")
        .replace("\x1a", "\\Z")
    )
    return f"'{escaped}'"


# ---------------------------------------------------------------------------------------
# Defaults as COLUMN_DEFAULT reports them.  A constant default is converted to the column
# type and printed back: 0 in a DECIMAL(12,2) is '0.00', '5' in an INT is 5, 1e3 in a FLOAT
# is 1000, a string is quoted.  ``None`` means "NULL": MariaDB reports the text NULL for a
# nullable column without a default and for DEFAULT NULL alike; dbdrift keeps ``None`` for
# both, as PostgreSQL does (it stores no default for DEFAULT NULL).


def _digits_as_temporal(text: str, typ: Type) -> str:
    """A number given for a date or time: 0 is the zero value, 20200102 a date,
    20200102101112 a date and time, 101112 a time; anything else stays invalid."""
    if not text.isdigit():
        return text
    if int(text) == 0:
        return "0000-00-00 00:00:00" if typ.family != "time" else "00:00:00"
    if typ.family == "time" and len(text) <= 7:
        text = text.rjust(6, "0")
        return f"{text[:-4]}:{text[-4:-2]}:{text[-2:]}"
    if len(text) == 8:
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    if len(text) == 14:
        return f"{text[:4]}-{text[4:6]}-{text[6:8]} {text[8:10]}:{text[10:12]}:{text[12:]}"
    return "invalid"


_DATE = re.compile(r"(\d{1,4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(-?\d{1,3}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6}))?)?")


def literal_default(value: str | int | float | bool | bytes, typ: Type) -> str:
    """A constant default spelled as ``COLUMN_DEFAULT``: converted to the column's type."""
    if isinstance(value, bytes):
        if typ.family in ("text", "binary", "enum", "json", "other"):
            return quote_string(value.decode("latin-1"))
        value = int.from_bytes(value, "big") if value else 0
    if isinstance(value, bool):
        value = int(value)
    if typ.sql.startswith("bit("):
        return f"b'{int(_number(value)):b}'"
    if typ.family in ("integer", "boolean") or typ.sql.startswith("year"):
        return str(int(_number(value).to_integral_value(ROUND_HALF_UP)))
    if typ.family == "numeric":
        quantum = Decimal(1).scaleb(-(typ.scale or 0))
        return str(_number(value).quantize(quantum, ROUND_HALF_UP))
    if typ.family == "float":
        return _float_text(float(_number(value)))
    if typ.family in ("timestamp", "date", "time"):
        return quote_string(_temporal_text(str(value), typ))
    if typ.family == "enum":
        return quote_string(_enum_member(value, enum_members(typ.sql)))
    return quote_string(value if isinstance(value, str) else _plain_number(value))


_MEMBER = re.compile(r"'((?:[^']|'')*)'")


def enum_members(sql: str) -> list[str]:
    """The members of ``enum('a','b')`` as written in ``COLUMN_TYPE``."""
    return [m.replace("''", "'") for m in _MEMBER.findall(sql)]


def _enum_member(value: str | int | float, members: list[str]) -> str:
    """An ENUM default is matched as text against the members, without regard to case;
    MariaDB refuses one that matches none (a number is not taken as an index)."""
    text = value if isinstance(value, str) else _plain_number(value)
    return next((m for m in members if m.lower() == text.lower()), text)


def valid_default(spelled: str, typ: Type) -> bool:
    """Whether MariaDB accepts a constant default, as `literal_default` spelled it; a
    date that is no date ('2020-13-01', or 2 for a DATETIME) is refused (error 1067)."""
    if not spelled.startswith("'"):
        return True  # an expression is evaluated at INSERT time, not now
    if typ.family == "enum":
        return spelled[1:-1].replace("''", "'") in enum_members(typ.sql)
    if typ.family not in ("timestamp", "date", "time"):
        return True
    text = spelled[1:-1]
    if typ.family == "time":
        return bool(_TIME_FULL.match(text))
    date = _DATE_FULL.match(text)
    if date is None:
        return False
    year, month, day = int(date[1]), int(date[2]), int(date[3])
    if (year, month, day) == (0, 0, 0):
        return True
    return 1 <= month <= 12 and 1 <= day <= 31


_DATE_FULL = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):([0-5]\d):([0-5]\d)(?:\.\d+)?)?\Z")
_TIME_FULL = re.compile(r"-?\d{2,3}:[0-5]\d:[0-5]\d(?:\.\d+)?\Z")


def _number(value: str | int | float) -> Decimal:
    try:
        return Decimal(str(value).strip() or "0")
    except InvalidOperation:
        return Decimal(0)


def _plain_number(value: int | float) -> str:
    return str(value)


def _float_text(f: float) -> str:
    """The shortest round-trip digits, written out positionally (1e3 -> 1000, 1e-5 -> 0.00001)
    while that stays within MariaDB's field width; an exponent beyond that."""
    if not math.isfinite(f):
        return repr(f)
    if f.is_integer() and abs(f) < 1e16:
        return str(int(f))
    positional = format(Decimal(repr(f)), "f")
    return positional if len(positional) <= 22 else repr(f).replace("e+", "e")


def _temporal_text(text: str, typ: Type) -> str:
    """Dates and times normalised the way MariaDB stores them ('2020-1-2' -> '2020-01-02')."""
    text = _digits_as_temporal(text.strip(), typ)
    fraction_digits = typ.precision or 0
    date = _DATE.match(text)
    rest = text[date.end() :].lstrip(" T") if date else text
    time = _TIME.match(rest) if rest else None
    date_part = f"{int(date[1]):04d}-{int(date[2]):02d}-{int(date[3]):02d}" if date else None
    if time:
        fraction = (time[4] or "").ljust(fraction_digits, "0")[:fraction_digits]
        time_part = f"{int(time[1]):02d}:{int(time[2]):02d}:{int(time[3] or 0):02d}"
        if fraction_digits:
            time_part += "." + fraction
    else:
        time_part = "00:00:00" + ("." + "0" * fraction_digits if fraction_digits else "")
    if typ.family == "date":
        return date_part or text
    if typ.family == "time":
        return time_part if (time or not date) else text
    if date_part is None:
        return text
    return f"{date_part} {time_part}"
