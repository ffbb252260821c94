"""The DDL Django's schema editor sends, for each change of model state, on one backend.

Mirrors ``BaseDatabaseSchemaEditor`` and its backend subclasses (django/db/backends/base/
schema.py, postgresql/, mysql/, sqlite3/schema.py); what differs between backends is data
in backends.py.  ``CREATE TABLE`` with inline ``UNIQUE``/``PRIMARY KEY`` and column checks,
auto columns (identity, ``AUTO_INCREMENT``, ``AUTOINCREMENT``), foreign keys deferred to
``ALTER TABLE ... ADD CONSTRAINT`` (no ``ON DELETE``: Django emulates it) or written into the
column on SQLite, index names from ``_create_index_name`` (table, columns, an md5 digest, a
suffix), the extra ``_like`` index on PostgreSQL, and the tables behind many-to-many fields.
On SQLite most alterations rebuild the table as ``_remake_table`` does: a ``new__`` table
from the model state, the old one dropped, the new one renamed, its indexes made again.
Deferred statements run when the editor closes: at the end of each migration, as
``migrate`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from dbdrift.readers.django.fields import AUTO, Dynamic, FieldSpec, db_type, rel_db_type
from dbdrift.readers.django.state import (
    ConstraintSpec,
    IndexSpec,
    ModelState,
    Project,
    index_name,
    truncate_name,
)
from dbdrift.readers.sql.generated import Generated
from dbdrift.schema import Note, Origin


def quoter(mark: str) -> Callable[[str], str]:
    """Django quotes every identifier, with the backend's quote character."""

    def q(name: str) -> str:
        return mark + name.replace(mark, mark * 2) + mark

    return q


q = quoter('"')


@dataclass
class _Deferred:
    sql: str
    origin: Origin
    table: str
    column: str | None = None


class Editor:
    """Turns state changes into `Generated` statements, in the order Django runs them."""

    def __init__(self, project: Project, out: list[Generated], notes: list[Note]) -> None:
        self.project = project
        self.b = project.backend
        self.q = quoter(self.b.quote)
        self.out = out
        self.notes = notes
        self.deferred: list[_Deferred] = []
        # (table, column, kind) -> constraint or index name, for the later drops
        self.names: dict[tuple[str, str, str], str] = {}
        # (table, column) of foreign keys InnoDB gave no index: a composite unique index
        # led by the column existed when the key was added (MySQL)
        self.covered: set[tuple[str, str]] = set()

    # Plumbing -----------------------------------------------------------------------------

    def emit(self, sql: str, origin: Origin) -> None:
        self.out.append(Generated(sql, origin))

    def defer(self, sql: str, origin: Origin, table: str, column: str | None = None) -> None:
        self.deferred.append(_Deferred(sql, origin, table, column))

    def flush(self) -> None:
        """The deferred statements, as the schema editor runs them on exit."""
        for item in self.deferred:
            self.emit(item.sql, item.origin)
        self.deferred = []

    def note(self, kind: str, message: str, origin: Origin) -> None:
        self.notes.append(Note(kind, message, origin))

    def sql(self, template: str, **names: str) -> str:
        """The backend's ``sql_<template>``; each keyword is an identifier, quoted here."""
        quoted = {k: v if k in _RAW or isinstance(v, _Raw) else self.q(v) for k, v in names.items()}
        return self.b.sql[template].format(**quoted)

    def index_name(self, table: str, columns: list[str], suffix: str = "") -> str:
        return index_name(table, columns, suffix, self.b.max_name)

    # Columns ------------------------------------------------------------------------------

    def target(self, spec: FieldSpec, origin: Origin) -> tuple[ModelState, FieldSpec] | None:
        """The model and field a foreign key points at."""
        model = self.project.model(spec.target)
        if model is None:
            where = ".".join(spec.target) if spec.target else "?"
            self.note("django-relation", f"`{spec.name}` points at unknown model {where}", origin)
            return None
        to_field = spec.kwargs.get("to_field")
        field = model.get(to_field) if isinstance(to_field, str) else model.pk()
        if field is None:
            self.note(
                "django-relation", f"`{spec.name}`: the referenced field is not known", origin
            )
            return None
        return model, field

    def column_type(self, spec: FieldSpec, origin: Origin) -> str:
        if spec.is_relation:
            found = self.target(spec, origin)
            typed = None
            if found is not None and found[1].is_relation and found[1] is not spec:
                typed = self.column_type(found[1], origin)  # a parent link's key
            elif found is not None:
                typed = rel_db_type(found[1], self.b)
        else:
            typed = db_type(spec, self.b)
        if typed is None:
            message = f"no {self.b.label} type known for `{spec.name}` ({spec.kind})"
            self.note("django-type", message, origin)
            return "text"
        return typed

    def definition(self, spec: FieldSpec, origin: Origin) -> str:
        """``_iter_column_sql`` plus the inline check, the auto suffix and, on SQLite, the
        reference."""
        parts = [self.column_type(spec, origin)]
        if spec.db_default is not None:
            parts.append(f"DEFAULT {spec.db_default}")
        if spec.kind == "GeneratedField":
            self.note("django-generated", f"generated field `{spec.name}` read as plain", origin)
        parts.append("NULL" if spec.null else "NOT NULL")
        if spec.primary_key:
            parts.append("PRIMARY KEY")
        elif spec.unique:
            parts.append("UNIQUE")
        checks = self.b.checks
        if spec.internal in checks:
            parts.append(f"CHECK ({checks[spec.internal] % {'column': spec.column}})")
        if spec.internal in AUTO and self.b.auto_suffix:
            parts.append(self.b.auto_suffix)
        if self.b.inline_fk and spec.is_relation and spec.db_constraint:
            found = self.target(spec, origin)
            if found is not None:
                to_table, to_column = self.q(found[0].table), self.q(found[1].column)
                parts.append(self.b.inline_fk.format(to_table=to_table, to_column=to_column))
        return " ".join(parts)

    def fk_sql(self, model: ModelState, spec: FieldSpec, origin: Origin) -> str | None:
        if not (spec.is_relation and spec.db_constraint) or self.b.inline_fk:
            return None
        found = self.target(spec, origin)
        if found is None:
            return None
        to_model, to_field = found
        suffix = f"_fk_{to_model.table}_{to_field.column}"
        name = self.index_name(model.table, [spec.column], suffix)
        self.names[(model.table, spec.column, "fk")] = name
        return self.sql(
            "create_fk",
            table=model.table,
            name=name,
            column=spec.column,
            to_table=to_model.table,
            to_column=to_field.column,
            deferrable=self.b.deferrable,
        )

    def indexed(self, spec: FieldSpec, origin: Origin) -> bool:
        """``_field_should_be_indexed``: MySQL leaves a foreign key's index to InnoDB and
        never indexes text or blob columns."""
        if not spec.db_index or spec.unique:
            return False
        if self.b.fk_index and not self.b.unindexed_types:
            return True
        if not self.b.fk_index and spec.kind == "ForeignKey" and spec.db_constraint:
            return False
        return self.column_type(spec, origin).lower() not in self.b.unindexed_types

    def unique_name(self, table: str, column: str) -> str:
        return self.b.unique_name.format(table=table, column=column)

    def field_indexes(self, model: ModelState, spec: FieldSpec, origin: Origin) -> None:
        """``_field_indexes_sql``: the plain index and PostgreSQL's ``_like`` index."""
        table, column = model.table, spec.column
        if self.indexed(spec, origin):
            name = self.index_name(table, [column])
            self.names[(table, column, "index")] = name
            sql = f"CREATE INDEX {self.q(name)} ON {self.q(table)} ({self.q(column)})"
            self.defer(sql, origin, table, column)
        self.like_index(model, spec, origin, deferred=True)

    def like_index(
        self, model: ModelState, spec: FieldSpec, origin: Origin, deferred: bool
    ) -> None:
        if not (spec.db_index or spec.unique) or not self.b.like_index:
            return
        typed = self.column_type(spec, origin) if spec.is_relation else db_type(spec)
        if typed is None or "[" in typed:
            return
        if typed.startswith("varchar"):
            opclass = "varchar_pattern_ops"
        elif typed.startswith("text"):
            opclass = "text_pattern_ops"
        else:
            return
        table, column = model.table, spec.column
        name = self.index_name(table, [column], "_like")
        self.names[(table, column, "like")] = name
        sql = f"CREATE INDEX {self.q(name)} ON {self.q(table)} ({self.q(column)} {opclass})"
        if deferred:
            self.defer(sql, origin, table, column)
        else:
            self.emit(sql, origin)

    # Models -------------------------------------------------------------------------------

    def create_model(
        self, model: ModelState, origin: Origin, create_as: str | None = None, m2m: bool = True
    ) -> None:
        """``create_model``; `create_as` names the table of ``CREATE TABLE`` only (SQLite's
        ``new__`` table, renamed before the deferred statements run), `m2m` makes the
        tables of many-to-many fields too."""
        table = model.table
        q = self.q
        for together in model.unique_together:
            self.defer(self.unique_together_sql(model, together, origin), origin, table)
        lines = []
        for spec in model.local_fields():
            lines.append(f"{q(spec.column)} {self.definition(spec, origin)}")
            if spec.unique and not spec.primary_key:
                self.names[(table, spec.column, "unique")] = self.unique_name(table, spec.column)
            fk = self.fk_sql(model, spec, origin)
            if fk:
                self.defer(fk, origin, table, spec.column)
        for constraint in model.constraints:
            inline = self.constraint_inline(model, constraint, origin)
            if inline is not None:
                lines.append(inline)
            else:
                created = self.constraint_create(model, constraint, origin)
                if created is not None:
                    self.defer(created, origin, table)
        self.emit(f"CREATE TABLE {q(create_as or table)} ({', '.join(lines)})", origin)
        if not self.b.fk_index:
            self.cover(model, origin)
        for spec in model.local_fields():
            self.field_indexes(model, spec, origin)
        for index in model.indexes:
            self.defer(self.index_sql(model, index, origin), origin, table)
        for spec in model.m2m_fields() if m2m else []:
            through = self.auto_through(model, spec, origin)
            if through is not None:
                self.create_model(through, origin)

    def cover(self, model: ModelState, origin: Origin) -> None:
        """Note the foreign keys a unique index made before them (``unique_together`` and
        unique constraints precede them in ``create_model``) leaves without their own."""
        leading = [t[0] for t in model.unique_together if t]
        leading += [c.fields[0] for c in model.constraints if c.kind == "unique" and c.fields]
        for name in leading:
            spec = model.get(name)
            if spec is not None and spec.kind == "ForeignKey" and spec.db_constraint:
                self.covered.add((model.table, spec.column))

    def missing_fk_index(self, model: ModelState, fields: list[str], origin: Origin) -> None:
        """MySQL's ``_create_missing_fk_index``: before the composite index that stands in
        for a foreign key's index goes, Django gives the key a plain index."""
        spec = model.get(fields[0].lstrip("-")) if fields else None
        if spec is None or (model.table, spec.column) not in self.covered:
            return
        self.covered.discard((model.table, spec.column))
        name, table = self.index_name(model.table, [spec.column]), model.table
        self.emit(f"CREATE INDEX {self.q(name)} ON {self.q(table)} ({self.q(spec.column)})", origin)

    def delete_model(self, model: ModelState, origin: Origin) -> None:
        for spec in model.m2m_fields():
            through = self.auto_through(model, spec, origin)
            if through is not None:
                self.delete_model(through, origin)
        self.emit(self.sql("delete_table", table=model.table), origin)
        self.deferred = [d for d in self.deferred if d.table != model.table]

    def remake(self, model: ModelState, origin: Origin, last: tuple[str, ...] = ()) -> None:
        """SQLite's ``_remake_table``: the table made anew from `model` (the state after the
        change), the fields in `last` (added or altered) moved to the end as Django's model
        body puts them, then dropped, renamed, and its indexes made again."""
        table = model.table
        self.deferred = [d for d in self.deferred if d.table != table]
        fields = {n: f for n, f in model.fields.items() if n not in last}
        fields.update({n: model.fields[n] for n in last if n in model.fields})
        temp = f"new__{table}"
        self.create_model(replace(model, fields=fields), origin, create_as=temp, m2m=False)
        self.emit(self.sql("delete_table", table=table), origin)
        self.emit(self.sql("rename_table", old=temp, new=table), origin)
        self.flush()

    def auto_through(self, model: ModelState, spec: FieldSpec, origin: Origin) -> ModelState | None:
        """The model Django creates for a many-to-many field without ``through``."""
        if spec.through is not None:
            return None
        to = self.project.model(spec.target)
        if to is None:
            self.note("django-relation", f"`{spec.name}` points at an unknown model", origin)
            return None
        from_name, to_name = model.name.lower(), to.name.lower()
        if from_name == to_name:
            from_name, to_name = f"from_{from_name}", f"to_{to_name}"
        given = spec.kwargs.get("db_table")
        table = (
            given
            if isinstance(given, str)
            else truncate_name(f"{model.table}_{spec.name}", self.b.max_name)
        )
        pk = FieldSpec("id", self.project.auto_field(model.app_label), {"primary_key": True})
        constraint = spec.kwargs.get("db_constraint", True)
        side = {"db_constraint": constraint}
        fields = {
            "id": pk,
            from_name: FieldSpec(from_name, "ForeignKey", dict(side), target=model.key),
            to_name: FieldSpec(to_name, "ForeignKey", dict(side), target=to.key),
        }
        name = f"{model.name}_{spec.name}"
        return ModelState(
            model.app_label, name, fields, table, [(from_name, to_name)], path=spec.path
        )

    def alter_db_table(self, old: str, new: str, origin: Origin) -> None:
        if old == new:
            return
        self.emit(self.sql("rename_table", old=old, new=new), origin)
        self.names = {((new if t == old else t), c, k): n for (t, c, k), n in self.names.items()}

    # Fields -------------------------------------------------------------------------------

    def add_field(self, model: ModelState, spec: FieldSpec, origin: Origin) -> None:
        if spec.many_to_many:
            through = self.auto_through(model, spec, origin)
            if through is not None:
                self.create_model(through, origin)
            return
        table = model.table
        if self.b.remake and (
            spec.unique
            or not spec.null
            or spec.db_default is not None
            or spec.kwargs.get("default") is not None
        ):
            self.remake(model, origin, last=(spec.name,))
            return
        fk = self.fk_sql(model, spec, origin)
        definition = self.definition(spec, origin)
        q = self.q
        self.emit(f"ALTER TABLE {q(table)} ADD COLUMN {q(spec.column)} {definition}", origin)
        if fk and self.b.name == "mysql":
            self.emit(fk, origin)  # ``sql_create_column_inline_fk``: with the column
        elif fk:
            self.defer(fk, origin, table, spec.column)
        if spec.unique and not spec.primary_key:
            self.names[(table, spec.column, "unique")] = self.unique_name(table, spec.column)
        self.field_indexes(model, spec, origin)

    def remove_field(self, model: ModelState, spec: FieldSpec, origin: Origin) -> None:
        """`model` is the state without the field."""
        if spec.many_to_many:
            through = self.auto_through(model, spec, origin)
            if through is not None:
                self.emit(self.sql("delete_table", table=through.table), origin)
            return
        table, column = model.table, spec.column
        if self.b.remake and (
            spec.unique or spec.db_index or (spec.is_relation and spec.db_constraint)
        ):
            self.remake(model, origin)
            return
        fk = self.names.pop((table, column, "fk"), None)
        if fk is not None and spec.is_relation:
            self.emit(self.sql("delete_fk", table=table, name=fk), origin)
        self.emit(self.sql("delete_column", table=table, column=column), origin)
        self.deferred = [d for d in self.deferred if (d.table, d.column) != (table, column)]
        for kind in ("unique", "index", "like"):
            self.names.pop((table, column, kind), None)

    def alter_field(
        self,
        model: ModelState,
        old: FieldSpec,
        new: FieldSpec,
        origin: Origin,
        old_to_table: str | None = None,
    ) -> None:
        """``_alter_field``, in its order: drop what changes, rename, retype, renull, re-add.
        `model` is the state after the change; `old_to_table` is the table the old relation
        pointed at when that model is gone from the state (a renamed model)."""
        if old.many_to_many or new.many_to_many:
            if old.many_to_many and new.many_to_many:
                return
            message = f"changing `{new.name}` to or from many-to-many is not read"
            self.note("django-alter", message, origin)
            return
        if old_to_table is None and old.is_relation:
            found = self.project.model(old.target)
            old_to_table = found.table if found else None
        altered = self.should_alter(old, new, old_to_table)
        if self.b.remake:
            if altered:
                self.remake_field(model, old, new, origin)
            return
        q, sql = self.q, self.sql
        table = model.table
        old_col, new_col = old.column, new.column
        old_type, new_type = self.column_type(old, origin), self.column_type(new, origin)
        fk_dropped = False
        if old.is_relation and old.db_constraint and altered:
            name = self.names.pop((table, old_col, "fk"), None)
            if name:
                fk_dropped = True
                self.emit(sql("delete_fk", table=table, name=name), origin)
        if old.unique and not old.primary_key and not new.unique:
            name = self.names.pop((table, old_col, "unique"), None)
            if name:
                self.emit(sql("delete_unique", table=table, name=name), origin)
        old_indexed = old.db_index and not old.unique
        if old_indexed and (not new.db_index or new.unique):
            self._drop_index(table, old_col, "index", origin)
        text_change = old_type.split("(")[0] != new_type.split("(")[0]
        if (old.db_index or old.unique) and (text_change or not (new.db_index or new.unique)):
            self._drop_index(table, old_col, "like", origin)
        if old_col != new_col:
            self.emit(sql("rename_column", table=table, old=old_col, new=new_col), origin)
            self.names = {
                (t, (new_col if (t, c) == (table, old_col) else c), k): n
                for (t, c, k), n in self.names.items()
            }
        if old_type != new_type:
            kept = "NULL" if old.null else "NOT NULL"
            retype = sql("alter_type", table=table, column=new_col, type=new_type, null=kept)
            self.emit(retype, origin)
        if old.db_default != new.db_default:
            if new.db_default:
                change = sql("set_default", table=table, column=new_col, default=new.db_default)
            else:
                change = sql("drop_default", table=table, column=new_col)
            self.emit(change, origin)
        if old.null != new.null:
            template = "alter_null" if new.null else "alter_not_null"
            self.emit(sql(template, table=table, column=new_col, type=new_type), origin)
        if old.primary_key != new.primary_key:
            self.note("django-alter", f"a primary key change on `{new.name}` is not read", origin)
        if new.unique and not new.primary_key and not (old.unique and not old.primary_key):
            name = self.index_name(table, [new_col], "_uniq")
            self.names[(table, new_col, "unique")] = name
            self.emit(sql("create_unique", table=table, name=name, columns=new_col), origin)
        new_indexed = new.db_index and not new.unique
        untracked = self.b.fk_index and (table, new_col, "index") not in self.names
        if new_indexed and (not old_indexed or untracked):
            name = self.index_name(table, [new_col])
            self.names[(table, new_col, "index")] = name
            self.emit(f"CREATE INDEX {q(name)} ON {q(table)} ({q(new_col)})", origin)
        if (new.db_index or new.unique) and (table, new_col, "like") not in self.names:
            self.like_index(model, new, origin, deferred=False)
        readd = fk_dropped or not old.is_relation or not old.db_constraint
        if new.is_relation and new.db_constraint and readd:
            fk = self.fk_sql(model, new, origin)
            if fk:
                self.emit(fk, origin)

    def remake_field(
        self, model: ModelState, old: FieldSpec, new: FieldSpec, origin: Origin
    ) -> None:
        """SQLite's ``_alter_field``: a rename alone is ``RENAME COLUMN``, all else a remake."""
        relation = (old.is_relation and old.db_constraint) or (
            new.is_relation and new.db_constraint
        )
        same = self.definition(old, origin) == self.definition(new, origin)
        if old.column != new.column and same and not relation:
            rename = self.sql("rename_column", table=model.table, old=old.column, new=new.column)
            self.emit(rename, origin)
            return
        self.remake(model, origin, last=(new.name,))

    def should_alter(self, old: FieldSpec, new: FieldSpec, old_to_table: str | None) -> bool:
        """``_field_should_be_altered``: does anything the database sees differ?"""
        if old.column != new.column or old.kind != new.kind:
            return True
        if old.db_default != new.db_default or _db_kwargs(old) != _db_kwargs(new):
            return True
        if old.base is not None or new.base is not None:
            return repr(old.base) != repr(new.base)
        if old.is_relation and new.is_relation:
            found = self.project.model(new.target)
            return (found.table if found else None) != old_to_table
        return False

    def _drop_index(self, table: str, column: str, kind: str, origin: Origin) -> None:
        name = self.names.pop((table, column, kind), None)
        if name:
            self.emit(self.sql("delete_index", table=table, name=name), origin)

    # Indexes and constraints --------------------------------------------------------------

    def columns(self, model: ModelState, names: list[str], origin: Origin) -> list[str]:
        out = []
        for name in names:
            spec = model.get(name)
            if spec is None:
                self.note("django-field", f"{model.name} has no field `{name}`", origin)
                out.append(name)
            else:
                out.append(spec.column)
        return out

    def unique_together_sql(
        self, model: ModelState, together: tuple[str, ...], origin: Origin
    ) -> str:
        columns = self.columns(model, list(together), origin)
        name = self.index_name(model.table, columns, "_uniq")
        cols = ", ".join(self.q(c) for c in columns)
        return self.sql("create_unique", table=model.table, name=name, columns=_Raw(cols))

    def alter_unique_together(
        self,
        model: ModelState,
        old: list[tuple[str, ...]],
        new: list[tuple[str, ...]],
        origin: Origin,
    ) -> None:
        for together in old:
            if together not in new:
                self.missing_fk_index(model, list(together), origin)
                columns = self.columns(model, list(together), origin)
                name = self.index_name(model.table, columns, "_uniq")
                self.emit(self.sql("delete_unique", table=model.table, name=name), origin)
        for together in new:
            if together not in old:
                self.emit(self.unique_together_sql(model, together, origin), origin)

    def add_index(self, model: ModelState, index: IndexSpec, origin: Origin) -> None:
        self.emit(self.index_sql(model, index, origin), origin)

    def remove_index(
        self, model: ModelState, name: str, origin: Origin, index: IndexSpec | None = None
    ) -> None:
        """`index` is the one removed, when the state had it."""
        if index is not None and not self.b.fk_index:
            self.missing_fk_index(model, index.fields, origin)
        self.emit(self.sql("delete_index", table=model.table, name=name), origin)

    def rename_index(self, model: ModelState, old: str, new: str, origin: Origin) -> None:
        """``rename_index``; SQLite cannot, so Django drops the index and makes it again."""
        if not self.b.remake:
            self.emit(self.sql("rename_index", table=model.table, old=old, new=new), origin)
            return
        self.remove_index(model, old, origin)
        index = next((i for i in model.indexes if i.name == new), None)
        if index is not None:
            self.add_index(model, index, origin)

    def index_sql(
        self, model: ModelState, index: IndexSpec, origin: Origin, unique: bool = False
    ) -> str:
        keys = []
        for position, name in enumerate(index.fields):
            descending = name.startswith("-")
            column = self.columns(model, [name.lstrip("-")], origin)[0]
            key = self.q(column)
            if position < len(index.opclasses) and self.b.name == "postgresql":
                key += f" {index.opclasses[position]}"
            keys.append(key + (" DESC" if descending else ""))
        if index.expressions:
            self.note("django-index", f"expressions of index {index.name} are not read", origin)
        where = ""
        if index.condition is not None and self.b.partial_indexes:
            where = f" WHERE {self.condition_sql(model, index.condition, origin)}"
        kind = "UNIQUE INDEX" if unique else "INDEX"
        name, table = self.q(index.name or ""), self.q(model.table)
        return f"CREATE {kind} {name} ON {table} ({', '.join(keys)}){where}"

    def constraint_inline(self, model: ModelState, c: ConstraintSpec, origin: Origin) -> str | None:
        """The ``CONSTRAINT ...`` clause inside ``CREATE TABLE``, or ``None`` when Django
        creates it afterwards (a conditional unique constraint is a unique index)."""
        if c.kind == "check":
            condition = self.condition_sql(model, c.condition, origin)
            return f"CONSTRAINT {self.q(c.name)} CHECK ({condition})"
        if c.condition is not None or c.expressions:
            return None
        cols = ", ".join(self.q(x) for x in self.columns(model, c.fields, origin))
        return f"CONSTRAINT {self.q(c.name)} UNIQUE ({cols})"

    def constraint_create(self, model: ModelState, c: ConstraintSpec, origin: Origin) -> str | None:
        """The statement that adds `c`; ``None`` where Django creates nothing (a
        conditional unique constraint without partial indexes)."""
        inline = self.constraint_inline(model, c, origin)
        if inline is not None:
            return f"ALTER TABLE {self.q(model.table)} ADD {inline}"
        if c.condition is not None and not self.b.partial_indexes:
            return None
        index = IndexSpec(c.name, c.fields, c.condition, [], c.expressions, c.line)
        return self.index_sql(model, index, origin, unique=True)

    def add_constraint(self, model: ModelState, c: ConstraintSpec, origin: Origin) -> None:
        """`model` is the state with the constraint; SQLite remakes the table unless the
        constraint is a unique index."""
        if self.b.remake and self.constraint_inline(model, c, origin) is not None:
            self.remake(model, origin)
            return
        created = self.constraint_create(model, c, origin)
        if created is not None:
            self.emit(created, origin)

    def remove_constraint(self, model: ModelState, c: ConstraintSpec, origin: Origin) -> None:
        """`model` is the state without the constraint."""
        indexed = c.kind == "unique" and (c.condition is not None or c.expressions)
        if indexed:
            if c.condition is None or self.b.partial_indexes:
                self.emit(self.sql("delete_index", table=model.table, name=c.name), origin)
        elif self.b.remake:
            self.remake(model, origin)
        elif c.kind == "check":
            self.emit(self.sql("delete_check", table=model.table, name=c.name), origin)
        else:
            if not self.b.fk_index:
                self.missing_fk_index(model, c.fields, origin)
            self.emit(self.sql("delete_unique", table=model.table, name=c.name), origin)

    def condition_sql(self, model: ModelState, tree: object, origin: Origin) -> str:
        """A ``Q`` tree as SQL; what is not static becomes ``TRUE`` with a note, so the
        constraint keeps its name."""
        try:
            return _q_sql(model, tree, self.q)
        except ValueError as exc:
            self.note("django-condition", f"condition not read ({exc}); read as TRUE", origin)
            return "TRUE"


class _Raw(str):
    """SQL already quoted, passed through `Editor.sql` as it is."""


# Template keywords that are SQL, not identifiers.
_RAW = frozenset({"type", "null", "default", "deferrable"})


# Field options that do not reach the database (``Field.non_db_attrs``).
NON_DB = frozenset(
    {
        "blank",
        "choices",
        "db_column",
        "editable",
        "error_messages",
        "help_text",
        "limit_choices_to",
        "on_delete",
        "related_name",
        "related_query_name",
        "validators",
        "verbose_name",
    }
)


def _db_kwargs(spec: FieldSpec) -> str:
    return repr(sorted((k, repr(v)) for k, v in spec.kwargs.items() if k not in NON_DB))


_OPS = {"exact": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def _q_sql(model: ModelState, tree: object, q: Callable[[str], str] = q) -> str:
    if isinstance(tree, Dynamic) or tree is None:
        raise ValueError(f"`{getattr(tree, 'text', tree)}`")
    assert isinstance(tree, tuple)
    if len(tree) == 3 and tree[0] in ("AND", "OR"):
        connector, negated, children = tree
        parts = [_q_sql(model, child, q) for child in children]
        sql = f" {connector} ".join(parts)
        sql = f"({sql})" if len(parts) > 1 else sql
        return f"NOT ({sql})" if negated else sql
    lookup, value = tree
    name, _, op = str(lookup).partition("__")
    spec = model.get(name)
    if spec is None:
        raise ValueError(f"no field `{name}`")
    column = q(spec.column)
    op = op or "exact"
    if op == "isnull":
        return f"{column} IS {'NULL' if value else 'NOT NULL'}"
    if op == "in" and isinstance(value, list):
        return f"{column} IN ({', '.join(_value_sql(model, v, q) for v in value)})"
    if op == "exact" and value is None:
        return f"{column} IS NULL"
    if op not in _OPS:
        raise ValueError(f"lookup `{op}`")
    return f"{column} {_OPS[op]} {_value_sql(model, value, q)}"


def _value_sql(model: ModelState, value: object, q: Callable[[str], str] = q) -> str:
    from dbdrift.readers.django.calls import literal

    if isinstance(value, tuple) and len(value) == 2 and value[0] == "F":
        spec = model.get(str(value[1]))
        if spec is None:
            raise ValueError(f"no field `{value[1]}`")
        return q(spec.column)
    if isinstance(value, Dynamic):
        raise ValueError(f"`{value.text}`")
    sql = literal(value)
    if sql is None:
        raise ValueError(f"value `{value!r}`")
    return sql
