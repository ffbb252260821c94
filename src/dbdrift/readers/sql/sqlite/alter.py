"""ALTER TABLE: RENAME TO, RENAME COLUMN, ADD COLUMN and DROP COLUMN, each refused where
SQLite refuses it (``alter.c``), with renames carried into the expressions, indexes,
foreign keys, views and triggers that name the old spelling."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from dbdrift.readers.sql.catalog import Catalog, MutTable
from dbdrift.readers.sql.sqlite.builder import (
    ColumnDef,
    TableBuilder,
    build_column,
    known_columns,
)
from dbdrift.readers.sql.sqlite.common import Refused, fold
from dbdrift.readers.sql.sqlite.parser import Parser, expression_uses, rename_in
from dbdrift.schema import Origin
from dbdrift.types.sqlite import is_std_type

if TYPE_CHECKING:
    from dbdrift.readers.sql.sqlite.state import State


class AlterStatements:
    """ALTER TABLE (a mixin of `Replay`)."""

    catalog: Catalog
    state: State
    foreign_keys: bool
    legacy_alter_table: bool

    def alter_table(self, p: Parser, origin: Origin) -> None:
        """``ALTER TABLE [db.]name`` and its one action: RENAME TO / COLUMN, ADD, DROP."""
        p.expect("ALTER")
        p.expect("TABLE")
        schema, name = p.qualified()
        if p.take("RENAME"):
            if p.take("TO"):
                new = p.name()
                p.end()
                table = self._alterable(schema, name, "")
                if table is None:
                    self._temporary_alter(origin)
                else:
                    self._rename_table(table, new, origin)
                return
            p.take("COLUMN")
            old = p.name()
            p.expect("TO")
            new = p.name()
            p.end()
            table = self._alterable(schema, name, "")
            if table is None:
                self._temporary_alter(origin)
            else:
                self._rename_column(table, old, new, origin)
        elif p.take("ADD"):
            p.take("COLUMN")
            table = self._alterable(schema, name, "Cannot add a column to a view")
            self._add_column(p, table, origin)
        elif p.take("DROP"):
            p.take("COLUMN")
            column = p.name()
            p.end()
            table = self._alterable(schema, name, "cannot drop column from view")
            if table is None:
                self._temporary_alter(origin)
            else:
                self._drop_column(table, column, origin)
        else:
            raise p.error()

    def _temporary_alter(self, origin: Origin) -> None:
        self.catalog.note("temporary", "ALTER TABLE of a temporary table: not modelled", origin)

    def _alterable(self, schema: str | None, name: str, view_message: str) -> MutTable | None:
        """The table an ALTER TABLE acts on; ``None`` for a TEMP table (not modelled)."""
        place = self.resolve(schema, name)
        if place is None:
            raise Refused(f"no such table: {name if schema is None else schema + '.' + name}")
        if place == "temp":
            if self.state.temp.get(fold(name)) is None:
                raise Refused(view_message or f"view {name} may not be altered")
            return None
        if fold(name).startswith("sqlite_"):
            raise Refused(f"table {name} may not be altered")
        if fold(name) in self.state.views:
            raise Refused(view_message or f"view {name} may not be altered")
        if fold(name) in self.state.virtual:
            raise Refused("virtual tables may not be altered")
        table = self.find_table(name)
        assert table is not None
        return table

    def _rename_table(self, table: MutTable, new: str, origin: Origin) -> None:
        if self.taken_by_table(new) or self.index_exists(new):
            raise Refused(f"there is already another table or index with this name: {new}")
        self.check_object_name(new)
        self.schema_still_valid()
        old = table.name
        old_key, new_key = fold(old), fold(new)
        self.catalog.remove_table(table.key)
        del self.state.tables[old_key]
        facts = self.state.facts.pop(old_key)
        table.name = new
        table.origin = origin
        prefix = f"sqlite_autoindex_{old}_"

        def renamed(index: str | None) -> str | None:
            if index and fold(index).startswith(fold("sqlite_autoindex_")):
                return f"sqlite_autoindex_{new}_" + index[len(prefix) :]
            return index

        if table.primary_key:
            table.primary_key = replace(table.primary_key, name=renamed(table.primary_key.name))
        table.uniques = [replace(u, name=renamed(u.name)) for u in table.uniques]
        self.add_table(table, facts)
        for index, owner in self.state.indexes.items():
            if owner == old_key:
                self.state.indexes[index] = new_key
        for trigger, (owner, uses) in self.state.triggers.items():
            self.state.triggers[trigger] = (new_key if owner == old_key else owner, uses)
        for _, uses in self.users():
            uses.renamed_table(old_key, new_key)
        if not self.legacy_alter_table or self.foreign_keys:
            for other in self.state.tables.values():
                other.foreign_keys = [
                    replace(f, ref_table=new) if fold(f.ref_table) == old_key else f
                    for f in other.foreign_keys
                ]

    def _rename_column(self, table: MutTable, old: str, new: str, origin: Origin) -> None:
        current = next((c for c in table.columns if fold(c) == fold(old)), None)
        if current is None:
            raise Refused(f'no such column: "{old}"')
        if any(fold(c) == fold(new) and c != current for c in table.columns):
            raise Refused(f"duplicate column name: {new}")
        self.schema_still_valid()
        table.rename_column(current, new)
        table.columns[new] = replace(table.columns[new], origin=origin)
        for name, col in table.columns.items():
            if col.generated:
                table.columns[name] = replace(col, generated=rename_in(col.generated, old, new))
        table.checks = [
            replace(c, expression=rename_in(c.expression, old, new) or c.expression)
            for c in table.checks
        ]
        table.indexes = [
            replace(
                i,
                columns=tuple(
                    rename_in(k, old, new) or k if k.startswith("(") else k for k in i.columns
                ),
                where=rename_in(i.where, old, new),
            )
            for i in table.indexes
        ]
        for _, uses in self.users():
            uses.renamed_column(fold(table.name), fold(old), fold(new))
        facts = self.state.facts[fold(table.name)]
        facts.check_owner = [fold(new) if o == fold(old) else o for o in facts.check_owner]
        facts.fk_owner = [fold(new) if o == fold(old) else o for o in facts.fk_owner]
        for other in self.state.tables.values():
            other.foreign_keys = [
                replace(
                    f,
                    ref_columns=tuple(new if fold(c) == fold(old) else c for c in f.ref_columns),
                )
                if fold(f.ref_table) == fold(table.name)
                else f
                for f in other.foreign_keys
            ]

    def _add_column(self, p: Parser, table: MutTable | None, origin: Origin) -> None:
        """``ALTER TABLE ... ADD COLUMN``, restricted as ``sqlite3AlterFinishAddColumn`` does."""
        b = TableBuilder(table.name if table else "", origin)
        facts = self.state.facts.get(fold(table.name)) if table else None
        if table is not None:
            for col in table.columns.values():
                b.columns.append(ColumnDef(col.name, col.type.sql, origin))
        col = self.column_def(p, b)
        p.end()
        if table is None or facts is None:
            self._temporary_alter(origin)
            return
        if col.primary:
            raise Refused("Cannot add a PRIMARY KEY column")
        if b.autos:
            raise Refused("Cannot add a UNIQUE column")
        names = {fold(c.name) for c in b.columns}
        for _, _, tokens in b.checks:
            known_columns(tokens, names, b)
        for _, tokens in b.generated:
            known_columns(tokens, names, b)
        if facts.strict:
            if not col.declared:
                raise Refused(f"missing datatype for {table.name}.{col.name}")
            if not is_std_type(col.declared):
                raise Refused(f'unknown datatype for {table.name}.{col.name}: "{col.declared}"')
        default = None if col.default is not None and col.default.upper() == "NULL" else col.default
        if facts.has_rows:
            if col.generated is not None and col.stored:
                raise Refused("cannot add a STORED column")
            if col.generated is None:
                if self.foreign_keys and b.fks and default is not None:
                    raise Refused("Cannot add a REFERENCES column with non-NULL default value")
                if col.notnull and default is None:
                    raise Refused("Cannot add a NOT NULL column with default value NULL")
                if default is not None and not col.default_constant:
                    raise Refused("Cannot add a column with non-constant default")
        table.columns[col.name] = build_column(col, b, set())
        table.foreign_keys.extend(fk for fk, _ in b.fks)
        facts.fk_owner.extend(fold(col.name) for _ in b.fks)
        table.checks.extend(c for c, _, _ in b.checks)
        facts.check_owner.extend(fold(col.name) for _ in b.checks)

    def _drop_column(self, table: MutTable, column: str, origin: Origin) -> None:
        """``ALTER TABLE ... DROP COLUMN``: refused while anything else still uses it."""
        name = next((c for c in table.columns if fold(c) == fold(column)), None)
        if name is None:
            raise Refused(f'no such column: "{column}"')
        key = fold(name)
        facts = self.state.facts[fold(table.name)]
        if table.primary_key and key in {fold(c) for c in table.primary_key.columns}:
            raise Refused(f'cannot drop PRIMARY KEY column: "{name}"')
        if any(key in {fold(c) for c in u.columns} for u in table.uniques):
            raise Refused(f'cannot drop UNIQUE column: "{name}"')
        if len(table.columns) == 1:
            raise Refused(f'cannot drop column "{name}": no other columns exist')
        self.schema_still_valid(dropped=(fold(table.name), key))
        for index in table.indexes:
            if any(
                fold(k) == key or (k.startswith("(") and expression_uses(k, name))
                for k in index.columns
            ):
                raise Refused(
                    f"error in index {index.name} after drop column: no such column: {name}"
                )
            if expression_uses(index.where, name):
                raise Refused(
                    f"error in index {index.name} after drop column: no such column: {name}"
                )
        for check, owner in zip(table.checks, facts.check_owner, strict=True):
            if owner != key and expression_uses(check.expression, name):
                raise Refused(
                    f"error in table {table.name} after drop column: no such column: {name}"
                )
        for fk, owner in zip(table.foreign_keys, facts.fk_owner, strict=True):
            if owner != key and key in {fold(c) for c in fk.columns}:
                raise Refused(
                    f"error in table {table.name} after drop column: "
                    f'unknown column "{name}" in foreign key definition'
                )
        for other in table.columns.values():
            if fold(other.name) != key and expression_uses(other.generated, name):
                raise Refused(
                    f"error in table {table.name} after drop column: no such column: {name}"
                )
        keep_checks = [o != key for o in facts.check_owner]
        keep_fks = [o != key for o in facts.fk_owner]
        table.checks = [c for c, keep in zip(table.checks, keep_checks, strict=True) if keep]
        facts.check_owner = [o for o in facts.check_owner if o != key]
        table.foreign_keys = [
            f for f, keep in zip(table.foreign_keys, keep_fks, strict=True) if keep
        ]
        facts.fk_owner = [o for o in facts.fk_owner if o != key]
        del table.columns[name]
