"""SQLite type knowledge: a declared type to a canonical type spelled as SQLite reports it.

SQLite keeps a column's declared type as text and derives only an *affinity* from it
(https://www.sqlite.org/datatype3.html, section 3.1).  `Type.sql` is that text exactly as
``PRAGMA table_xinfo(...).type`` prints it; `reported_type` turns what a file wrote into
that text (SQLite 3.37+ stores the six standard names in upper case and dequotes).  The
family follows the affinity rules, refined by the spellings applications commonly use
(``BOOLEAN``, ``DATETIME``, ``UUID`` ...), which SQLite accepts but does not interpret.
"""

from __future__ import annotations

import re

from dbdrift.types import Type

# The standard type names (sqlite3StdType in global.c): a declared type equal to one of
# them, ignoring case and quotes, is stored as this upper-case spelling.  STRICT tables
# accept only these (https://www.sqlite.org/stricttables.html).
STD_TYPES = ("ANY", "BLOB", "INT", "INTEGER", "REAL", "TEXT")

# Every integer-affinity value is stored in 1 to 8 bytes, whatever the declared name, so
# the width a SQLite column can hold is always 64 bits (datatype3.html, section 2).
_INT_BITS = 64
_REAL_BITS = 64  # REAL is an 8-byte IEEE float

# Affinity rules of datatype3.html section 3.1, tried in this order on the upper-cased
# declared type: substring -> family.  An empty declared type has BLOB affinity.
_AFFINITY: tuple[tuple[tuple[str, ...], str], ...] = (
    (("INT",), "integer"),
    (("CHAR", "CLOB", "TEXT"), "text"),
    (("BLOB",), "binary"),
    (("REAL", "FLOA", "DOUB"), "float"),
)

# Common spellings SQLite does not interpret but applications mean something by
# (base name, upper case, single spaces, without parameters) -> family.  They refine the
# affinity family; the affinity rules above still decide everything not listed.
_SPELLINGS: dict[str, str] = {
    "BOOLEAN": "boolean",
    "BOOL": "boolean",
    "DATETIME": "timestamp",
    "TIMESTAMP": "timestamp",
    "TIMESTAMPTZ": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamp",
    "TIMESTAMP WITHOUT TIME ZONE": "timestamp",
    "DATE": "date",
    "TIME": "time",
    "INTERVAL": "interval",
    "UUID": "uuid",
    "GUID": "uuid",
    "UNIQUEIDENTIFIER": "uuid",
    "JSON": "json",
    "JSONB": "json",
    "DECIMAL": "numeric",
    "NUMERIC": "numeric",
    "MONEY": "numeric",
    "ANY": "other",
}

# Spellings whose time zone is part of the name.
_WITH_ZONE = frozenset({"TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"})

# The parameter list SQLite's grammar allows after a type name: one or two signed numbers.
_TYPE = re.compile(
    r"^(?P<base>[^(]*?)\s*(?:\(\s*(?P<p1>[+-]?[0-9.]+)\s*(?:,\s*(?P<p2>[+-]?[0-9.]+)\s*)?\))?\s*$",
    re.DOTALL,
)

_QUOTES = {'"': '"', "'": "'", "`": "`", "[": "]"}


def dequote(text: str) -> str:
    """SQLite's ``sqlite3Dequote``: strip one level of quotes, up to the closing quote.

    Anything after the closing quote is dropped, as SQLite does (``'char'(3)`` -> ``char``).
    """
    if not text or text[0] not in _QUOTES:
        return text
    close = _QUOTES[text[0]]
    out: list[str] = []
    i = 1
    while i < len(text):
        ch = text[i]
        if ch == close:
            if i + 1 < len(text) and text[i + 1] == close:
                out.append(close)
                i += 2
                continue
            break
        out.append(ch)
        i += 1
    return "".join(out)


def _dequote_token(text: str) -> str:
    """``sqlite3DequoteToken``: remove the outer quotes only if no quote is inside."""
    if len(text) < 2 or text[0] not in _QUOTES:
        return text
    if any(ch in _QUOTES for ch in text[1:-1]):
        return text
    return text[1:-1]


def reported_type(written: str) -> str:
    """The declared type as ``PRAGMA table_xinfo`` reports it, from the type as written.

    Follows ``sqlite3AddColumn`` (build.c): a trailing ``GENERATED ALWAYS`` belongs to the
    column constraint, not the type; the standard names come back upper case; otherwise
    the text is kept as written, dequoted.
    """
    text = written
    if len(text) >= 16 and text[-6:].upper() == "ALWAYS":
        text = text[:-6].rstrip()
        if len(text) >= 9 and text[-9:].upper() == "GENERATED":
            text = text[:-9].rstrip()
    if len(text) >= 3:
        text = _dequote_token(text)
        if text.upper() in STD_TYPES:
            return text.upper()
    return dequote(text)


def is_std_type(reported: str) -> bool:
    """Whether a reported type is one of the standard names a STRICT table accepts."""
    return reported in STD_TYPES


def affinity_family(reported: str) -> str:
    """The family of SQLite's affinity rules alone (datatype3.html section 3.1)."""
    upper = reported.upper()
    if not upper:
        return "other"
    for needles, family in _AFFINITY:
        if any(n in upper for n in needles):
            return family
    return "numeric"


def declared_type(reported: str) -> Type:
    """The canonical type of a column whose declared type SQLite reports as `reported`."""
    if not reported.strip():
        return Type("other", reported)
    match = _TYPE.match(reported)
    base = " ".join(match["base"].upper().split()) if match else reported.upper()
    p1 = _number(match["p1"]) if match else None
    p2 = _number(match["p2"]) if match else None
    family = _SPELLINGS.get(base) or affinity_family(reported)
    if family == "integer":
        return Type("integer", reported, bits=_INT_BITS)
    if family == "float":
        return Type("float", reported, bits=_REAL_BITS)
    if family == "text":
        return Type("text", reported, length=p1)
    if family == "numeric":
        return Type("numeric", reported, precision=p1, scale=p2)
    if family == "timestamp":
        return Type("timestamp", reported, precision=p1, timezone=base in _WITH_ZONE)
    if family == "time":
        return Type("time", reported, precision=p1)
    return Type(family, reported)


def _number(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return None
