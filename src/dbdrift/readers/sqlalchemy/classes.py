"""Declarative classes: which are mapped, to which table, with which columns.

A class is mapped when it descends from a declarative base (``declarative_base()``,
``DeclarativeBase``, ``registry().generate_base()``, ``@as_declarative``, SQLModel with
``table=True``, Flask-SQLAlchemy's ``db.Model``) and is not ``__abstract__``.  Columns come
from its own body first, then from its mixins and abstract bases in MRO order (as
declarative's ``_scan_attributes`` collects them; SQLModel, being Pydantic, puts inherited
fields first).  A subclass of a mapped class without a table of its own adds its columns to
its parent's table (single-table inheritance); with one it gets its own (joined).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from dbdrift.readers.sqlalchemy.columns import COLUMN_CALLS, annotation_key, column_from_call
from dbdrift.readers.sqlalchemy.fields import sqlmodel_column
from dbdrift.readers.sqlalchemy.model import ColumnSpec, Context, TableSpec
from dbdrift.readers.sqlalchemy.modules import External, Local, Module
from dbdrift.readers.sqlalchemy.tables import apply_table_args, metadata_info, table_from_call
from dbdrift.readers.sqlalchemy.values import SA_ROOTS, call_name

_BASE_CLASSES = frozenset({"DeclarativeBase", "DeclarativeBaseNoMeta"})
_MAPPED_DECORATORS = frozenset({"mapped", "mapped_as_dataclass"})
_BASE_FACTORIES = frozenset({"declarative_base", "generate_base"})
_NOT_COLUMNS = frozenset(
    {"relationship", "Relationship", "column_property", "synonym", "association_proxy",
     "deferred", "composite", "query_expression", "backref", "dynamic_loader"}
)  # fmt: skip


@dataclass(eq=False)
class ClassInfo:
    """What one class statement means for the mapping."""

    module: Module
    node: ast.ClassDef
    flavor: str | None = None  # "declarative", "sqlmodel", "flask" when in a hierarchy
    is_base: bool = False
    mapped: bool = False
    parents: list[ClassInfo] = field(default_factory=list)  # mapped or base ancestors
    mixins: list[ClassInfo] = field(default_factory=list)  # other repository classes
    schema: str | None = None  # MetaData(schema=...) of the base
    convention: dict[str, str] | None = None  # its naming_convention
    type_map: list = field(default_factory=list)  # its type_annotation_map
    table: TableSpec | None = None


class Classes:
    """Classifies every class of the source once, then builds the tables of mapped ones."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.infos: dict[int, ClassInfo] = {}

    def info(self, module: Module, node: ast.ClassDef, depth: int = 0) -> ClassInfo:
        found = self.infos.get(id(node))
        if found is not None:
            return found
        info = self.infos[id(node)] = ClassInfo(module, node)
        if depth > 50:
            return info
        for base in node.bases:
            self._base(info, base, depth)
        if any(
            _decorator_name(d) in ("as_declarative", "as_declarative_base")
            for d in node.decorator_list
        ):
            info.flavor, info.is_base = "declarative", True
        if any(_decorator_name(d) in _MAPPED_DECORATORS for d in node.decorator_list):
            info.flavor = info.flavor or "declarative"  # @registry.mapped: mapped by itself
        abstract = _body_constant(node, "__abstract__") is True
        if info.flavor == "sqlmodel":
            info.mapped = any(
                k.arg == "table" and isinstance(k.value, ast.Constant) and k.value.value is True
                for k in node.keywords
            )
        elif info.flavor is not None:
            info.mapped = not info.is_base and not abstract
        if info.is_base:
            info.type_map = type_map_entries(
                self.ctx, module, _body_value(node, "type_annotation_map")
            )
            schema, convention = metadata_info(self.ctx, module, _body_value(node, "metadata"))
            info.schema = schema or info.schema
            info.convention = convention or info.convention
        return info

    def note_unresolved(self, info: ClassInfo) -> None:
        """A class that looks mapped (``__tablename__``) but whose base is not known here."""
        if info.flavor is not None or _body_value(info.node, "__tablename__") is None:
            return
        for base in info.node.bases:
            ref = self.ctx.index.resolve(info.module, base)
            if ref is None or (isinstance(ref, External) and ref.root not in SA_ROOTS):
                message = (
                    f"{info.node.name} declares __tablename__ but its base "
                    f"`{ast.unparse(base)}` is not defined in this source"
                )
                self.ctx.note("sqlalchemy-base", message, info.module, info.node)
                return

    def _base(self, info: ClassInfo, base: ast.AST, depth: int) -> None:
        ref = self.ctx.index.resolve(info.module, base)
        if isinstance(ref, External):
            if ref.leaf in _BASE_CLASSES:
                info.flavor, info.is_base = "declarative", True
            elif ref.leaf == "SQLModel":
                info.flavor = "sqlmodel"
            elif ref.dotted.endswith("db.Model") and ref.root == "flask_sqlalchemy":
                info.flavor = "flask"
            return
        if not isinstance(ref, Local) or ref.node is None:
            return
        if isinstance(ref.node, ast.Call):
            name = call_name(self.ctx.index, ref.module, ref.node.func)
            if name in _BASE_FACTORIES:
                info.flavor = info.flavor or "declarative"
                meta = next((k.value for k in ref.node.keywords if k.arg == "metadata"), None)
                schema, convention = metadata_info(self.ctx, ref.module, meta)
                info.schema = info.schema or schema
                info.convention = info.convention or convention
            elif name == "SQLAlchemy":
                info.flavor = "flask"
                meta = next((k.value for k in ref.node.keywords if k.arg == "metadata"), None)
                info.convention = info.convention or metadata_info(self.ctx, ref.module, meta)[1]
            return
        if isinstance(ref.node, ast.ClassDef):
            parent = self.info(ref.module, ref.node, depth + 1)
            if parent.flavor is not None:
                info.flavor = info.flavor or parent.flavor
                info.schema = info.schema or parent.schema
                info.convention = info.convention or parent.convention
                info.type_map = info.type_map or parent.type_map
                info.parents.append(parent)
            else:
                info.mixins.append(parent)

    # Tables ---------------------------------------------------------------------------

    def mapped_parent(self, info: ClassInfo) -> ClassInfo | None:
        for parent in info.parents:
            if parent.mapped:
                return parent
            found = self.mapped_parent(parent)
            if found is not None:
                return found
        return None

    def build(self, info: ClassInfo) -> None:
        """Give a mapped class its table, or add its columns to its parent's."""
        if info.table is not None or not info.mapped:
            return
        node, module = info.node, info.module
        explicit = _body_value(node, "__table__")
        if explicit is not None and not isinstance(explicit, ast.Call):
            return  # __table__ = users: that Table is read where it is assigned
        if isinstance(explicit, ast.Call):
            info.table = table_from_call(self.ctx, module, explicit)
            if info.table is not None:
                self.ctx.tables.append(info.table)
            return
        parent = self.mapped_parent(info)
        if parent is not None:
            self.build(parent)
        self.ctx.type_map = info.type_map
        columns = self.columns(info)
        name = self.tablename(info, parent, columns)
        if name is None:
            if parent is not None and parent.table is not None:
                info.table = parent.table  # single-table inheritance
                known = {c.name for c in parent.table.columns}
                parent.table.columns.extend(c for c in columns if c.name not in known)
            return
        table = TableSpec(name, info.schema, module, node.lineno, columns, meta_schema=info.schema)
        if info.convention is not None:
            table.convention = info.convention
        for source in [info, *self.lineage(info)]:
            args = _body_value(source.node, "__table_args__") or _declared(
                source.node, "__table_args__"
            )
            if args is not None:
                apply_table_args(self.ctx, source.module, table, args)
                break
        info.table = table
        self.ctx.tables.append(table)

    def lineage(self, info: ClassInfo) -> list[ClassInfo]:
        """Mixins and unmapped bases whose attributes the class inherits, in MRO-like order."""
        out: list[ClassInfo] = []
        for other in [*info.mixins, *[p for p in info.parents if not p.mapped]]:
            if other not in out:
                out.append(other)
            out.extend(o for o in self.lineage(other) if o not in out)
        return out

    def columns(self, info: ClassInfo) -> list[ColumnSpec]:
        sources = [info, *self.lineage(info)]
        if info.flavor == "sqlmodel":
            sources.reverse()
        seen: set[str] = set()
        out: list[ColumnSpec] = []
        for source in sources:
            for col in self.body_columns(info, source):
                key = col.attr or col.name or ""
                if key not in seen:
                    seen.add(key)
                    out.append(col)
        return out

    def body_columns(self, info: ClassInfo, source: ClassInfo) -> list[ColumnSpec]:
        found: dict[str, ColumnSpec] = {}
        ctx, module = self.ctx, source.module
        for stmt in source.node.body:
            if isinstance(stmt, ast.FunctionDef) and _is_declared_attr(stmt):
                call = _returned_call(stmt)
                if call is not None and call_name(ctx.index, module, call.func) in COLUMN_CALLS:
                    found[stmt.name] = column_from_call(ctx, module, call, stmt.name, stmt.returns)
                continue
            target, value, annotation = _assignment(stmt)
            if target is None or target.startswith("__"):
                continue
            called = (
                call_name(ctx.index, module, value.func) if isinstance(value, ast.Call) else None
            )
            if called in _NOT_COLUMNS:
                continue
            if isinstance(value, ast.Call) and called in COLUMN_CALLS:
                found[target] = column_from_call(ctx, module, value, target, annotation)
            elif info.flavor == "sqlmodel" and annotation is not None:
                col = sqlmodel_column(ctx, module, stmt, target, annotation, value)
                if col is not None:
                    found[target] = col
            elif value is None and _is_mapped(ctx, module, annotation):
                call = ast.Call(ast.Name("mapped_column"), [], [])
                ast.copy_location(call, stmt)
                col = _annotation_only(ctx, module, call, target, annotation)
                if col is not None:
                    found[target] = col
        if info.flavor == "sqlmodel":
            return list(found.values())
        order = merge_orderings(*_class_names(source.node))
        return [found[name] for name in order if name in found]

    def tablename(
        self, info: ClassInfo, parent: ClassInfo | None, columns: list[ColumnSpec]
    ) -> str | None:
        for source in [info, *self.lineage(info)]:
            value = _body_value(source.node, "__tablename__")
            if value is not None:
                return self._literal_name(info, source, value)
            func = _declared(source.node, "__tablename__")
            if func is not None:
                return self._literal_name(info, source, func)
        if info.flavor == "sqlmodel" and parent is None:
            return info.node.name.lower()
        if info.flavor == "flask" and (parent is None or any(c.primary_key for c in columns)):
            return _snake(info.node.name)
        if parent is None:
            self.ctx.note(
                "sqlalchemy-table", f"{info.node.name} has no __tablename__", info.module, info.node
            )
        return None

    def _literal_name(self, info: ClassInfo, source: ClassInfo, node: ast.AST) -> str | None:
        text = _name_expression(node, info.node.name)
        if text is None:
            self.ctx.note(
                "sqlalchemy-tablename",
                f"{info.node.name}: the table name `{ast.unparse(node)}` is computed at run time",
                source.module,
                node,
            )
        return text


def type_map_entries(ctx: Context, module: Module, node: ast.AST | None) -> list:
    """``type_annotation_map = {datetime: TIMESTAMP(timezone=True), str50: String(50)}``."""
    if not isinstance(node, ast.Dict):
        return []
    return [
        (annotation_key(ctx, module, key), module, value)
        for key, value in zip(node.keys, node.values, strict=True)
        if key is not None
    ]


def _class_names(node: ast.ClassDef) -> tuple[list[str], list[str]]:
    """The class's ``vars()`` names and its ``__annotations__`` names, in source order."""
    values: list[str] = []
    annotations: list[str] = []
    for stmt in node.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            values.append(stmt.name)
        target, value, annotation = _assignment(stmt)
        if target is None:
            continue
        if value is not None:
            values.append(target)
        if annotation is not None:
            annotations.append(target)
    return values, annotations


def merge_orderings(first: list[str], second: list[str]) -> list[str]:
    """Declarative's reconciliation of ``vars(cls)`` with ``__annotations__``: walk one list,
    and on each name both lists share, continue from the other list (SQLAlchemy's
    ``util.merge_lists_w_ordering``), so an annotation-only column lands near its
    neighbours but not always where it was written."""
    shared = set(first) & set(second)
    result: list[str] = []
    current, other = iter(first), iter(second)
    while True:
        for name in current:
            if name in shared:
                shared.discard(name)
                current, other = other, current
                break
            result.append(name)
        else:
            result.extend(other)
            return result


def _annotation_only(
    ctx: Context, module: Module, call: ast.Call, target: str, annotation: ast.AST
) -> ColumnSpec | None:
    """``x: Mapped[int]`` with no value: a column typed by its annotation, unless the
    annotation names a mapped class (a relationship)."""
    col = column_from_call(ctx, module, call, target, annotation)
    return col if col.type is not None else None


def _is_mapped(ctx: Context, module: Module, annotation: ast.AST | None) -> bool:
    if not isinstance(annotation, ast.Subscript):
        return False
    ref = ctx.index.resolve(module, annotation.value)
    return isinstance(ref, External) and ref.leaf == "Mapped"


def _assignment(stmt: ast.stmt) -> tuple[str | None, ast.AST | None, ast.AST | None]:
    if (
        isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
    ):
        return stmt.targets[0].id, stmt.value, None
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return stmt.target.id, stmt.value, stmt.annotation
    return None, None, None


def _body_value(node: ast.ClassDef, name: str) -> ast.AST | None:
    for stmt in node.body:
        target, value, _ = _assignment(stmt)
        if target == name:
            return value
    return None


def _body_constant(node: ast.ClassDef, name: str) -> object:
    value = _body_value(node, name)
    return value.value if isinstance(value, ast.Constant) else None


def _decorator_name(node: ast.AST) -> str | None:
    node = node.func if isinstance(node, ast.Call) else node
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else None


def _is_declared_attr(node: ast.FunctionDef) -> bool:
    for dec in node.decorator_list:
        text = ast.unparse(dec)
        if "declared_attr" in text:
            return True
    return False


def _declared(node: ast.ClassDef, name: str) -> ast.AST | None:
    for stmt in node.body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name == name and _is_declared_attr(stmt):
            returns = [s for s in stmt.body if isinstance(s, ast.Return)]
            return returns[0].value if len(returns) == 1 and len(stmt.body) <= 2 else stmt
    return None


def _returned_call(node: ast.FunctionDef) -> ast.Call | None:
    returns = [s for s in node.body if isinstance(s, ast.Return)]
    if len(returns) == 1 and isinstance(returns[0].value, ast.Call):
        return returns[0].value
    return None


def _name_expression(node: ast.AST, cls: str) -> str | None:
    """A table name expression evaluated for class `cls`: a literal, ``cls.__name__``,
    ``cls.__name__.lower()``, or an f-string of those."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Attribute) and node.attr == "__name__":
        return cls
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("lower", "upper")
        and not node.args
    ):
        inner = _name_expression(node.func.value, cls)
        if inner is None:
            return None
        return inner.lower() if node.func.attr == "lower" else inner.upper()
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _name_expression(node.left, cls), _name_expression(node.right, cls)
        return left + right if left is not None and right is not None else None
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                value = value.value
            part = _name_expression(value, cls)
            if part is None:
                return None
            parts.append(part)
        return "".join(parts)
    return None


def _snake(name: str) -> str:
    """Flask-SQLAlchemy's ``camel_to_snake_case``."""
    name = re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name)
    return name.lower().lstrip("_")
