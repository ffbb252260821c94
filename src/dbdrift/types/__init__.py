"""Canonical column types.

A `Type` is a family plus its parameters, and `sql`: the spelling the database itself
reports (PostgreSQL's ``format_type``, MySQL's ``COLUMN_TYPE``, SQLite's declared type).
Each dialect and ORM keeps its knowledge in a module of its own beside this one, as
mapping tables; nothing here knows about any dialect.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

FAMILIES = (
    "integer",
    "numeric",
    "float",
    "text",
    "uuid",
    "boolean",
    "timestamp",
    "date",
    "time",
    "interval",
    "json",
    "binary",
    "enum",
    "array",
    "other",
)


@dataclass(frozen=True, slots=True)
class Type:
    """A canonical type: `family`, its parameters, and `sql` as the database spells it.

    `bits` is the storage width of integers and floats, `length` the declared length of
    strings and bit strings, `timezone` whether a timestamp or time keeps its zone,
    `element` the element type of an array and `enum` the name of an enum type.
    `fixed` tells a blank-padded ``character(n)`` from ``character varying(n)``.
    """

    family: str
    sql: str
    bits: int | None = None
    precision: int | None = None
    scale: int | None = None
    length: int | None = None
    timezone: bool | None = None
    fixed: bool | None = None
    element: Type | None = None
    enum: str | None = None

    def with_sql(self, sql: str) -> Type:
        return replace(self, sql=sql)


def other(sql: str) -> Type:
    """A type dbdrift does not model: kept with its raw spelling so nothing is dropped."""
    return Type("other", sql)
