"""``Table("t", metadata, Column(...), ...)`` and ``__table_args__``: table-level constraints,
indexes and the schema, as ``MetaData`` would hold them."""

from __future__ import annotations

import ast

from dbdrift.readers.sqlalchemy.columns import COLUMN_CALLS, column_from_call, fk_target
from dbdrift.readers.sqlalchemy.model import ConstraintSpec, Context, FKSpec, TableSpec
from dbdrift.readers.sqlalchemy.modules import Local, Module
from dbdrift.readers.sqlalchemy.values import Unresolved, call_name, constant

_CONSTRAINTS = {
    "PrimaryKeyConstraint": "primary",
    "UniqueConstraint": "unique",
    "Index": "index",
    "ForeignKeyConstraint": "foreign",
    "CheckConstraint": "check",
}


def _kw_const(call: ast.Call, name: str, default: object = None) -> object:
    for k in call.keywords:
        if k.arg == name:
            try:
                return constant(k.value)
            except Unresolved:
                return default
    return default


def _literal_text(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _kw(call: ast.Call, name: str) -> ast.AST | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _sql_text(ctx: Context, module: Module, node: ast.AST | None) -> str | None:
    """``"state = 'live'"`` or ``text("state = 'live'")``; other expressions are noted."""
    if node is None:
        return None
    if isinstance(node, ast.Call) and call_name(ctx.index, module, node.func) == "text":
        node = node.args[0] if node.args else node
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    ctx.note("sqlalchemy-index", f"unread predicate `{ast.unparse(node)}`", module, node)
    return None


def metadata_info(
    ctx: Context, module: Module, node: ast.AST | None
) -> tuple[str | None, dict[str, str] | None]:
    """``MetaData(schema="x", naming_convention={...})`` behind a metadata expression."""
    if node is None or (isinstance(node, ast.Attribute) and node.attr == "metadata"):
        return None, None
    ref = ctx.index.resolve(module, node) if not isinstance(node, ast.Call) else None
    if isinstance(ref, Local) and isinstance(ref.node, ast.Call):
        module, node = ref.module, ref.node
    if not isinstance(node, ast.Call) or call_name(ctx.index, module, node.func) != "MetaData":
        return None, None
    schema = _kw_const(node, "schema")
    convention = _convention(
        ctx, module, next((k.value for k in node.keywords if k.arg == "naming_convention"), None)
    )
    return (schema if isinstance(schema, str) else None), convention


def _convention(ctx: Context, module: Module, node: ast.AST | None) -> dict[str, str] | None:
    if isinstance(node, ast.Name):
        ref = ctx.index.resolve(module, node)
        node = ref.node if isinstance(ref, Local) else None
    if not isinstance(node, ast.Dict):
        return None
    out = {}
    for key, value in zip(node.keys, node.values, strict=True):
        if (
            isinstance(key, ast.Constant)
            and isinstance(value, ast.Constant)
            and isinstance(value.value, str)
        ):
            out[str(key.value)] = value.value
    return out


def metadata_schema(ctx: Context, module: Module, node: ast.AST | None) -> str | None:
    return metadata_info(ctx, module, node)[0]


def table_from_call(ctx: Context, module: Module, call: ast.Call) -> TableSpec | None:
    """An imperative ``Table(...)``; its name must be a literal string."""
    if not call.args or _literal_text(call.args[0]) is None:
        ctx.note("sqlalchemy-table", "a Table whose name is not a literal", module, call)
        return None
    schema = _kw_const(call, "schema")
    schema = schema if isinstance(schema, str) else None
    meta, convention = None, None
    if len(call.args) > 1 and not isinstance(call.args[1], ast.Call):
        meta, convention = metadata_info(ctx, module, call.args[1])
    schema = schema if schema is not None else meta
    name = _literal_text(call.args[0]) or ""
    table = TableSpec(name, schema, module, call.lineno, meta_schema=meta)
    if convention is not None:
        table.convention = convention
    for position, arg in enumerate(call.args[1:]):
        if position == 0 and not isinstance(arg, ast.Call):
            continue  # the MetaData (Flask-SQLAlchemy's db.Table takes none)
        if not isinstance(arg, ast.Call):
            ctx.note("sqlalchemy-table", f"unread Table item `{ast.unparse(arg)}`", module, arg)
            continue
        name = call_name(ctx.index, module, arg.func)
        if name in COLUMN_CALLS:
            column = column_from_call(ctx, module, arg, None, None)
            if column.name is None:
                ctx.note("sqlalchemy-column", "a Table column without a name", module, arg)
                continue
            table.columns.append(column)
        else:
            add_constraint(ctx, module, table, arg)
    return table


def apply_table_args(ctx: Context, module: Module, table: TableSpec, node: ast.AST) -> None:
    """``__table_args__`` as a tuple of constraints (optionally ending with a dict) or a dict."""
    items = node.elts if isinstance(node, ast.Tuple | ast.List) else [node]
    for item in items:
        if isinstance(item, ast.Dict):
            for key, value in zip(item.keys, item.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "schema":
                    schema = _literal_text(value)
                    if schema is None:
                        ctx.note("sqlalchemy-table", "a schema computed at run time", module, value)
                    table.schema = schema
        elif isinstance(item, ast.Call):
            add_constraint(ctx, module, table, item)
        else:
            ctx.note("sqlalchemy-table", f"unread `{ast.unparse(item)}`", module, item)


def _column_names(ctx: Context, module: Module, nodes: list[ast.AST]) -> list[str] | None:
    names = []
    for node in nodes:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.append(node.value)
        elif isinstance(node, ast.Attribute | ast.Name):
            names.append(node.attr if isinstance(node, ast.Attribute) else node.id)
        else:
            return None
    return names


def add_constraint(ctx: Context, module: Module, table: TableSpec, call: ast.Call) -> None:
    kind = _CONSTRAINTS.get(call_name(ctx.index, module, call.func) or "")
    if kind is None:
        ctx.note("sqlalchemy-table", f"unread `{ast.unparse(call.func)}`", module, call)
        return
    name = _kw_const(call, "name")
    args = list(call.args)
    if kind == "index":
        try:
            name = constant(args.pop(0)) if args else name
        except Unresolved:
            ctx.note("sqlalchemy-index", "an index name computed at run time", module, call)
            return
    spec = ConstraintSpec(kind, name if isinstance(name, str) else None, line=call.lineno)
    if kind == "check":
        spec.expression = _sql_text(ctx, module, args[0] if args else _kw(call, "sqltext"))
        if spec.expression is None:
            return
    elif kind == "foreign":
        spec.fk = _foreign(ctx, module, call, spec.name)
        if spec.fk is None:
            return
    else:
        columns = _column_names(ctx, module, args)
        if columns is None:
            ctx.note("sqlalchemy-index", "an expression key is not modelled", module, call)
            return
        spec.columns = columns
        spec.unique = bool(_kw_const(call, "unique", False))
        spec.where = _sql_text(ctx, module, _kw(call, "postgresql_where"))
    table.constraints.append(spec)


def _foreign(ctx: Context, module: Module, call: ast.Call, name: str | None) -> FKSpec | None:
    if len(call.args) < 2 or not all(isinstance(a, ast.List | ast.Tuple) for a in call.args[:2]):
        ctx.note("sqlalchemy-foreign-key", "unread ForeignKeyConstraint", module, call)
        return None
    local, remote = call.args[0], call.args[1]
    assert isinstance(local, ast.List | ast.Tuple) and isinstance(remote, ast.List | ast.Tuple)
    columns = _column_names(ctx, module, local.elts)
    if columns is None:
        ctx.note("sqlalchemy-foreign-key", "unread ForeignKeyConstraint", module, call)
        return None
    targets = [fk_target(ctx, module, e) for e in remote.elts]
    on_delete, on_update = _kw_const(call, "ondelete"), _kw_const(call, "onupdate")
    return FKSpec(
        columns,
        targets,
        name,
        on_delete if isinstance(on_delete, str) else None,
        on_update if isinstance(on_update, str) else None,
        call.lineno,
    )
