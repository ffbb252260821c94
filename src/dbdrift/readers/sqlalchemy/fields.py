"""SQLModel fields (``name: str = Field(max_length=50, index=True)``) as the column SQLModel
builds (``sqlmodel/main.py`` ``get_column_from_field``: ``str`` is ``AutoString``, i.e.
``VARCHAR``, ``Decimal`` is ``Numeric(max_digits, decimal_places)``, NOT NULL unless the
annotation is optional or ``nullable=`` says otherwise; a primary key is never NULL)."""

from __future__ import annotations

import ast

from dbdrift.readers.sqlalchemy.columns import annotation_type, column_from_call, fk_target
from dbdrift.readers.sqlalchemy.model import ColumnSpec, Context, FKSpec
from dbdrift.readers.sqlalchemy.modules import External, Module
from dbdrift.readers.sqlalchemy.values import (
    Unresolved,
    call_name,
    constant,
    is_function,
    server_default_sql,
)
from dbdrift.schema import Origin
from dbdrift.types import Type
from dbdrift.types.sqlalchemy import Args, EnumSpec, sqlalchemy_type


def _kw(call: ast.Call | None, name: str) -> ast.AST | None:
    if call is None:
        return None
    return next((k.value for k in call.keywords if k.arg == name), None)


def _const(call: ast.Call | None, name: str, default: object = None) -> object:
    node = _kw(call, name)
    if node is None:
        return default
    try:
        return constant(node)
    except Unresolved:
        return default


def sqlmodel_column(
    ctx: Context,
    module: Module,
    stmt: ast.stmt,
    attr: str,
    annotation: ast.AST,
    value: ast.AST | None,
) -> ColumnSpec | None:
    """The column of one SQLModel field, or ``None`` for a relationship or ``ClassVar``."""
    field = (
        value
        if isinstance(value, ast.Call) and call_name(ctx.index, module, value.func) == "Field"
        else None
    )
    sa_column = _kw(field, "sa_column")
    if isinstance(sa_column, ast.Call):
        return column_from_call(ctx, module, sa_column, attr, None)
    inner, optional, _ = annotation_type(ctx, module, annotation)
    if inner is None or _is_relationship(ctx, module, inner):
        return None
    col = ColumnSpec(attr, None, None, Origin(module.path, stmt.lineno))
    sa_type = _kw(field, "sa_type")
    try:
        if sa_type is not None:
            from dbdrift.readers.sqlalchemy.values import type_of

            col.type = type_of(ctx.index, module, sa_type)
        else:
            col.type, col.enum, col.enum_schema = _python(ctx, module, inner, field)
    except Unresolved as exc:
        ctx.note("sqlalchemy-type", f"{attr}: {exc}", module, stmt)
        return None
    col.primary_key = bool(_const(field, "primary_key", False))
    col.unique = bool(_const(field, "unique", False))
    col.index = bool(_const(field, "index", False))
    nullable = _const(field, "nullable")
    if nullable is not None:
        col.nullable = bool(nullable)
    else:
        col.nullable = not col.primary_key and optional
    target = _kw(field, "foreign_key")
    if target is not None:
        fk = FKSpec([], [fk_target(ctx, module, target)], line=stmt.lineno)
        on_delete = _const(field, "ondelete")
        fk.on_delete = on_delete if isinstance(on_delete, str) else None
        col.foreign_keys.append(fk)
    extra = _kw(field, "sa_column_kwargs")
    if isinstance(extra, ast.Dict):
        for key, item in zip(extra.keys, extra.values, strict=True):
            if isinstance(key, ast.Constant) and key.value == "server_default":
                try:
                    col.server_default = server_default_sql(ctx.index, module, item)
                    col.default_function = is_function(ctx.index, module, item)
                except Unresolved as exc:
                    ctx.note("sqlalchemy-default", str(exc), module, item)
    return col


def _is_relationship(ctx: Context, module: Module, inner: ast.AST) -> bool:
    if isinstance(inner, ast.Subscript):
        return True  # list["Hero"], ClassVar[...]
    ref = ctx.index.resolve(module, inner)
    return not isinstance(ref, External) and not _is_enum(ctx, module, inner)


def _is_enum(ctx: Context, module: Module, inner: ast.AST) -> bool:
    from dbdrift.readers.sqlalchemy.modules import Local
    from dbdrift.readers.sqlalchemy.values import is_enum_class

    ref = ctx.index.resolve(module, inner)
    return (
        isinstance(ref, Local)
        and isinstance(ref.node, ast.ClassDef)
        and is_enum_class(ctx.index, ref.module, ref.node)
    )


# Python types SQLModel stores as ``AutoString`` (VARCHAR, or VARCHAR(max_length)).
_STRINGS = frozenset(
    {"str", "IPv4Address", "IPv4Network", "IPv6Address", "IPv6Network", "Path", "EmailStr"}
)


def _python(
    ctx: Context, module: Module, inner: ast.AST, field: ast.Call | None
) -> tuple[Type, EnumSpec | None, str | None]:
    """``get_sqlalchemy_type``: SQLModel's own mapping, which differs from declarative's
    (``datetime`` is its ``UTCDateTime``, i.e. ``DateTime(timezone=True)``)."""
    from dbdrift.readers.sqlalchemy.columns import python_annotation_type

    ref = ctx.index.resolve(module, inner)
    leaf = ref.leaf if isinstance(ref, External) else None
    dialect = ctx.index.dialect
    if leaf in _STRINGS:
        length = _const(field, "max_length")
        return (
            sqlalchemy_type("String", Args((length,) if length else ()), dialect=dialect),
            None,
            None,
        )
    if leaf == "Decimal":
        digits, places = _const(field, "max_digits"), _const(field, "decimal_places")
        return sqlalchemy_type("Numeric", Args((digits, places)), dialect=dialect), None, None
    if leaf in ("datetime", "AwareDatetime"):
        return sqlalchemy_type("DateTime", Args((True,)), dialect=dialect), None, None
    if leaf == "NaiveDatetime":
        return sqlalchemy_type("DateTime", dialect=dialect), None, None
    return python_annotation_type(ctx, module, inner, sqlmodel=True)
