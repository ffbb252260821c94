"""The mutable catalog a SQL replay builds, statement by statement, before it is frozen.

Every dialect's replay drives one `Catalog`: it looks tables up, records what the
database would refuse as an error and what it does not model as a note, and at the end
`freeze()` turns it into the frozen `Schema`.  Keeping this apart from the dialects means
PostgreSQL, MySQL and SQLite replays share one notion of "what exists at this point".
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from typing import Any

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

Key = tuple[str | None, str]


@dataclass
class MutTable:
    """A table while the replay is still changing it."""

    name: str
    schema: str | None
    origin: Origin
    columns: dict[str, Column] = field(default_factory=dict)
    primary_key: PrimaryKey | None = None
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    uniques: list[Unique] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    @property
    def key(self) -> Key:
        return (self.schema, self.name)

    def snapshot(self) -> dict[str, Any]:
        """Enough to undo a failed statement: the parts are frozen, so copies are shallow."""
        saved = dict(self.__dict__)
        for name in ("columns", "foreign_keys", "uniques", "indexes", "checks"):
            saved[name] = copy.copy(saved[name])
        return saved

    def restore(self, saved: dict[str, Any]) -> None:
        self.__dict__.update(saved)

    def constraint_names(self) -> set[str]:
        names = {c.name for c in (*self.foreign_keys, *self.uniques, *self.checks) if c.name}
        if self.primary_key and self.primary_key.name:
            names.add(self.primary_key.name)
        return names

    def rename_column(self, old: str, new: str) -> None:
        """Rename a column everywhere the table refers to it, keeping column order."""
        self.columns = {
            (new if k == old else k): (replace(c, name=new) if k == old else c)
            for k, c in self.columns.items()
        }

        def sub(cols: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(new if c == old else c for c in cols)

        if self.primary_key:
            self.primary_key = replace(self.primary_key, columns=sub(self.primary_key.columns))
        self.foreign_keys = [replace(f, columns=sub(f.columns)) for f in self.foreign_keys]
        self.uniques = [replace(u, columns=sub(u.columns)) for u in self.uniques]
        self.indexes = [replace(i, columns=sub(i.columns)) for i in self.indexes]

    def drop_column(self, name: str) -> None:
        """Drop a column and, as the database does, every constraint and index using it."""
        del self.columns[name]
        if self.primary_key and name in self.primary_key.columns:
            self.primary_key = None
        self.foreign_keys = [f for f in self.foreign_keys if name not in f.columns]
        self.uniques = [u for u in self.uniques if name not in u.columns]
        self.indexes = [i for i in self.indexes if name not in i.columns]

    def freeze(self) -> Table:
        return Table(
            name=self.name,
            schema=self.schema,
            columns=tuple(self.columns.values()),
            primary_key=self.primary_key,
            foreign_keys=tuple(self.foreign_keys),
            uniques=tuple(self.uniques),
            indexes=tuple(self.indexes),
            checks=tuple(self.checks),
            origin=self.origin,
        )


@dataclass
class Catalog:
    """What exists at this point of the replay, plus what was noted and refused."""

    source: SourceRef
    tables: dict[Key, MutTable] = field(default_factory=dict)
    enums: dict[Key, Enum] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    errors: list[Error] = field(default_factory=list)

    def error(self, message: str, origin: Origin) -> None:
        self.errors.append(Error(message, origin))

    def note(self, kind: str, message: str, origin: Origin, count: int = 1) -> None:
        self.notes.append(Note(kind, message, origin, count))

    def table(self, schema: str | None, name: str) -> MutTable | None:
        return self.tables.get((schema, name))

    def add_table(self, table: MutTable) -> None:
        self.tables[table.key] = table

    def remove_table(self, key: Key) -> MutTable:
        return self.tables.pop(key)

    def freeze(self) -> Schema:
        """The frozen schema, tables and enums in the order they were created."""
        return Schema(
            source=self.source,
            tables=tuple(t.freeze() for t in self.tables.values()),
            enums=tuple(self.enums.values()),
            notes=tuple(self.notes),
            errors=tuple(self.errors),
        )
