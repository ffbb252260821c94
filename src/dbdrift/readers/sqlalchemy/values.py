"""Static values in model code: constants, types, Python enums and server defaults.

Everything is evaluated from the `ast` alone.  What has no static value raises `Unresolved`
with a message; callers turn it into a located note.
"""

from __future__ import annotations

import ast
from typing import Any

from dbdrift.readers.sqlalchemy.modules import External, Index, Local, Module
from dbdrift.types import Type
from dbdrift.types.sqlalchemy import (
    Args,
    EnumSpec,
    Unknown,
    enum_type,
    known,
    sqlalchemy_type,
    type_check,
    type_module,
)

# Packages whose names mean SQLAlchemy types or column constructs.
SA_ROOTS = frozenset({"sqlalchemy", "sqlmodel", "flask_sqlalchemy", "pgvector"})
_NO_VALUE = object()


class Unresolved(ValueError):
    """No static value: the message says what and why."""


def call_name(index: Index, module: Module, node: ast.AST) -> str | None:
    """The leaf name of a SQLAlchemy-ish callee (``Column``, ``sa.Column``, ``db.Column``)."""
    ref = index.resolve(module, node)
    if isinstance(ref, External) and ref.root in SA_ROOTS:
        return ref.leaf
    return None


def constant(node: ast.AST) -> Any:
    """A literal (numbers, strings, booleans, None, tuples and lists of them)."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = constant(node.operand)
        if isinstance(value, int | float):
            return -value
    if isinstance(node, ast.Tuple | ast.List):
        return [constant(e) for e in node.elts]
    raise Unresolved(f"`{ast.unparse(node)}` has no static value")


def enum_spec(index: Index, module: Module, cls: ast.ClassDef, by_value: bool) -> EnumSpec:
    """A Python enum class: its member names (or values, with ``values_callable``)."""
    values: list[str] = []
    for stmt in cls.body:
        if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
            continue
        target = stmt.targets[0]
        if not isinstance(target, ast.Name) or target.id.startswith("_"):
            continue
        if by_value:
            value = constant(stmt.value)
            values.append(str(value))
        else:
            values.append(target.id)
    return EnumSpec(cls.name, tuple(values))


def is_enum_class(index: Index, module: Module, cls: ast.ClassDef, depth: int = 0) -> bool:
    for base in cls.bases:
        ref = index.resolve(module, base)
        if isinstance(ref, External) and ref.root == "enum":
            return True
        if (
            isinstance(ref, Local)
            and isinstance(ref.node, ast.ClassDef)
            and depth < 10
            and is_enum_class(index, ref.module, ref.node, depth + 1)
        ):
            return True
    return False


def type_of(
    index: Index, module: Module, node: ast.AST, depth: int = 0, sink: list | None = None
) -> Type:
    """The canonical type of a type expression: ``String(255)``, ``sa.Enum(Role)``, an alias
    assigned in the repository, or a ``TypeDecorator`` subclass (by its ``impl``).
    Native enums met on the way are appended to `sink` as ``(EnumSpec, schema)``."""
    if depth > 20:
        raise Unresolved("type aliases nest too deep")
    func = node.func if isinstance(node, ast.Call) else node
    ref = index.resolve(module, func)
    if isinstance(ref, External):
        args = _args(index, module, node, depth, sink) if isinstance(node, ast.Call) else Args()
        return _external(ref, args, sink, index.dialect)
    if isinstance(ref, Local) and isinstance(ref.node, ast.ClassDef):
        impl = _impl(ref.node)
        if impl is None:
            raise Unresolved(f"`{ref.name}` is not a TypeDecorator with an `impl`")
        if isinstance(node, ast.Call) and not isinstance(impl, ast.Call):
            # TypeDecorator.__init__ hands its arguments to an impl given as a class:
            # EncryptedString(512) with impl = String is String(512).
            target = index.resolve(ref.module, impl)
            if isinstance(target, External):
                return _external(
                    target, _args(index, module, node, depth, sink), sink, index.dialect
                )
        return type_of(index, ref.module, impl, depth + 1, sink)
    if isinstance(ref, Local) and ref.node is not None and not isinstance(node, ast.Call):
        return type_of(index, ref.module, ref.node, depth + 1, sink)
    raise Unresolved(f"unknown column type `{ast.unparse(func)}`")


def _external(ref: External, args: Args, sink: list | None, dialect: str) -> Type:
    if ref.root not in SA_ROOTS or not known(ref.leaf):
        raise Unresolved(f"unknown column type `{ref.dotted}`")
    spec = schema = None
    try:
        if not is_native_enum(ref) or dialect != "postgresql":
            typ = sqlalchemy_type(ref.leaf, args, type_module(ref.dotted), dialect)
        else:
            typ, spec, schema = enum_type(args)
    except Unknown as exc:
        raise Unresolved(f"no {_NAMES.get(dialect, dialect)} spelling for `{exc}`") from exc
    if sink is not None:
        if spec is not None:
            sink.append((spec, schema))
        check = type_check(ref.leaf, args, dialect)
        if check is not None:
            sink.append(check)
    return typ


_NAMES = {"postgresql": "PostgreSQL", "mysql": "MySQL", "sqlite": "SQLite"}


def is_native_enum(ref: External) -> bool:
    """``sa.Enum`` or PostgreSQL's own ``postgresql.ENUM``: both create a named enum type."""
    return ref.leaf == "Enum" or (ref.leaf == "ENUM" and type_module(ref.dotted) == "postgresql")


def _impl(cls: ast.ClassDef) -> ast.AST | None:
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "impl" for t in stmt.targets
        ):
            return stmt.value
        if (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and stmt.target.id == "impl"
        ):
            return stmt.value
    return None


def _args(index: Index, module: Module, node: ast.Call, depth: int, sink: list | None) -> Args:
    by_value = any(k.arg == "values_callable" for k in node.keywords)
    positional = tuple(
        value for a in node.args for value in _starred(index, module, a, depth, by_value, sink)
    )
    keywords = {
        k.arg: _arg(index, module, k.value, depth, by_value, sink)
        for k in node.keywords
        if k.arg and k.arg != "values_callable"
    }
    return Args(positional, keywords)


def _starred(
    index: Index, module: Module, node: ast.AST, depth: int, by_value: bool, sink: list | None
) -> list[Any]:
    """One argument, or the items of ``*VALUES`` when ``VALUES`` is a literal in the repository."""
    if not isinstance(node, ast.Starred):
        return [_arg(index, module, node, depth, by_value, sink)]
    ref = index.resolve(module, node.value)
    if isinstance(ref, Local) and isinstance(ref.node, ast.Tuple | ast.List):
        values = constant(ref.node)
        if all(isinstance(v, str) for v in values):
            return values
    raise Unresolved(f"`{ast.unparse(node)}` has no static value")


def _arg(
    index: Index, module: Module, node: ast.AST, depth: int, by_value: bool, sink: list | None
) -> Any:
    if isinstance(node, ast.Starred):
        raise Unresolved(f"`{ast.unparse(node)}` has no static value")
    try:
        return constant(node)
    except Unresolved:
        pass
    ref = index.resolve(module, node.func if isinstance(node, ast.Call) else node)
    if (
        isinstance(ref, Local)
        and isinstance(ref.node, ast.ClassDef)
        and is_enum_class(index, ref.module, ref.node)
    ):
        return enum_spec(index, ref.module, ref.node, by_value)
    if isinstance(ref, External) and ref.root in SA_ROOTS:
        return type_of(index, module, node, depth + 1, sink)
    if isinstance(ref, Local) and ref.node is not None:
        if isinstance(ref.node, ast.ClassDef) or isinstance(node, ast.Call):
            return type_of(index, module, node, depth + 1, sink)
        return _arg(index, ref.module, ref.node, depth + 1, by_value, sink)
    raise Unresolved(f"`{ast.unparse(node)}` has no static value")


# Server defaults --------------------------------------------------------------------------

# func.<name>() that SQLAlchemy renders without parentheses (ANSI functions).
_ANSI = frozenset(
    {
        "current_timestamp",
        "current_date",
        "current_time",
        "localtime",
        "localtimestamp",
        "current_user",
        "session_user",
        "user",
    }
)


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def server_default_sql(index: Index, module: Module, node: ast.AST) -> str | None:
    """The SQL SQLAlchemy writes after ``DEFAULT`` for a ``server_default=``, or ``None``
    when it writes none (``FetchedValue()``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return quote(node.value)
    if isinstance(node, ast.Constant) and node.value is None:
        return None
    if isinstance(node, ast.Call):
        name = call_name(index, module, node.func)
        if name == "text" and node.args:
            value = constant(node.args[0])
            if isinstance(value, str):
                return value
        if name in ("true", "false", "null"):
            return name
        if name == "FetchedValue":
            return None
        if name == "DefaultClause" and node.args:
            return server_default_sql(index, module, node.args[0])
        return _func_sql(index, module, node)
    if isinstance(node, ast.Name | ast.Attribute):
        ref = index.resolve(module, node)
        if isinstance(ref, Local) and ref.node is not None:
            return server_default_sql(index, ref.module, ref.node)
    raise Unresolved(f"server default `{ast.unparse(node)}` has no static SQL")


def is_function(index: Index, module: Module, node: ast.AST) -> bool:
    """``func.now()``: a SQL function, which MySQL's DDL compiler puts in parentheses."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    base = index.resolve(module, node.func.value)
    return isinstance(base, External) and base.leaf == "func"


def _func_sql(index: Index, module: Module, node: ast.Call) -> str:
    """``func.now()``, ``sa.func.gen_random_uuid()``, ``func.coalesce('a', 1)``."""
    func = node.func
    if not isinstance(func, ast.Attribute):
        raise Unresolved(f"`{ast.unparse(node)}` has no static SQL")
    base = index.resolve(module, func.value)
    if not (isinstance(base, External) and base.leaf == "func"):
        raise Unresolved(f"`{ast.unparse(node)}` has no static SQL")
    name = func.attr
    if name.lower() in _ANSI and not node.args:
        return name.upper()
    args = []
    for arg in node.args:
        value = constant(arg)
        if isinstance(value, str):
            args.append(quote(value))
        elif isinstance(value, bool):
            args.append("true" if value else "false")
        elif isinstance(value, int | float):
            args.append(str(value))
        else:
            raise Unresolved(f"`{ast.unparse(node)}` has no static SQL")
    return f"{name}({', '.join(args)})"
