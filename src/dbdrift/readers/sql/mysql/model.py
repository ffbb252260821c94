"""The table model while replaying, richer than the catalog's `MutTable`: it knows what
MariaDB knows about a table (key kinds and prefix lengths, the index InnoDB generated
behind a foreign key, a character set's bytes per character, the check that belongs to a
column), and `MyTable.mut` gives the catalog its view of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from dbdrift.readers.sql.catalog import MutTable
from dbdrift.schema import (
    Check,
    Column,
    ForeignKey,
    Index,
    Origin,
    PrimaryKey,
    Unique,
)
from dbdrift.types import Type


@dataclass
class MyCheck:
    """A CHECK constraint: its name, expression, and the (lower-case) columns it uses."""

    name: str
    expression: str
    columns: frozenset[str]
    origin: Origin


@dataclass
class MyCol:
    """A column as MariaDB keeps it: type, NULL, stored default, AUTO_INCREMENT, generation."""

    name: str
    type: Type
    nullable: bool
    default: str | None
    auto_increment: bool
    generated: str | None
    origin: Origin
    check: MyCheck | None = None
    bytes_per_char: int = 4  # of its character set, for index length limits


@dataclass
class MyKey:
    """A primary key, unique key or index, with each part's column and prefix length."""

    name: str | None
    kind: str  # "primary" | "unique" | "index" | "fulltext" | "spatial"
    parts: list[tuple[str, int | None]]
    origin: Origin
    generated: bool = False  # InnoDB's index behind a foreign key

    @property
    def columns(self) -> list[str]:
        """The key's columns, without prefix lengths."""
        return [c for c, _ in self.parts]


@dataclass
class MyFk:
    """A foreign key, with the actions MariaDB reports for it."""

    name: str | None
    columns: list[str]
    ref_table: str
    ref_columns: list[str]
    on_delete: str
    on_update: str
    origin: Origin


@dataclass
class MyTable:
    """A table as the replay knows it, in MariaDB's terms."""

    name: str
    origin: Origin
    columns: list[MyCol] = field(default_factory=list)
    keys: list[MyKey] = field(default_factory=list)
    fks: list[MyFk] = field(default_factory=list)
    checks: list[MyCheck] = field(default_factory=list)
    bytes_per_char: int | None = None

    def col(self, name: str) -> MyCol | None:
        """The column of that name, ignoring case, or ``None``."""
        low = name.lower()
        return next((c for c in self.columns if c.name.lower() == low), None)

    def col_at(self, name: str) -> int:
        """The position of the column of that name, ignoring case, or -1."""
        low = name.lower()
        return next((i for i, c in enumerate(self.columns) if c.name.lower() == low), -1)

    def key(self, name: str) -> MyKey | None:
        """The key of that name, ignoring case, or ``None``."""
        low = name.lower()
        return next((k for k in self.keys if k.name and k.name.lower() == low), None)

    def all_checks(self) -> list[MyCheck]:
        """Table checks and column checks together."""
        return [*self.checks, *(c.check for c in self.columns if c.check)]

    def mut(self) -> MutTable:
        """The catalog's view of this table."""
        t = MutTable(self.name, None, self.origin)
        for c in self.columns:
            t.columns[c.name] = Column(
                c.name,
                c.type,
                c.nullable,
                c.default,
                "auto_increment" if c.auto_increment else None,
                c.generated,
                c.origin,
            )
        for k in self.keys:
            if k.kind == "primary":
                t.primary_key = PrimaryKey("PRIMARY", tuple(k.columns), k.origin)
            elif k.kind == "unique":
                t.uniques.append(Unique(k.name, tuple(k.columns), k.origin))
            else:
                method = None if k.kind == "index" else k.kind
                t.indexes.append(Index(k.name, tuple(k.columns), False, method, None, k.origin))
        for f in self.fks:
            t.foreign_keys.append(
                ForeignKey(
                    f.name,
                    tuple(f.columns),
                    f.ref_table,
                    tuple(f.ref_columns),
                    None,
                    f.on_delete,
                    f.on_update,
                    f.origin,
                )
            )
        for ch in self.all_checks():
            t.checks.append(Check(ch.name, ch.expression, ch.origin))
        return t
