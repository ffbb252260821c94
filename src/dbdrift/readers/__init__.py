"""Readers: one module (or package) per kind of source, each ``read(source) -> Schema``.

`read` picks the reader by the source's kind and imports it only then, so reading SQL never
loads the Prisma grammar and the other way round.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dbdrift.schema import Schema
    from dbdrift.source import Source

# Source kind -> the module whose `read(source) -> Schema` reads it.
READERS = {
    "sql-migrations": "dbdrift.readers.sql",
    "sql-schema": "dbdrift.readers.sql",
    "prisma": "dbdrift.readers.prisma",
    "sqlalchemy": "dbdrift.readers.sqlalchemy",
    "alembic": "dbdrift.readers.alembic",
    "django": "dbdrift.readers.django",
    "django-migrations": "dbdrift.readers.django",
    "database": "dbdrift.readers.database",
}


class NoReader(LookupError):
    """A source kind dbdrift cannot read (yet)."""


def read(source: Source) -> Schema:
    """The schema of one source, read by the reader of its kind."""
    module = READERS.get(source.kind)
    if module is None:
        raise NoReader(f"no reader for sources of kind {source.kind!r} yet")
    return import_module(module).read(source)
