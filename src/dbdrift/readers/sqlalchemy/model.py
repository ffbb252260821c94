"""What the reader gathers from the models before spelling it as DDL: tables, columns and
constraints as SQLAlchemy's ``MetaData`` would hold them, plus the shared reading context."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from dbdrift.readers.sqlalchemy.modules import Index, Module
from dbdrift.readers.sqlalchemy.naming import DEFAULT
from dbdrift.schema import Note, Origin
from dbdrift.types import Type
from dbdrift.types.sqlalchemy import EnumSpec, TypeCheck


@dataclass
class FKSpec:
    columns: list[str]
    targets: list[str]  # "table.column" or "schema.table.column"
    name: str | None = None
    on_delete: str | None = None
    on_update: str | None = None
    line: int = 1


@dataclass
class ColumnSpec:
    name: str | None
    attr: str | None
    type: Type | None
    origin: Origin
    nullable: bool | None = None
    primary_key: bool = False
    unique: bool = False
    index: bool = False
    server_default: str | None = None
    default_function: bool = False  # server_default=func.now(): MySQL writes DEFAULT (now())
    identity: str | None = None  # "always" / "by default"
    autoincrement: bool | str = "auto"
    sequence: bool = False
    foreign_keys: list[FKSpec] = field(default_factory=list)
    enum: EnumSpec | None = None
    enum_schema: str | None = None
    computed: str | None = None  # Computed("expr"): GENERATED ALWAYS AS (expr) STORED
    checks: list[tuple[str | None, str]] = field(default_factory=list)  # inline CHECKs
    # The table CHECKs its type adds (Boolean / non-native Enum with create_constraint=True).
    type_checks: list[TypeCheck] = field(default_factory=list)
    raw_type: str | None = None  # the type as written, when it has no static meaning


@dataclass
class ConstraintSpec:
    """``kind`` is ``primary``, ``unique``, ``index``, ``foreign``, or ``check``."""

    kind: str
    name: str | None
    columns: list[str] = field(default_factory=list)
    unique: bool = False
    where: str | None = None
    expression: str | None = None
    fk: FKSpec | None = None
    line: int = 1


@dataclass
class TableSpec:
    name: str
    schema: str | None
    module: Module
    line: int
    columns: list[ColumnSpec] = field(default_factory=list)
    constraints: list[ConstraintSpec] = field(default_factory=list)
    meta_schema: str | None = None  # MetaData(schema=...): also where its enums are created
    convention: dict[str, str] = field(default_factory=lambda: dict(DEFAULT))


@dataclass
class Context:
    """The whole source being read: its modules, the tables found so far, and the notes."""

    index: Index
    tables: list[TableSpec] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    # The type_annotation_map of the class being read: (key, module of the value, value).
    type_map: list[tuple[object, Module, ast.AST]] = field(default_factory=list)
    # Types already read, by the id of their expression's node (which lives as long as this).
    types: dict[int, tuple[Type, list]] = field(default_factory=dict)

    def note(self, kind: str, message: str, module: Module, node: ast.AST | int) -> None:
        line = node if isinstance(node, int) else getattr(node, "lineno", 1)
        self.notes.append(Note(kind, message, Origin(module.path, line)))
