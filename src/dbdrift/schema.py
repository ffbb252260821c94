"""The intermediate representation: the only thing readers produce and checks consume.

Every object is frozen, holds tuples in source order and carries an `Origin`, so that a
finding can always say where a claim came from. Lookups return ``None`` when nothing
matches (Atlas's "first match, or not found").
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from dbdrift.types import Type

FORMAT = "dbdrift/1"


@dataclass(frozen=True, slots=True)
class Origin:
    """Repo-relative path and 1-based line of the statement or field that defined something."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Which source a schema was read from: its id, kind, dialect and every file behind it."""

    id: str
    kind: str
    dialect: str
    paths: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Column:
    """A column as the database would see it once the source is applied.

    `default` is the expression as the database stores it (PostgreSQL's ``pg_get_expr``,
    MySQL's ``COLUMN_DEFAULT``) when that is decidable, otherwise the source's own spelling.
    `identity` is ``"always"`` or ``"by default"`` for identity columns, `generated` the
    expression of a stored generated column, `attr` the ORM attribute name when it differs.
    """

    name: str
    type: Type
    nullable: bool = True
    default: str | None = None
    identity: str | None = None
    generated: str | None = None
    origin: Origin | None = None
    attr: str | None = None


@dataclass(frozen=True, slots=True)
class PrimaryKey:
    name: str | None
    columns: tuple[str, ...]
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """A foreign key; actions are spelled as SQL says them (``NO ACTION``, ``CASCADE`` ...)."""

    name: str | None
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    ref_schema: str | None = None
    on_delete: str = "NO ACTION"
    on_update: str = "NO ACTION"
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Unique:
    """A unique constraint (not a unique index: those are `Index` with ``unique=True``)."""

    name: str | None
    columns: tuple[str, ...]
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Index:
    """An index created on its own, not the one behind a primary key or unique constraint.

    `columns` holds column names; an expression key is kept as its SQL text in parentheses.
    """

    name: str | None
    columns: tuple[str, ...]
    unique: bool = False
    method: str | None = None
    where: str | None = None
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Check:
    name: str | None
    expression: str
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    schema: str | None = None
    columns: tuple[Column, ...] = ()
    primary_key: PrimaryKey | None = None
    foreign_keys: tuple[ForeignKey, ...] = ()
    uniques: tuple[Unique, ...] = ()
    indexes: tuple[Index, ...] = ()
    checks: tuple[Check, ...] = ()
    origin: Origin | None = None

    @property
    def qualified_name(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


@dataclass(frozen=True, slots=True)
class Enum:
    name: str
    values: tuple[str, ...]
    schema: str | None = None
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """Something read but not modelled (a function, a view, an INSERT), and where.

    `count` is how many statements the note stands for: a run of data statements is one
    note, not one per INSERT of a seed file.
    """

    kind: str
    message: str
    origin: Origin
    count: int = 1


@dataclass(frozen=True, slots=True)
class Error:
    """Something that could not be read or would be refused by the database, and where."""

    message: str
    origin: Origin
    column: int | None = None


@dataclass(frozen=True, slots=True)
class Schema:
    source: SourceRef
    tables: tuple[Table, ...] = ()
    enums: tuple[Enum, ...] = ()
    notes: tuple[Note, ...] = ()
    errors: tuple[Error, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def table(self, name: str, schema: str | None = None) -> Table | None:
        """The first table called `name` (in `schema`, when given), or ``None``."""
        for table in self.tables:
            if table.name == name and (schema is None or table.schema == schema):
                return table
        return None

    def to_dict(self) -> dict[str, Any]:
        """The ``dbdrift schema --format json`` document."""
        data = plain(self)
        data.pop("extra")
        return {"format": FORMAT, **data}


def plain(value: Any) -> Any:
    """Dataclasses as dicts, tuples as lists; ``None`` parameters of a type are left out so
    the JSON stays short.  Faster than ``dataclasses.asdict``, which deep-copies every leaf."""
    names = _FIELDS.get(type(value))
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS[type(value)] = tuple(f.name for f in fields(value))
    if names is not None:
        items = ((name, getattr(value, name)) for name in names)
        if isinstance(value, Type):
            return {name: plain(item) for name, item in items if item is not None}
        return {name: plain(item) for name, item in items}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


_FIELDS: dict[type, tuple[str, ...]] = {}
