"""``models.py`` files to model state, as Django's metaclass would build it.

A class is a model when a base is ``models.Model`` or another model; ``Meta`` gives
``db_table``, ``abstract``, ``proxy``, ``managed``, ``unique_together``, ``indexes``,
``constraints`` and ``app_label``.  Inheritance follows Django: an abstract parent's fields
(and its ``Meta``, when the child declares none) are copied; a concrete parent makes a
multi-table child with a ``<parent>_ptr`` one-to-one primary key; a proxy has no table.  A
model without a primary key gets ``id`` of ``DEFAULT_AUTO_FIELD`` (the app's, else the
settings', else ``AutoField``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from dbdrift.readers.django.calls import Context, django_name, read_field
from dbdrift.readers.django.contrib import ABSTRACT_BASES
from dbdrift.readers.django.fields import FieldSpec
from dbdrift.readers.django.operations import add_order_field, option
from dbdrift.readers.django.state import ModelState
from dbdrift.readers.sqlalchemy.modules import External, Local, Module


@dataclass
class _Class:
    module: Module
    node: ast.ClassDef
    app: str
    parents: list[_Class] = field(default_factory=list)
    own: ModelState | None = None
    meta: ast.ClassDef | None = None


def is_models_file(path: str) -> bool:
    parts = path.split("/")
    return parts[-1] == "models.py" or "models" in parts[:-1]


def read_models(
    ctx: Context, modules: list[Module], auto_field: dict[str, str], default_auto: str
) -> list[ModelState]:
    """Every model of `modules`, concrete or not, in file and class order."""
    classes: dict[int, _Class] = {}
    order: list[_Class] = []
    for module in modules:
        for stmt in module.tree.body:
            if isinstance(stmt, ast.ClassDef) and _is_model(ctx, module, stmt, 0):
                info = _Class(module, stmt, ctx.app_of(module.path))
                classes[id(stmt)] = info
                order.append(info)
    for info in order:
        for base in info.node.bases:
            ref = ctx.index.resolve(info.module, base)
            if isinstance(ref, Local) and id(ref.node) in classes:
                info.parents.append(classes[id(ref.node)])
    built: dict[int, ModelState] = {}
    for info in order:
        _build(ctx, info, built, auto_field, default_auto)
    return [built[id(info.node)] for info in order]


def _is_model(ctx: Context, module: Module, cls: ast.ClassDef, depth: int) -> bool:
    for base in cls.bases:
        ref = ctx.index.resolve(module, base)
        if isinstance(ref, External) and ref.root == "django" and ref.leaf == "Model":
            return True
        if isinstance(ref, External) and _external_base(ref) is not None:
            return True
        if (
            isinstance(ref, Local)
            and isinstance(ref.node, ast.ClassDef)
            and depth < 20
            and _is_model(ctx, ref.module, ref.node, depth + 1)
        ):
            return True
    return False


def _build(
    ctx: Context,
    info: _Class,
    built: dict[int, ModelState],
    auto_field: dict[str, str],
    default_auto: str,
) -> ModelState:
    done = built.get(id(info.node))
    if done is not None:
        return done
    model = ModelState(info.app, info.node.name, path=info.module.path, line=info.node.lineno)
    built[id(info.node)] = model  # a cycle of bases ends here
    meta = next(
        (s for s in info.node.body if isinstance(s, ast.ClassDef) and s.name == "Meta"), None
    )
    inherited: list[FieldSpec] = []
    parent_link: FieldSpec | None = None
    for base in info.node.bases:
        ref = ctx.index.resolve(info.module, base)
        external = _external_base(ref) if isinstance(ref, External) else None
        for spec in external or []:
            inherited.append(spec.copy(path=info.module.path, line=info.node.lineno))
    for parent in info.parents:
        state = _build(ctx, parent, built, auto_field, default_auto)
        if state.abstract:
            inherited.extend(f.copy() for f in state.fields.values())
            if meta is None:
                model.unique_together = list(state.unique_together)
                model.indexes = list(state.indexes)
                model.constraints = list(state.constraints)
        elif parent_link is None and not _is_proxy(meta):
            link = f"{state.name.lower()}_ptr"
            parent_link = FieldSpec(
                link,
                "OneToOneField",
                {"primary_key": True, "parent_link": True, "auto_created": True},
                target=state.key,
                path=info.module.path,
                line=info.node.lineno,
                auto_created=True,
            )
    if meta is not None:
        _meta(ctx, info.module, model, meta)
    own: list[FieldSpec] = []
    for stmt in info.node.body:
        target, value = _assignment(stmt)
        if target is None or not isinstance(value, ast.Call):
            continue
        spec = read_field(ctx, info.module, target, value, model.key)
        if spec is not None:
            own.append(spec)
        elif _looks_like_field(ctx, info.module, value):
            message = f"field `{target}` of a type dbdrift does not know; not read"
            ctx.note("django-field", message, info.module.path, value.lineno)
    fields = ([parent_link] if parent_link else []) + inherited + own
    if not any(f.primary_key for f in fields) and not model.abstract:
        kind = auto_field.get(model.app_label, default_auto)
        fields.insert(0, FieldSpec("id", kind, {"primary_key": True}, auto_created=True))
    model.fields = {f.name: f for f in fields}
    if not model.abstract:
        add_order_field(model)
    return model


def _external_base(ref: External) -> list[FieldSpec] | None:
    """The fields of a Django abstract model (``AbstractUser``) a model inherits."""
    if not ref.dotted.startswith("django.contrib.auth"):
        return None
    return ABSTRACT_BASES.get(ref.leaf)


def _is_proxy(meta: ast.ClassDef | None) -> bool:
    if meta is None:
        return False
    for stmt in meta.body:
        target, value = _assignment(stmt)
        if target == "proxy" and isinstance(value, ast.Constant) and value.value is True:
            return True
    return False


def _meta(ctx: Context, module: Module, model: ModelState, meta: ast.ClassDef) -> None:
    for stmt in meta.body:
        target, value = _assignment(stmt)
        if target is None or value is None:
            continue
        if (
            target == "app_label"
            and isinstance(value, ast.Constant)
            and isinstance(value.value, str)
        ):
            model.app_label = value.value
        else:
            option(ctx, module, model, target, value)


def _assignment(stmt: ast.stmt) -> tuple[str | None, ast.AST | None]:
    if (
        isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
    ):
        return stmt.targets[0].id, stmt.value
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return stmt.target.id, stmt.value
    return None, None


def _looks_like_field(ctx: Context, module: Module, call: ast.Call) -> bool:
    leaf = django_name(ctx, module, call.func)
    name = leaf or ast.unparse(call.func).rpartition(".")[2]
    return name.endswith("Field") or name in ("ForeignKey", "ManyToManyField")
