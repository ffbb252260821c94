"""Replay DDL that a reader generated (an ORM's or a migration tool's), with origins mapped back.

Readers of ORMs and migration tools (SQLAlchemy, Alembic, Django) turn what they read into
the SQL the tool itself would send to the database, and let the SQL replay decide what the
database would hold: names, defaults, refusals.  Each statement carries the `Origin` of
the line that produced it (a model field, an ``op.add_column``); all statements are
replayed as one text (one parse), and every origin the replay reports is mapped back to
the origin of the statement it falls in.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from importlib import import_module
from typing import TypeVar

from dbdrift.schema import (
    Check,
    Column,
    Enum,
    Error,
    ForeignKey,
    Index,
    Note,
    Origin,
    PrimaryKey,
    Schema,
    SourceRef,
    Table,
    Unique,
)

SYNTHETIC = "<generated DDL>"
"""The path the replay sees; never reaches a report, every origin is mapped back."""

_Located = TypeVar(
    "_Located", PrimaryKey, ForeignKey, Unique, Index, Check, Enum, Note, Error, Column
)


@dataclass(frozen=True, slots=True)
class Generated:
    """One generated statement (without its semicolon) and the line that produced it."""

    sql: str
    origin: Origin


class Remap:
    """Origins in the generated text -> the origin of the statement they fall in."""

    def __init__(self, starts: list[int], targets: list[Origin]) -> None:
        self.starts = starts
        self.targets = targets

    def origin(self, origin: Origin | None) -> Origin | None:
        if origin is None or origin.path != SYNTHETIC or not self.starts:
            return origin
        at = max(bisect_right(self.starts, origin.line) - 1, 0)
        return self.targets[at]

    def item(self, item: _Located) -> _Located:
        origin = self.origin(item.origin)
        return item if origin is item.origin else replace(item, origin=origin)

    def table(self, table: Table) -> Table:
        """The table with every origin in it mapped back."""
        return replace(
            table,
            origin=self.origin(table.origin),
            columns=tuple(self.item(c) for c in table.columns),
            primary_key=self.item(table.primary_key) if table.primary_key else None,
            foreign_keys=tuple(self.item(x) for x in table.foreign_keys),
            uniques=tuple(self.item(x) for x in table.uniques),
            indexes=tuple(self.item(x) for x in table.indexes),
            checks=tuple(self.item(x) for x in table.checks),
        )


def text_of(statements: Iterable[Generated]) -> tuple[str, Remap]:
    """The statements as one text, and how to map its lines back."""
    starts: list[int] = []
    targets: list[Origin] = []
    chunks: list[str] = []
    line = 1
    for statement in statements:
        starts.append(line)
        targets.append(statement.origin)
        chunks.append(statement.sql + ";\n")
        line += statement.sql.count("\n") + 1
    return "".join(chunks), Remap(starts, targets)


def replay(
    source: SourceRef,
    statements: Iterable[Generated],
    base: Schema | None = None,
    dialect: str | None = None,
) -> Schema:
    """What the database holds after `statements`, origins mapped back.

    `dialect` (by default the source's) chooses the replay; `base` contributes notes and
    errors the reader found before generating anything, which come first in the result.
    """
    from dbdrift.readers.sql import REPLAYS
    from dbdrift.readers.sql.catalog import Catalog

    text, remap = text_of(statements)
    catalog = Catalog(source)
    module = import_module(REPLAYS.get(dialect or source.dialect, REPLAYS["postgresql"]))
    module.Replay(catalog).file(SYNTHETIC, text)
    frozen = catalog.freeze()
    notes = (base.notes if base else ()) + tuple(remap.item(n) for n in frozen.notes)
    errors = (base.errors if base else ()) + tuple(remap.item(e) for e in frozen.errors)
    return replace(
        frozen,
        tables=tuple(remap.table(t) for t in frozen.tables),
        enums=tuple(remap.item(e) for e in frozen.enums),
        notes=notes,
        errors=errors,
    )
