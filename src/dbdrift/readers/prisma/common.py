"""What every step of the derivation shares: the datasource facts, the blocks by name, the
tables being built, and small readers of attribute arguments."""

from __future__ import annotations

from dataclasses import dataclass, field

from dbdrift.readers.prisma.ast import Arg, Attribute, Block, Call, Field, Ident, Value
from dbdrift.schema import Check, Column, Error, ForeignKey, Index, Note, Origin, PrimaryKey, Unique
from dbdrift.types import Type

# Attributes Prisma knows, on fields and on blocks (without ``@``/``@@``); a native type
# attribute (``@db.VarChar``) is recognised by the datasource's name instead.
FIELD_ATTRIBUTES = frozenset(
    {"id", "unique", "default", "updatedAt", "map", "relation", "ignore", "shardKey"}
)
MODEL_ATTRIBUTES = frozenset(
    {"id", "unique", "index", "fulltext", "map", "schema", "ignore", "shardKey"}
)
ENUM_ATTRIBUTES = frozenset({"map", "schema"})
ENUM_VALUE_ATTRIBUTES = frozenset({"map"})

# Referential actions as Prisma names them -> as SQL (and dbdrift's ForeignKey) spells them.
ACTIONS = {
    "Cascade": "CASCADE",
    "Restrict": "RESTRICT",
    "NoAction": "NO ACTION",
    "SetNull": "SET NULL",
    "SetDefault": "SET DEFAULT",
}


@dataclass
class EnumInfo:
    """An enum as the database will know it: its type name, schema and stored values."""

    block: Block
    db_name: str
    schema: str | None
    values: dict[str, str]  # value as written in the schema -> value stored (@map)


@dataclass
class Draft:
    """A table while it is being derived from a model (or made for a many-to-many relation)."""

    name: str
    schema: str | None
    origin: Origin
    block: Block | None = None
    columns: list[Column] = field(default_factory=list)
    by_field: dict[str, Column] = field(default_factory=dict)  # field name -> its column
    scalar_of: dict[str, str | None] = field(default_factory=dict)  # column -> Prisma scalar
    autoincrement: set[str] = field(default_factory=set)  # columns with autoincrement()
    primary_key: PrimaryKey | None = None
    uniques: list[Unique] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def replace_column(self, new: Column) -> None:
        self.columns = [new if c.name == new.name else c for c in self.columns]
        for key, col in self.by_field.items():
            if col.name == new.name:
                self.by_field[key] = new


@dataclass
class Context:
    """The facts of one Prisma schema that every derivation step reads."""

    provider: str
    dialect: str
    limit: int  # the connector's identifier length limit, for generated names
    default_schema: str | None  # where tables go without @@schema (PostgreSQL: public)
    schemas: tuple[str, ...] = ()  # the datasource's `schemas` (multiSchema)
    foreign_keys: bool = True  # relationMode = "foreignKeys"
    datasource: str = "db"  # the datasource's name: the namespace of native types
    models: dict[str, Block] = field(default_factory=dict)
    views: dict[str, Block] = field(default_factory=dict)
    composites: dict[str, Block] = field(default_factory=dict)
    enums: dict[str, EnumInfo] = field(default_factory=dict)
    drafts: dict[str, Draft] = field(default_factory=dict)  # model name -> its table
    table_keys: set[tuple[str | None, str]] = field(default_factory=set)  # (schema, table)
    errors: list[Error] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    relations: dict[str, set[str]] = field(default_factory=dict)  # schema -> relation names
    stored_defaults: dict[tuple[str, Type], str] = field(default_factory=dict)

    def error(self, message: str, path: str, line: int) -> None:
        self.errors.append(Error(message, Origin(path, line)))

    def note(self, kind: str, message: str, path: str, line: int) -> None:
        self.notes.append(Note(kind, message, Origin(path, line)))

    @property
    def postgres(self) -> bool:
        return self.dialect == "postgresql"

    def taken(self, schema: str | None) -> set[str]:
        """Relation names (tables, sequences, indexes) already used in a PostgreSQL schema."""
        return self.relations.setdefault(schema or "", set())


def origin_of(block: Block, item: Field | Attribute | None = None) -> Origin:
    """Where a block, field or attribute sits; an attribute without a line falls back."""
    line = getattr(item, "line", 0) if item is not None else 0
    return Origin(block.path, line or block.line)


def attribute_origin(block: Block, fld: Field | None, attr: Attribute | None) -> Origin:
    """The attribute's own line, else its field's, else its block's."""
    if attr is not None and attr.line:
        return Origin(block.path, attr.line)
    if fld is not None and fld.line:
        return Origin(block.path, fld.line)
    return Origin(block.path, block.line)


def string_arg(attr: Attribute | None, name: str, position: int | None = None) -> str | None:
    """A string argument (``map: "x"``, ``@map("x")``), or ``None`` when absent or not a string."""
    if attr is None:
        return None
    value = attr.arg(name, position)
    return value if isinstance(value, str) else None


def ident_arg(attr: Attribute | None, name: str) -> str | None:
    """An identifier argument (``onDelete: Cascade``, ``type: Hash``), or ``None``."""
    if attr is None:
        return None
    value = attr.arg(name)
    if isinstance(value, Ident):
        return value.name
    return value if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class FieldRef:
    """A field named in ``fields: [a, b(sort: Desc, length: 10)]``."""

    name: str
    args: tuple[Arg, ...] = ()

    def arg(self, name: str) -> Value | None:
        return next((a.value for a in self.args if a.name == name), None)


def field_refs(value: Value | None) -> list[FieldRef] | None:
    """The fields of a list argument, or ``None`` when it is not a list of field names."""
    if value is None:
        return None
    items = value if isinstance(value, tuple) else (value,)
    refs: list[FieldRef] = []
    for item in items:
        if isinstance(item, Ident):
            refs.append(FieldRef(item.name))
        elif isinstance(item, Call):
            refs.append(FieldRef(item.name, item.args))
        elif isinstance(item, str) and item.isidentifier():
            refs.append(FieldRef(item))
        else:
            return None
    return refs


def base_type(typ: Type) -> Type:
    """The element type of an array, or the type itself."""
    return typ.element if typ.family == "array" and typ.element is not None else typ
