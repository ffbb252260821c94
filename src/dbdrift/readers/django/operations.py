"""Migration operations applied to the model state, each with the DDL Django runs for it
(django/db/migrations/operations/models.py, fields.py, special.py)."""

from __future__ import annotations

import ast
from typing import Any

from dbdrift.readers.django.calls import (
    Context,
    django_name,
    read_constraint,
    read_field,
    read_index,
    static,
)
from dbdrift.readers.django.fields import Dynamic, FieldSpec
from dbdrift.readers.django.schema_editor import Editor
from dbdrift.readers.django.state import ModelState, Project
from dbdrift.readers.sql.generated import Generated
from dbdrift.readers.sqlalchemy.modules import Module
from dbdrift.schema import Origin

# Operation -> its positional parameter names (as in Django's signatures).
PARAMS = {
    "CreateModel": ("name", "fields", "options", "bases", "managers"),
    "DeleteModel": ("name",),
    "RenameModel": ("old_name", "new_name"),
    "AlterModelTable": ("name", "table"),
    "AddField": ("model_name", "name", "field", "preserve_default"),
    "RemoveField": ("model_name", "name"),
    "AlterField": ("model_name", "name", "field", "preserve_default"),
    "RenameField": ("model_name", "old_name", "new_name"),
    "AddIndex": ("model_name", "index"),
    "RemoveIndex": ("model_name", "name"),
    "RenameIndex": ("model_name", "new_name", "old_name", "old_fields"),
    "AddConstraint": ("model_name", "constraint"),
    "RemoveConstraint": ("model_name", "name"),
    "AlterUniqueTogether": ("name", "unique_together"),
    "AlterIndexTogether": ("name", "index_together"),
    "AlterOrderWithRespectTo": ("name", "order_with_respect_to"),
    "RunSQL": ("sql", "reverse_sql", "state_operations", "hints", "elidable"),
    "RunPython": ("code", "reverse_code"),
    "SeparateDatabaseAndState": ("database_operations", "state_operations"),
}
# Operations with no effect on the database schema.
NO_DDL = frozenset({"AlterModelOptions", "AlterModelManagers", "AlterModelTableComment"})


class Applier:
    """Applies one migration's operations to the project state, generating DDL."""

    def __init__(self, ctx: Context, project: Project, editor: Editor) -> None:
        self.ctx = ctx
        self.project = project
        self.editor = editor

    def apply(self, module: Module, app: str, call: ast.AST) -> None:
        origin = Origin(module.path, getattr(call, "lineno", 1))
        if not isinstance(call, ast.Call):
            self.editor.note("django-operation", "an operation that is not a call", origin)
            return
        leaf = django_name(self.ctx, module, call.func)
        if leaf in NO_DDL:
            return
        handler = getattr(self, f"op_{leaf}", None) if leaf else None
        if handler is None:
            name = leaf or ast.unparse(call.func)
            self.editor.note("django-operation", f"operation `{name}` is not modelled", origin)
            return
        args = dict(zip(PARAMS.get(leaf, ()), call.args, strict=False))
        args.update({k.arg: k.value for k in call.keywords if k.arg})
        handler(module, app, args, origin)

    # helpers -------------------------------------------------------------------------------

    def model(self, app: str, node: ast.AST | None, origin: Origin) -> ModelState | None:
        name = static(self.ctx, Module("", "", ast.Module([], [])), node) if node else None
        if not isinstance(name, str):
            self.editor.note("django-operation", "a model name that is not static", origin)
            return None
        found = self.project.models.get((app, name.lower()))
        if found is None:
            self.editor.note("django-operation", f"no model {app}.{name} at this point", origin)
        return found

    def text(self, module: Module, node: ast.AST | None) -> Any:
        return static(self.ctx, module, node) if node is not None else None

    # models --------------------------------------------------------------------------------

    def op_CreateModel(self, module: Module, app: str, args: dict, origin: Origin) -> None:
        name = self.text(module, args.get("name"))
        if not isinstance(name, str):
            self.editor.note("django-operation", "CreateModel without a static name", origin)
            return
        model = ModelState(app, name, path=module.path, line=origin.line)
        fields = args.get("fields")
        if isinstance(fields, ast.List | ast.Tuple):
            for item in fields.elts:
                self._field_item(module, model, item)
        options = args.get("options")
        if isinstance(options, ast.Dict):
            read_options(self.ctx, module, model, options)
        add_order_field(model)
        self.project.add(model)
        if model.has_table:
            self.editor.create_model(model, origin)

    def _field_item(self, module: Module, model: ModelState, item: ast.AST) -> None:
        if not (isinstance(item, ast.Tuple) and len(item.elts) == 2):
            return
        name = self.text(module, item.elts[0])
        call = item.elts[1]
        if isinstance(name, str) and isinstance(call, ast.Call):
            spec = read_field(self.ctx, module, name, call, model.key)
            if spec is not None:
                model.fields[name] = spec

    def op_DeleteModel(self, module: Module, app: str, args: dict, origin: Origin) -> None:
        model = self.model(app, args.get("name"), origin)
        if model is None:
            return
        if model.has_table:
            self.editor.delete_model(model, origin)
        del self.project.models[model.key]

    def op_RenameModel(self, module: Module, app: str, args: dict, origin: Origin) -> None:
        """``RenameModel.database_forwards``: move the table, re-point every relation to
        the model (its foreign key is dropped and re-made under a name with the new table),
        rename the many-to-many tables and columns named after the model."""
        model = self.model(app, args.get("old_name"), origin)
        new = self.text(module, args.get("new_name"))
        if model is None or not isinstance(new, str):
            return
        editor = self.editor
        old_table, old_key = model.table, model.key
        related = [
            (other, spec)
            for other in self.project.models.values()
            for spec in other.fields.values()
            if spec.target == old_key or (other is model and spec.many_to_many)
        ]
        throughs = {
            id(spec): editor.auto_through(other, spec, origin)
            for other, spec in related
            if spec.many_to_many
        }
        del self.project.models[old_key]
        model.name = new
        self.project.add(model)
        for other in self.project.models.values():
            for spec in other.fields.values():
                spec.target = model.key if spec.target == old_key else spec.target
                spec.through = model.key if spec.through == old_key else spec.through
        if not model.has_table:
            return
        editor.alter_db_table(old_table, model.table, origin)
        for other, spec in related:
            if spec.is_relation:
                editor.alter_field(other, spec, spec, origin, old_to_table=old_table)
            elif spec.many_to_many:
                self._rename_through(other, spec, throughs[id(spec)], old_key, old_table, origin)

    def _rename_through(
        self,
        owner: ModelState,
        spec: FieldSpec,
        old: ModelState | None,
        old_key: tuple[str, str],
        old_table: str,
        origin: Origin,
    ) -> None:
        """``_alter_many_to_many``: the table renamed, then both foreign keys altered."""
        new = self.editor.auto_through(owner, spec, origin)
        if old is None or new is None:
            return
        self.editor.alter_db_table(old.table, new.table, origin)
        old_sides = list(old.fields.values())[1:]
        new_sides = list(new.fields.values())[1:]
        for before, after in zip(old_sides, new_sides, strict=True):
            renamed = before.target == old_key
            before = before.copy(target=after.target)
            target = self.project.model(after.target)
            was = old_table if renamed else (target.table if target else None)
            self.editor.alter_field(new, before, after, origin, old_to_table=was)

    def op_AlterModelTable(self, module: Module, app: str, args: dict, origin: Origin) -> None:
        """The table renamed, and with it each many-to-many table named after it."""
        model = self.model(app, args.get("name"), origin)
        if model is None:
            return
        table = self.text(module, args.get("table"))
        old = model.table
        before = [self.editor.auto_through(model, f, origin) for f in model.m2m_fields()]
        model.db_table = table if isinstance(table, str) else None
        if not model.has_table:
            return
        self.editor.alter_db_table(old, model.table, origin)
        after = [self.editor.auto_through(model, f, origin) for f in model.m2m_fields()]
        for was, now in zip(before, after, strict=True):
            if was is not None and now is not None:
                self.editor.alter_db_table(was.table, now.table, origin)

    def op_AlterUniqueTogether(self, module: Module, app: str, args: dict, origin: Origin) -> None:
        model = self.model(app, args.get("name"), origin)
        if model is None:
            return
        old = model.unique_together
        model.unique_together = together(self.ctx, module, args.get("unique_together"))
        if model.has_table:
            self.editor.alter_unique_together(model, old, model.unique_together, origin)

    def op_AlterOrderWithRespectTo(
        self, module: Module, app: str, args: dict, origin: Origin
    ) -> None:
        """Adds or removes the ``_order`` column, as Django's operation does."""
        model = self.model(app, args.get("name"), origin)
        if model is None:
            return
        model.order_wrt = static(self.ctx, module, args.get("order_with_respect_to")) is not None
        spec = model.fields.get(ORDER_FIELD)
        if model.order_wrt and spec is None:
            spec = add_order_field(model, origin.line, module.path)
            if model.has_table:
                self.editor.add_field(model, spec, origin)
        elif not model.order_wrt and spec is not None:
            del model.fields[ORDER_FIELD]
            if model.has_table:
                self.editor.remove_field(model, spec, origin)

    def op_AlterIndexTogether(self, module: Module, app: str, args: dict, origin: Origin) -> None:
        self.editor.note("django-operation", "AlterIndexTogether is not modelled", origin)

    # fields --------------------------------------------------------------------------------

    def _spec(
        self, module: Module, model: ModelState, args: dict, key: str = "name"
    ) -> FieldSpec | None:
        name = self.text(module, args.get(key))
        call = args.get("field")
        if not (isinstance(name, str) and isinstance(call, ast.Call)):
            return None
        return read_field(self.ctx, module, name, call, model.key)

    def op_AddField(self, module: Module, app: str, args: dict, origin: Origin) -> None:
        model = self.model(app, args.get("model_name"), origin)
        spec = self._spec(module, model, args) if model else None
        if model is None or spec is None:
            return
        model.fields[spec.name] = spec
        if model.has_table:
            self.editor.add_field(model, spec, origin)

    def op_RemoveField(self, module: Module, app: str, args: dict, origin: Origin) -> None:
        model = self.model(app, args.get("model_name"), origin)
        name = self.text(module, args.get("name"))
        if model is None or not isinstance(name, str):
            return
        spec = model.fields.pop(name, None)
        if spec is None:
            self.editor.note("django-operation", f"{model.name} has no field {name}", origin)
            return
        if model.has_table:
            self.editor.remove_field(model, spec, origin)

    def op_AlterField(self, module: Module, app: str, args: dict, origin: Origin) -> None:
        model = self.model(app, args.get("model_name"), origin)
        spec = self._spec(module, model, args) if model else None
        if model is None or spec is None:
            return
        old = model.fields.get(spec.name)
        model.fields[spec.name] = spec
        if old is None:
            self.editor.note("django-operation", f"{model.name} has no field {spec.name}", origin)
        elif model.has_table:
            self.editor.alter_field(model, old, spec, origin)

    def op_RenameField(self, module: Module, app: str, args: dict, origin: Origin) -> None:
        model = self.model(app, args.get("model_name"), origin)
        old_name = self.text(module, args.get("old_name"))
        new_name = self.text(module, args.get("new_name"))
        if model is None or not isinstance(old_name, str) or not isinstance(new_name, str):
            return
        old = model.fields.get(old_name)
        if old is None:
            self.editor.note("django-operation", f"{model.name} has no field {old_name}", origin)
            return
        new = old.copy(name=new_name)
        # ``ProjectState.rename_field`` pops the field and adds it again: it moves to the
        # end, which is where SQLite's next table remake puts its column.
        del model.fields[old_name]
        model.fields[new_name] = new
        model.unique_together = [
            tuple(new_name if f == old_name else f for f in t) for t in model.unique_together
        ]
        for index in model.indexes:
            index.fields = [
                ("-" if f.startswith("-") else "")
                + (new_name if f.lstrip("-") == old_name else f.lstrip("-"))
                for f in index.fields
            ]
        for constraint in model.constraints:
            constraint.fields = [new_name if f == old_name else f for f in constraint.fields]
        if model.has_table and old.column != new.column:
            self.editor.alter_field(model, old, new, origin)

    # indexes and constraints ---------------------------------------------------------------

    def op_AddIndex(self, module: Module, app: str, args: dict, origin: Origin) -> None:
        model = self.model(app, args.get("model_name"), origin)
        node = args.get("index")
        index = read_index(self.ctx, module, node) if isinstance(node, ast.Call) else None
        if model is None or index is None:
            return
        model.indexes.append(index)
        if model.has_table:
            self.editor.add_index(model, index, origin)

    def op_RemoveIndex(self, module: Module, app: str, args: dict, origin: Origin) -> None:
        model = self.model(app, args.get("model_name"), origin)
        name = self.text(module, args.get("name"))
        if model is None or not isinstance(name, str):
            return
        found = next((i for i in model.indexes if i.name == name), None)
        model.indexes = [i for i in model.indexes if i.name != name]
        if model.has_table:
            self.editor.remove_index(model, name, origin, found)

    def op_RenameIndex(self, module: Module, app: str, args: dict, origin: Origin) -> None:
        model = self.model(app, args.get("model_name"), origin)
        new = self.text(module, args.get("new_name"))
        old = self.text(module, args.get("old_name"))
        if model is None or not isinstance(new, str) or not isinstance(old, str):
            self.editor.note("django-operation", "RenameIndex without static names", origin)
            return
        for index in model.indexes:
            if index.name == old:
                index.name = new
        if model.has_table:
            self.editor.rename_index(model, old, new, origin)

    def op_AddConstraint(self, module: Module, app: str, args: dict, origin: Origin) -> None:
        model = self.model(app, args.get("model_name"), origin)
        node = args.get("constraint")
        constraint = read_constraint(self.ctx, module, node) if isinstance(node, ast.Call) else None
        if model is None or constraint is None:
            return
        model.constraints.append(constraint)
        if model.has_table:
            self.editor.add_constraint(model, constraint, origin)

    def op_RemoveConstraint(self, module: Module, app: str, args: dict, origin: Origin) -> None:
        model = self.model(app, args.get("model_name"), origin)
        name = self.text(module, args.get("name"))
        if model is None or not isinstance(name, str):
            return
        found = next((c for c in model.constraints if c.name == name), None)
        model.constraints = [c for c in model.constraints if c.name != name]
        if found is not None and model.has_table:
            self.editor.remove_constraint(model, found, origin)

    # special -------------------------------------------------------------------------------

    def op_RunSQL(self, module: Module, app: str, args: dict, origin: Origin) -> None:
        node = args.get("sql")
        items = node.elts if isinstance(node, ast.List | ast.Tuple) else [node]
        for item in items:
            value = self.text(module, item)
            if isinstance(value, str):
                self.editor.out.append(Generated(value.strip().rstrip(";"), origin))
            elif isinstance(item, ast.Attribute) and item.attr == "noop":
                continue
            else:
                self.editor.note("django-runsql", "RunSQL with SQL that is not static", origin)

    def op_SeparateDatabaseAndState(
        self, module: Module, app: str, args: dict, origin: Origin
    ) -> None:
        """The database operations run as usual; the state operations change the state
        only (their DDL is discarded, as Django never runs it)."""
        for node in _items(args.get("database_operations")):
            self.apply(module, app, node)
        editor = self.editor
        kept, deferred = editor.out, editor.deferred
        editor.out, editor.deferred = [], []
        try:
            for node in _items(args.get("state_operations")):
                self.apply(module, app, node)
        finally:
            editor.out, editor.deferred = kept, deferred

    def op_RunPython(self, module: Module, app: str, args: dict, origin: Origin) -> None:
        code = args.get("code")
        name = ast.unparse(code) if code is not None else "?"
        self.editor.note("django-runpython", f"RunPython({name}) changes data, not read", origin)


def _items(node: ast.AST | None) -> list[ast.AST]:
    return list(node.elts) if isinstance(node, ast.List | ast.Tuple) else []


def together(ctx: Context, module: Module, node: ast.AST | None) -> list[tuple[str, ...]]:
    """``unique_together`` in any spelling: a tuple of tuples, a set, or a single tuple."""
    if node is None:
        return []
    if isinstance(node, ast.Set):
        node = ast.List(list(node.elts))
    value = static(ctx, module, node)
    if isinstance(value, Dynamic) or not isinstance(value, list) or not value:
        return []
    if all(isinstance(v, str) for v in value):
        return [tuple(value)]
    return [tuple(v) for v in value if isinstance(v, list)]


ORDER_FIELD = "_order"


def add_order_field(
    model: ModelState, line: int | None = None, path: str | None = None
) -> FieldSpec:
    """The ``_order`` IntegerField Django adds after every field of a model with
    ``order_with_respect_to`` (added to `model` when it is set and missing)."""
    spec = model.fields.get(ORDER_FIELD)
    if spec is None and model.order_wrt:
        spec = FieldSpec(
            ORDER_FIELD,
            "IntegerField",
            {"default": 0, "editable": False},
            path=path or model.path,
            line=line or model.line,
            auto_created=True,
        )
        model.fields[ORDER_FIELD] = spec
    return spec  # type: ignore[return-value]


def read_options(ctx: Context, module: Module, model: ModelState, node: ast.Dict) -> None:
    """A ``CreateModel`` options dict (or a model's ``Meta`` as a dict)."""
    for key_node, value in zip(node.keys, node.values, strict=False):
        key = static(ctx, module, key_node) if key_node is not None else None
        if isinstance(key, str):
            option(ctx, module, model, key, value)


def option(ctx: Context, module: Module, model: ModelState, key: str, value: ast.AST) -> None:
    if key == "db_table":
        table = static(ctx, module, value)
        model.db_table = table if isinstance(table, str) else None
    elif key in ("abstract", "proxy", "managed"):
        setattr(
            model,
            key,
            static(ctx, module, value) is True
            if key != "managed"
            else static(ctx, module, value) is not False,
        )
    elif key == "order_with_respect_to":
        model.order_wrt = static(ctx, module, value) is not None
    elif key == "unique_together":
        model.unique_together = together(ctx, module, value)
    elif key in ("indexes", "constraints") and isinstance(value, ast.List | ast.Tuple):
        for item in value.elts:
            if not isinstance(item, ast.Call):
                continue
            if key == "indexes":
                index = read_index(ctx, module, item)
                if index is not None:
                    model.indexes.append(index)
            else:
                constraint = read_constraint(ctx, module, item)
                if constraint is not None:
                    model.constraints.append(constraint)
