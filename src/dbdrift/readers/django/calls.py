"""Reading Django constructs from `ast`: fields, indexes, constraints, ``Q`` conditions.

Shared by the models reader and the migrations reader: a migration's ``CreateModel`` lists
the same ``models.CharField(...)`` calls a ``models.py`` does.  Nothing is imported or run;
what has no static value becomes `Dynamic` and, where it matters, a located note.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dbdrift.readers.django.fields import KNOWN, Dynamic, FieldSpec
from dbdrift.readers.django.state import ConstraintSpec, IndexSpec
from dbdrift.readers.sqlalchemy.modules import External, Index, Local, Module
from dbdrift.readers.sqlalchemy.values import Unresolved, constant
from dbdrift.schema import Note, Origin

DJANGO = "django"


@dataclass
class Context:
    """The parsed files, where notes go, and how a file's app label and the user model are
    known (settings and ``apps.py`` are read before any model)."""

    index: Index
    app_of: Callable[[str], str]
    user_model: tuple[str, str] = ("auth", "user")
    notes: list[Note] = field(default_factory=list)

    def note(self, kind: str, message: str, path: str, line: int) -> None:
        self.notes.append(Note(kind, message, Origin(path, line)))


def django_name(ctx: Context, module: Module, node: ast.AST) -> str | None:
    """The leaf of a name from Django (``models.CharField`` -> ``CharField``)."""
    ref = ctx.index.resolve(module, node)
    if isinstance(ref, External) and ref.root == DJANGO:
        return ref.leaf
    return None


def static(ctx: Context, module: Module, node: ast.AST, depth: int = 0) -> Any:
    """A literal, or a name in the repository bound to one; otherwise `Dynamic`."""
    try:
        return constant(node)
    except Unresolved:
        pass
    if depth < 10 and isinstance(node, ast.Name | ast.Attribute):
        ref = ctx.index.resolve(module, node)
        if (
            isinstance(ref, Local)
            and ref.node is not None
            and not isinstance(ref.node, ast.ClassDef)
        ):
            return static(ctx, ref.module, ref.node, depth + 1)
    return Dynamic(ast.unparse(node))


def field_kind(ctx: Context, module: Module, func: ast.AST, depth: int = 0) -> str | None:
    """The Django field class a call makes, following a repository subclass to its base."""
    leaf = django_name(ctx, module, func)
    if leaf is not None:
        return leaf if leaf in KNOWN else None
    ref = ctx.index.resolve(module, func)
    if depth < 10 and isinstance(ref, Local) and isinstance(ref.node, ast.ClassDef):
        for base in ref.node.bases:
            kind = field_kind(ctx, ref.module, base, depth + 1)
            if kind is not None:
                return kind
    return None


def read_field(
    ctx: Context, module: Module, name: str, call: ast.Call, here: tuple[str, str]
) -> FieldSpec | None:
    """A field call as a `FieldSpec`; `here` is the model it belongs to (for ``"self"``)."""
    kind = field_kind(ctx, module, call.func)
    if kind is None:
        return None
    spec = FieldSpec(name, kind, path=module.path, line=call.lineno)
    positional = list(call.args)
    if kind in ("ForeignKey", "OneToOneField", "ManyToManyField") and positional:
        spec.target = relation(ctx, module, positional.pop(0), here)
    if kind == "ArrayField" and positional:
        spec.base = _base_field(ctx, module, positional.pop(0), here)
    for keyword in call.keywords:
        if keyword.arg is None:
            ctx.note(
                "django-field",
                f"`**{ast.unparse(keyword.value)}` not read",
                module.path,
                call.lineno,
            )
            continue
        arg, value = keyword.arg, keyword.value
        if arg == "to":
            spec.target = relation(ctx, module, value, here)
        elif arg == "through":
            spec.through = relation(ctx, module, value, here)
        elif arg == "base_field":
            spec.base = _base_field(ctx, module, value, here)
        elif arg == "db_default":
            spec.db_default = default_sql(ctx, module, value)
        elif arg in ("default", "choices", "validators", "on_delete", "upload_to"):
            spec.kwargs[arg] = True
        else:
            spec.kwargs[arg] = static(ctx, module, value)
    if spec.target is None and spec.kind in ("ForeignKey", "OneToOneField", "ManyToManyField"):
        ctx.note(
            "django-field", f"the model `{name}` points at is not known", module.path, call.lineno
        )
        return None
    if spec.kwargs.get("parent_link") is True or spec.kwargs.get("auto_created") is True:
        spec.auto_created = spec.kwargs.get("auto_created") is True
    return spec


def _base_field(
    ctx: Context, module: Module, node: ast.AST, here: tuple[str, str]
) -> FieldSpec | None:
    if isinstance(node, ast.Call):
        return read_field(ctx, module, "", node, here)
    return None


def relation(
    ctx: Context, module: Module, node: ast.AST, here: tuple[str, str]
) -> tuple[str, str] | None:
    """The model a relation points at, as ``(app_label, model_name_lower)``."""
    if isinstance(node, ast.Attribute) and node.attr == "AUTH_USER_MODEL":
        return ctx.user_model
    value = static(ctx, module, node)
    if isinstance(value, str):
        if value == "self":
            return here
        app, dot, model = value.rpartition(".")
        return (app if dot else here[0], model.lower())
    ref = ctx.index.resolve(module, node)
    if isinstance(ref, Local) and isinstance(ref.node, ast.ClassDef):
        return (ctx.app_of(ref.module.path), ref.node.name.lower())
    if (
        isinstance(ref, External)
        and ref.root == DJANGO
        and ref.dotted.startswith("django.contrib.")
    ):
        return (ref.dotted.split(".")[2], ref.leaf.lower())
    return None


# Defaults ---------------------------------------------------------------------------------

# Database functions Django compiles without arguments on PostgreSQL.
_FUNCTIONS = {"Now": "STATEMENT_TIMESTAMP()", "Pi": "PI()", "Random": "RANDOM()"}


def literal(value: Any) -> str | None:
    """A Python value as PostgreSQL's client-side parameter binding spells it."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return None


def default_sql(ctx: Context, module: Module, node: ast.AST) -> str | None:
    """The SQL after ``DEFAULT`` for a ``db_default=``: a value, ``Value(x)`` or ``Now()``."""
    if isinstance(node, ast.Call):
        leaf = django_name(ctx, module, node.func)
        if leaf in _FUNCTIONS and not node.args:
            return f"({_FUNCTIONS[leaf]})"
        if leaf == "Value" and node.args:
            node = node.args[0]
    value = static(ctx, module, node)
    sql = None if isinstance(value, Dynamic) else literal(value)
    if sql is None:
        message = f"db_default `{ast.unparse(node)}` has no static SQL; no default read"
        ctx.note("django-default", message, module.path, node.lineno)
    return sql


# Indexes, constraints and Q ---------------------------------------------------------------


def read_index(ctx: Context, module: Module, call: ast.Call) -> IndexSpec | None:
    if django_name(ctx, module, call.func) != "Index":
        return None
    kwargs = {k.arg: k.value for k in call.keywords if k.arg}
    name = static(ctx, module, kwargs["name"]) if "name" in kwargs else None
    fields = static(ctx, module, kwargs["fields"]) if "fields" in kwargs else []
    opclasses = static(ctx, module, kwargs["opclasses"]) if "opclasses" in kwargs else []
    condition = q_tree(ctx, module, kwargs["condition"]) if "condition" in kwargs else None
    if not isinstance(name, str) or not isinstance(fields, list):
        ctx.note(
            "django-index", "an index without a static name and fields", module.path, call.lineno
        )
        return None
    return IndexSpec(
        name,
        [str(f) for f in fields],
        condition,
        [str(o) for o in opclasses] if isinstance(opclasses, list) else [],
        len(call.args),
        call.lineno,
    )


def read_constraint(ctx: Context, module: Module, call: ast.Call) -> ConstraintSpec | None:
    leaf = django_name(ctx, module, call.func)
    if leaf not in ("UniqueConstraint", "CheckConstraint"):
        return None
    kwargs = {k.arg: k.value for k in call.keywords if k.arg}
    name = static(ctx, module, kwargs["name"]) if "name" in kwargs else None
    if not isinstance(name, str):
        ctx.note(
            "django-constraint", "a constraint without a static name", module.path, call.lineno
        )
        return None
    if leaf == "CheckConstraint":
        node = kwargs.get("condition", kwargs.get("check"))
        condition = q_tree(ctx, module, node) if node is not None else None
        return ConstraintSpec("check", name, condition=condition, line=call.lineno)
    fields = static(ctx, module, kwargs["fields"]) if "fields" in kwargs else []
    condition = q_tree(ctx, module, kwargs["condition"]) if "condition" in kwargs else None
    return ConstraintSpec(
        "unique",
        name,
        [str(f) for f in fields] if isinstance(fields, list) else [],
        condition,
        len(call.args),
        call.lineno,
    )


def q_tree(ctx: Context, module: Module, node: ast.AST) -> Any:
    """A ``Q`` expression as ``("AND"|"OR", negated, [children])`` with leaves
    ``(lookup, value)``; ``Dynamic`` when it is not static."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd | ast.BitOr):
        connector = "AND" if isinstance(node.op, ast.BitAnd) else "OR"
        return (connector, False, [q_tree(ctx, module, node.left), q_tree(ctx, module, node.right)])
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
        inner = q_tree(ctx, module, node.operand)
        return ("AND", True, [inner])
    if not (isinstance(node, ast.Call) and django_name(ctx, module, node.func) == "Q"):
        return Dynamic(ast.unparse(node))
    connector, negated, children = "AND", False, []
    for arg in node.args:
        if isinstance(arg, ast.Tuple) and len(arg.elts) == 2:
            children.append((static(ctx, module, arg.elts[0]), _q_value(ctx, module, arg.elts[1])))
        else:
            children.append(q_tree(ctx, module, arg))
    for keyword in node.keywords:
        if keyword.arg == "_connector":
            connector = str(static(ctx, module, keyword.value))
        elif keyword.arg == "_negated":
            negated = static(ctx, module, keyword.value) is True
        elif keyword.arg:
            children.append((keyword.arg, _q_value(ctx, module, keyword.value)))
    return (connector, negated, children)


def _q_value(ctx: Context, module: Module, node: ast.AST) -> Any:
    if isinstance(node, ast.Call) and django_name(ctx, module, node.func) == "F" and node.args:
        return ("F", static(ctx, module, node.args[0]))
    return static(ctx, module, node)
