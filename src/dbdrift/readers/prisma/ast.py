"""The Prisma Schema Language as plain data: what the parser produces and the deriver reads.

The parser (parser.py, a lark grammar) turns each `.prisma` file into a `PrismaFile`; the
deriver (derive.py) turns the blocks of all files of one schema into dbdrift's `Schema`, the
way Prisma Migrate would create the tables.  Every node keeps its 1-based line, so each
table, column and constraint can say where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from dbdrift.schema import Error


@dataclass(frozen=True, slots=True)
class Ident:
    """A bare name used as a value: an enum value, a field reference, ``Cascade``, ``Desc``."""

    name: str


@dataclass(frozen=True, slots=True)
class Call:
    """A function used as a value: ``autoincrement()``, ``dbgenerated("...")``, ``sort: Desc``
    is an `Arg`, but ``fields: [a(sort: Desc)]`` holds a `Call` named ``a``."""

    name: str
    args: tuple[Arg, ...] = ()


# A value: a string, a number (an int, or a Decimal that keeps the digits as written: a
# default of ``0.10`` stays ``0.10``, as Prisma writes it into the SQL), a boolean, an
# identifier, a call, or a list of values.
Value = str | int | float | Decimal | bool | Ident | Call | tuple  # tuple: a list of values


@dataclass(frozen=True, slots=True)
class Arg:
    """An argument: positional (`name` is None) or named (``onDelete: Cascade``)."""

    name: str | None
    value: Value


@dataclass(frozen=True, slots=True)
class Attribute:
    """``@id``, ``@db.VarChar(255)``, ``@@index([a, b], map: "x")``: the name without ``@``/``@@``
    (``db.VarChar`` keeps its namespace), its arguments, and its line."""

    name: str
    args: tuple[Arg, ...] = ()
    line: int = 0

    def arg(self, name: str, position: int | None = None) -> Value | None:
        """A named argument, or the positional one at `position` when it is not named."""
        for arg in self.args:
            if arg.name == name:
                return arg.value
        if position is not None:
            positional = [a.value for a in self.args if a.name is None]
            if position < len(positional):
                return positional[position]
        return None


@dataclass(frozen=True, slots=True)
class FieldType:
    """``String``, ``Int?``, ``Post[]``, ``Unsupported("circle")?``."""

    name: str
    optional: bool = False
    list: bool = False
    unsupported: str | None = None  # the text inside Unsupported("...")


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: FieldType
    attributes: tuple[Attribute, ...] = ()
    doc: str | None = None  # the /// comment lines above it
    line: int = 0

    def attribute(self, name: str) -> Attribute | None:
        return next((a for a in self.attributes if a.name == name), None)


@dataclass(frozen=True, slots=True)
class EnumValue:
    name: str
    attributes: tuple[Attribute, ...] = ()  # @map("...")
    line: int = 0


@dataclass(frozen=True, slots=True)
class Property:
    """``provider = "postgresql"`` in a datasource or generator block."""

    name: str
    value: Value
    line: int = 0


@dataclass(frozen=True, slots=True)
class Block:
    """A top-level block: ``model``, ``view``, ``type``, ``enum``, ``datasource``, ``generator``."""

    kind: str
    name: str
    path: str
    line: int
    fields: tuple[Field, ...] = ()  # model, view, type
    values: tuple[EnumValue, ...] = ()  # enum
    properties: tuple[Property, ...] = ()  # datasource, generator
    attributes: tuple[Attribute, ...] = ()  # @@map, @@id, @@index, @@schema, @@ignore ...
    doc: str | None = None

    def attribute(self, name: str) -> Attribute | None:
        return next((a for a in self.attributes if a.name == name), None)

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def property(self, name: str) -> Value | None:
        return next((p.value for p in self.properties if p.name == name), None)


@dataclass(frozen=True, slots=True)
class PrismaFile:
    """One parsed file: its blocks in order and what could not be read (path, line, message)."""

    path: str
    blocks: tuple[Block, ...] = ()
    errors: tuple[Error, ...] = field(default_factory=tuple)
