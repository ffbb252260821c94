"""Column defaults reduced to one spelling, so that equal defaults compare equal (DBD402).

Readers already store a default as the database would (PostgreSQL's ``pg_get_expr``,
MariaDB's ``COLUMN_DEFAULT``), but the same value still has several spellings: a literal with
or without a redundant cast (`'x'::character varying`, `'0'::integer`), the three names of
the transaction's start time, keywords in either case, numbers written `1.50` or `1.5`, and a
serial's `nextval(...)` beside an identity column.  `normalize` maps each of them to one form;
it never decides that two different values are equal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from dbdrift.schema import Column

AUTOINCREMENT = "autoincrement"
"""The one spelling of a value drawn from a sequence: serial's `nextval(...)`, an identity
column, MySQL's AUTO_INCREMENT and SQLite's AUTOINCREMENT."""

# Names of the time the current transaction started (PostgreSQL 9.9.5, "Current Date/Time";
# MySQL's NOW() and CURRENT_TIMESTAMP(n) are synonyms of each other).
NOW = "current_timestamp"
SYNONYMS = {
    "now()": NOW,
    "current_timestamp": NOW,
    "current_timestamp()": NOW,
    "transaction_timestamp()": NOW,
    "localtimestamp()": "localtimestamp",
    "current_date()": "current_date",
    "curdate()": "current_date",
}
_TIMESTAMP_PRECISION = re.compile(r"^(current_timestamp|now|localtimestamp)\(\d+\)$")

# Spellings of a boolean a column of family boolean may store (PostgreSQL 8.6, "Boolean
# Type"; MySQL's BOOLEAN is TINYINT(1), so 1 and 0).
BOOLEANS = {
    "true": "true",
    "'t'": "true",
    "'true'": "true",
    "'y'": "true",
    "'yes'": "true",
    "'on'": "true",
    "'1'": "true",
    "1": "true",
    "b'1'": "true",
    "false": "false",
    "'f'": "false",
    "'false'": "false",
    "'n'": "false",
    "'no'": "false",
    "'off'": "false",
    "'0'": "false",
    "0": "false",
    "b'0'": "false",
}

_QUOTED = re.compile(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")")
_LITERAL = re.compile(r"^'(?:[^']|'')*'$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$")
_CAST = re.compile(r"::(\"[^\"]+\"|[a-z_][a-z0-9_. ]*?)(\(\d+(, \d+)?\))?( ?[a-z_ ]*?)(\[\])*$")
NUMERIC_FAMILIES = frozenset({"integer", "numeric", "float"})
"""Families whose quoted numbers are numbers (`'-1'::integer`); in a text column `'007'`
stays a string."""
_OPERATOR = set("+-*/|<>=%&^~!,")


def normalize(expression: str, family: str | None = None) -> str | None:
    """One spelling of a default expression; ``None`` for a default of NULL.

    Steps: 1. lower-case and collapse whitespace outside quotes; 2. peel redundant
    parentheses and casts off a single term; 3. map synonyms (`now()`, serial's `nextval`);
    4. unquote numbers and write them without trailing zeros; 5. for a boolean column, map
    every spelling of true and false to one.
    """
    text = _fold(expression)
    previous = None
    while text != previous:
        previous = text
        text = _strip_parens(text)
        text = _strip_cast(text)
    if text == "null":
        return None
    if text.startswith("nextval("):
        return AUTOINCREMENT
    text = SYNONYMS.get(text, text)
    if _TIMESTAMP_PRECISION.match(text):
        name = text.split("(", 1)[0]
        text = SYNONYMS.get(f"{name}()", name)
    if family is None or family in NUMERIC_FAMILIES:
        text = _number(text)
    if family == "boolean":
        text = BOOLEANS.get(text, text)
    return text


def column_default(column: Column) -> str | None:
    """The normalized default of `column`: `AUTOINCREMENT` for identity and serial columns."""
    if column.identity:
        return AUTOINCREMENT
    if column.default is None:
        return None
    return normalize(column.default, column.type.family)


def _fold(text: str) -> str:
    """Lower-case and single-space everything outside quoted literals and identifiers."""
    parts = _QUOTED.split(text.strip())
    folded = []
    for index, part in enumerate(parts):
        if index % 2:
            folded.append(part)
            continue
        part = re.sub(r"\s+", " ", part.lower())
        part = re.sub(r"\s*(::|\(|\)|,|\[|\])\s*", r"\1", part)
        part = part.replace(",", ", ")
        folded.append(part)
    return "".join(folded).strip()


def _strip_parens(text: str) -> str:
    """`(x)` -> `x` when the outer parentheses enclose the whole expression."""
    if not (text.startswith("(") and text.endswith(")")):
        return text
    depth = 0
    for index, char, quoted in _scan(text):
        if quoted:
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and index < len(text) - 1:
            return text
    return text[1:-1].strip()


def _strip_cast(text: str) -> str:
    """`'x'::character varying` -> `'x'`: a cast of one term (never of a whole operation)."""
    match = _CAST.search(text)
    if match is None or _in_quotes(text, match.start()):
        return text
    body = text[: match.start()]
    return body if body and _single_term(body) else text


def _number(text: str) -> str:
    """`'-1'`, `1.50` and `1.5` -> `-1`, `1.5`, `1.5`: a number in one form."""
    candidate = text[1:-1] if _LITERAL.match(text) else text
    if not _NUMBER.match(candidate):
        return text
    try:
        value = Decimal(candidate)
    except InvalidOperation:
        return text
    plain = format(value.normalize(), "f")
    return "0" if plain in ("-0", "+0") else plain


def _single_term(text: str) -> bool:
    """Whether `text` is one term: a literal, a number, a call, or something in brackets."""
    depth = 0
    for index, char, quoted in _scan(text):
        if quoted:
            continue
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif depth == 0 and (char == " " or (char in _OPERATOR and index > 0)):
            return False
    return depth == 0


def _in_quotes(text: str, position: int) -> bool:
    return any(quoted for index, _, quoted in _scan(text[: position + 1]) if index == position)


def _scan(text: str) -> Iterator[tuple[int, str, bool]]:
    """(index, char, inside a quoted literal or identifier) for each character."""
    quote = ""
    for index, char in enumerate(text):
        if quote:
            yield index, char, True
            if char == quote:
                quote = ""
            continue
        if char in "'\"":
            quote = char
            yield index, char, True
            continue
        yield index, char, False
