"""One column: ``Column(...)``, 2.0 ``mapped_column(...)`` with its ``Mapped[...]`` annotation,
or a SQLModel field, as SQLAlchemy would put it in ``Table.c``."""

from __future__ import annotations

import ast

from dbdrift.readers.sqlalchemy.model import ColumnSpec, Context, FKSpec
from dbdrift.readers.sqlalchemy.modules import External, Local, Module
from dbdrift.readers.sqlalchemy.values import (
    Unresolved,
    call_name,
    constant,
    enum_spec,
    is_enum_class,
    is_function,
    server_default_sql,
    type_of,
)
from dbdrift.schema import Origin
from dbdrift.types import Type
from dbdrift.types.sqlalchemy import (
    Args,
    EnumSpec,
    TypeCheck,
    enum_type,
    python_type,
    sqlalchemy_type,
)

COLUMN_CALLS = frozenset({"Column", "mapped_column"})
_ITEMS = frozenset({"ForeignKey", "Identity", "Sequence", "Computed", "CheckConstraint"})


def _kw(call: ast.Call, name: str) -> ast.AST | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _flag(call: ast.Call, name: str, default: bool | str | None = None) -> bool | str | None:
    node = _kw(call, name)
    if node is None:
        return default
    try:
        return constant(node)
    except Unresolved:
        return default


def text_flag(call: ast.Call, name: str) -> str | None:
    """A keyword whose value must be a literal string (``ondelete="CASCADE"``)."""
    value = _flag(call, name)
    return value if isinstance(value, str) else None


def annotation_type(
    ctx: Context, module: Module, node: ast.AST | None
) -> tuple[ast.AST | None, bool, list[ast.Call]]:
    """The inner Python type of ``Mapped[...]`` / a SQLModel annotation, whether it is
    optional, and any ``mapped_column(...)`` carried by ``Annotated[...]``."""
    if node is None:
        return None, False, []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return None, False, []
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        parts = [node.left, node.right]
        rest = [p for p in parts if not (isinstance(p, ast.Constant) and p.value is None)]
        inner, _, extra = annotation_type(ctx, module, rest[0]) if len(rest) == 1 else (None, 0, [])
        return inner, len(rest) < len(parts), extra
    if isinstance(node, ast.Subscript):
        outer = ctx.index.resolve(module, node.value)
        leaf = outer.leaf if isinstance(outer, External) else None
        if isinstance(outer, Local) and outer.node is not None:
            return annotation_type(ctx, outer.module, outer.node)
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if leaf in ("Mapped", "MappedColumn"):
            return annotation_type(ctx, module, args[0])
        if leaf == "Optional":
            return annotation_type(ctx, module, args[0])[0], True, []
        if leaf == "Union":
            rest = [a for a in args if not (isinstance(a, ast.Constant) and a.value is None)]
            if len(rest) == 1:
                return annotation_type(ctx, module, rest[0])[0], len(rest) < len(args), []
        if leaf == "Annotated":
            inner, optional, extra = annotation_type(ctx, module, args[0])
            calls = [a for a in args[1:] if isinstance(a, ast.Call)]
            return inner, optional, extra + calls
        return node, False, []
    ref = ctx.index.resolve(module, node)
    if isinstance(ref, Local) and ref.node is not None and not isinstance(ref.node, ast.ClassDef):
        return annotation_type(ctx, ref.module, ref.node)
    return node, False, []


def python_annotation_type(
    ctx: Context, module: Module, node: ast.AST, sqlmodel: bool = False
) -> tuple[Type, EnumSpec | None, str | None]:
    """2.0's default ``type_annotation_map`` (and SQLModel's): ``int`` -> ``Integer`` ..."""
    ref = ctx.index.resolve(module, node)
    if (
        isinstance(ref, Local)
        and isinstance(ref.node, ast.ClassDef)
        and is_enum_class(ctx.index, ref.module, ref.node)
    ):
        spec = enum_spec(ctx.index, ref.module, ref.node, False)
        return enum_type(Args((spec,)))
    if isinstance(ref, External):
        name = (
            python_type(ref.leaf)
            if ref.root in ("builtins", "datetime", "uuid", "decimal")
            else None
        )
        if name is not None:
            return sqlalchemy_type(name, dialect=ctx.index.dialect), None, None
    raise Unresolved(f"no column type for the annotation `{ast.unparse(node)}`")


def column_from_call(
    ctx: Context, module: Module, call: ast.Call, attr: str | None, annotation: ast.AST | None
) -> ColumnSpec:
    """A ``Column(...)`` or ``mapped_column(...)`` call, read as SQLAlchemy reads it."""
    kind = call_name(ctx.index, module, call.func)
    inner, optional, extra = annotation_type(ctx, module, annotation)
    for more in extra:  # Annotated[int, mapped_column(primary_key=True)]
        call = ast.Call(call.func, [*more.args, *call.args], [*more.keywords, *call.keywords])
        ast.copy_location(call, more)
    col = ColumnSpec(None, attr, None, Origin(module.path, getattr(call, "lineno", 1)))
    col.name = _name(call)
    sink: list = []
    for arg in call.args:
        _positional(ctx, module, col, arg, sink)
    type_node = _kw(call, "type_") or _kw(call, "sa_type")
    if type_node is not None:
        col.type = _type(ctx, module, type_node, sink, col)
    # mapped_column with a ForeignKey and no type takes the referenced column's type, not
    # the annotation's (_init_column_for_annotation skips columns with foreign keys).
    typed_by_fk = kind == "mapped_column" and bool(col.foreign_keys)
    if col.type is None and annotation is not None and not typed_by_fk:
        col.type = _mapped_type(ctx, module, annotation, sink, col)
    if col.type is None and inner is not None and not typed_by_fk:
        try:
            col.type, spec, schema = python_annotation_type(ctx, module, inner)
            if spec is not None:
                sink.append((spec, schema))
        except Unresolved as exc:
            ctx.note("sqlalchemy-type", f"{attr}: {exc}", module, call)
    enums = [found for found in sink if not isinstance(found, TypeCheck)]
    if enums:
        col.enum, col.enum_schema = enums[0]
    col.type_checks = [found for found in sink if isinstance(found, TypeCheck)]
    _keywords(ctx, module, col, call)
    explicit = _flag(call, "nullable")
    if explicit is not None:
        col.nullable = bool(explicit)
    elif col.primary_key or col.identity:
        col.nullable = False
    elif kind == "mapped_column" and inner is not None:
        col.nullable = optional
    else:
        col.nullable = True
    if col.name is None:
        col.name = attr
    return col


def annotation_key(ctx: Context, module: Module, node: ast.AST) -> object:
    """What an annotation names, comparable across files (for ``type_annotation_map``)."""
    ref = ctx.index.resolve(module, node)
    if isinstance(ref, External):
        return ref.dotted
    if isinstance(ref, Local):
        return (ref.module.dotted, ref.name)
    return ast.unparse(node)


def _mapped_type(
    ctx: Context, module: Module, annotation: ast.AST, sink: list, col: ColumnSpec
) -> Type | None:
    """The ``type_annotation_map`` entry for ``Mapped[X]`` / ``Mapped[Optional[X]]``."""
    if not ctx.type_map:
        return None
    node = annotation
    if isinstance(node, ast.Subscript):
        node = node.slice
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        node = node.right if isinstance(node.left, ast.Constant) else node.left
    elif isinstance(node, ast.Subscript) and annotation_key(ctx, module, node.value) in (
        "typing.Optional",
    ):
        node = node.slice
    key = annotation_key(ctx, module, node)
    for entry, where, value in ctx.type_map:
        if entry == key:
            return _type(ctx, where, value, sink, col)
    return None


def _name(call: ast.Call) -> str | None:
    name = _kw(call, "name")
    if name is None and call.args:
        name = call.args[0]
    if isinstance(name, ast.Constant) and isinstance(name.value, str):
        return name.value
    return None


def _type(
    ctx: Context, module: Module, node: ast.AST, sink: list, col: ColumnSpec | None = None
) -> Type | None:
    """The type, or (noted) the expression as written when it has no static meaning.
    Remembered by node: a ``type_annotation_map`` entry types thousands of columns."""
    known = ctx.types.get(id(node))
    if known is not None:
        sink.extend(known[1])
        return known[0]
    try:
        found: list = []
        typ = type_of(ctx.index, module, node, sink=found)
        ctx.types[id(node)] = (typ, found)
        sink.extend(found)
        return typ
    except Unresolved as exc:
        ctx.note("sqlalchemy-type", str(exc), module, node)
        if col is not None:
            col.raw_type = ast.unparse(node)
        return Type("other", ast.unparse(node))


def _positional(ctx: Context, module: Module, col: ColumnSpec, arg: ast.AST, sink: list) -> None:
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return  # the name, read by _name
    name = call_name(ctx.index, module, arg.func) if isinstance(arg, ast.Call) else None
    if name in _ITEMS and isinstance(arg, ast.Call):
        _item(ctx, module, col, name, arg)
        return
    col.type = _type(ctx, module, arg, sink, col)


def _item(ctx: Context, module: Module, col: ColumnSpec, name: str, call: ast.Call) -> None:
    if name == "ForeignKey" and call.args:
        target = fk_target(ctx, module, call.args[0])
        fk = FKSpec([], [target], line=call.lineno)
        fk.name = text_flag(call, "name")
        fk.on_delete = text_flag(call, "ondelete")
        fk.on_update = text_flag(call, "onupdate")
        col.foreign_keys.append(fk)
    elif name == "Identity":
        col.identity = "always" if _flag(call, "always", False) else "by default"
    elif name == "Sequence":
        col.sequence = True
    elif name in ("Computed", "CheckConstraint"):
        text = _text_arg(call)
        if text is None:
            ctx.note("sqlalchemy-column", f"a {name} without literal SQL", module, call)
        elif name == "Computed":
            col.computed = text
        else:
            label = _flag(call, "name")
            col.checks.append((label if isinstance(label, str) else None, text))


def _text_arg(call: ast.Call) -> str | None:
    """The SQL text of ``Computed("a + b")`` / ``CheckConstraint(text("x > 0"))``."""
    node = call.args[0] if call.args else _kw(call, "sqltext")
    if isinstance(node, ast.Call) and node.args:
        node = node.args[0]  # text("...")
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def fk_target(ctx: Context, module: Module, node: ast.AST) -> str:
    """``"users.id"`` as written, or ``User.id`` / ``users.c.id`` as a deferred reference."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Attribute):
        base = node.value
        if isinstance(base, ast.Attribute) and base.attr == "c":
            base = base.value
        ref = ctx.index.resolve(module, base)
        if isinstance(ref, Local) and ref.node is not None:
            return f"@{id(ref.node)}.{node.attr}"
    ctx.note("sqlalchemy-foreign-key", f"unresolved target `{ast.unparse(node)}`", module, node)
    return "?"


def _keywords(ctx: Context, module: Module, col: ColumnSpec, call: ast.Call) -> None:
    col.primary_key = bool(_flag(call, "primary_key", False))
    col.unique = bool(_flag(call, "unique", False))
    col.index = bool(_flag(call, "index", False))
    auto = _flag(call, "autoincrement", "auto")
    col.autoincrement = auto if isinstance(auto, bool) else "auto"
    default = _kw(call, "server_default")
    if default is not None:
        try:
            col.server_default = server_default_sql(ctx.index, module, default)
            col.default_function = is_function(ctx.index, module, default)
        except Unresolved as exc:
            ctx.note("sqlalchemy-default", str(exc), module, default)
