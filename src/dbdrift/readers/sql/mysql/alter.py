"""ALTER TABLE, all or nothing, as ``mysql_prepare_alter_table`` does: the actions apply to
a copy of the table (index, key and constraint actions here, column actions in
alter_columns.py), the result is checked as CREATE TABLE checks one, and only then does it
replace the table, under its new name if the statement renames it."""

from __future__ import annotations

import copy
from typing import Any

from dbdrift.readers.sql.catalog import Catalog
from dbdrift.readers.sql.mysql.actions import alter_actions
from dbdrift.readers.sql.mysql.alter_columns import ColumnPlan
from dbdrift.readers.sql.mysql.common import Refused, same
from dbdrift.readers.sql.mysql.elements import Pending, read_element
from dbdrift.readers.sql.mysql.model import MyTable
from dbdrift.readers.sql.mysql.statements import Statement
from dbdrift.schema import Origin


class AlterTable:
    """ALTER TABLE (a mixin of `Replay`)."""

    catalog: Catalog
    tables: dict[str, MyTable]
    fk_checks: bool

    def alter_table(self, st: Statement, origin: Origin) -> None:
        """ALTER TABLE: read its actions, then apply them together."""
        name, actions = alter_actions(st)
        self.apply_alter(name, actions, st, origin)

    def apply_alter(
        self, name: str, actions: list[tuple[Any, ...]], st: Statement, origin: Origin
    ) -> None:
        """Apply ALTER TABLE actions the way mysql_prepare_alter_table does, all or nothing.

        1. Index, key and constraint actions apply in order; new keys wait in `pending`.
        2. Column actions name the table's columns as they were before the statement: each
           is dropped or redefined once at most, then added columns and moves follow, in
           statement order (an ADD then a MODIFY of the same new column is allowed).
        3. The complete definition is checked as CREATE TABLE checks one (`prepare`).
        """
        current = self.tables.get(name)
        if current is None:
            raise Refused(f"Table '{name}' doesn't exist (MariaDB error 1146)")
        t = copy.deepcopy(current)
        pending = Pending()
        plan = ColumnPlan()
        new_name = name
        dropped_primary = False
        for action in actions:
            op = action[0]
            line = action[-1] if isinstance(action[-1], int) else st.line
            where = Origin(origin.path, line)
            if op in ("add_column", "modify", "rename_column", "drop_column", "set_default"):
                self.plan_column(t, plan, action, where, pending, origin)
            elif op == "element":
                read_element(action[1], where, pending)
            elif op == "drop_primary":
                if not any(k.kind == "primary" for k in t.keys):
                    raise Refused(
                        "Can't DROP INDEX `PRIMARY`; check that it exists (MariaDB error 1091)"
                    )
                t.keys = [k for k in t.keys if k.kind != "primary"]
                dropped_primary = True
            elif op == "drop_index":
                _, index, if_exists, _line = action
                key = t.key(index)
                if key is None:
                    if if_exists:
                        self.catalog.note("skipped", f"Index '{index}' does not exist", origin)
                        continue
                    raise Refused(
                        f"Can't DROP INDEX `{index}`; check that it exists (MariaDB error 1091)"
                    )
                t.keys.remove(key)
            elif op == "drop_fk":
                _, fk_name, if_exists, _line = action
                fk = next((f for f in t.fks if f.name and same(f.name, fk_name)), None)
                if fk is None:
                    if if_exists:
                        self.catalog.note(
                            "skipped", f"Foreign key '{fk_name}' does not exist", origin
                        )
                        continue
                    raise Refused(
                        f"Can't DROP FOREIGN KEY `{fk_name}`; check that it exists "
                        "(MariaDB error 1091)"
                    )
                t.fks.remove(fk)
            elif op == "drop_constraint":
                _, cname, if_exists, _line = action
                if not self._drop_constraint(t, cname, False):
                    if if_exists:
                        self.catalog.note("skipped", f"Constraint '{cname}' does not exist", origin)
                        continue
                    raise Refused(
                        f"Can't DROP CONSTRAINT `{cname}`; check that it exists "
                        "(MariaDB error 1091)"
                    )
            elif op == "drop_check":
                raise Refused(
                    "syntax error (MariaDB error 1064): MariaDB drops a check with "
                    f"DROP CONSTRAINT {action[1]}, not DROP CHECK"
                )
            elif op == "rename_index":
                _, old, new, _line = action
                key = t.key(old)
                if key is None:
                    raise Refused(
                        f"Key '{old}' doesn't exist in table '{name}' (MariaDB error 1176)"
                    )
                if t.key(new) is not None and not same(old, new):
                    raise Refused(f"Duplicate key name '{new}' (MariaDB error 1061)")
                key.name = new
            elif op == "rename_table":
                new_name = action[1]  # the last RENAME TO of the statement wins
            elif op == "note":
                self.catalog.note("unsupported", action[1], where)
            else:  # pragma: no cover - every action kind is listed above
                raise Refused(f"unsupported ALTER TABLE action {op}")
        if new_name != name and new_name in self.tables:
            raise Refused(f"Table '{new_name}' already exists (MariaDB error 1050)")
        renamed, changed_types = self.apply_column_plan(t, plan)
        self.check_type_changes(t, changed_types)  # even with FOREIGN_KEY_CHECKS=0
        needs_copy = bool(
            changed_types
            or pending.checks
            or (pending.fks and self.fk_checks)
            or (dropped_primary and not any(k.kind == "primary" for k in pending.keys))
        )
        if needs_copy and self._renames_fk_column(t, renamed):
            raise Refused(
                "ALGORITHM=COPY is not supported. Reason: Columns participating in a foreign "
                "key are renamed. Try ALGORITHM=INPLACE (MariaDB error 1846)"
            )
        # Other tables' foreign keys follow renamed columns of this table.
        others = {n: tb for n, tb in self.tables.items() if n != name}
        saved = self.tables
        self.tables = {**others, name: t}
        try:
            self._propagate_column_renames(name, renamed, self_too=True)
            self.prepare(t, pending, created=False, before=current.keys)
        except Refused:
            self.tables = saved
            raise
        self.tables = saved
        self._propagate_column_renames(name, renamed, self_too=False)
        if new_name != name:
            self.check_adoption(name, new_name, t)
            self.commit_rename([(name, new_name)], {name: t})
        else:
            self.tables[name] = t

    def _renames_fk_column(self, t: MyTable, renamed: dict[str, str]) -> bool:
        """Whether the statement renames a column of a foreign key (either side); only the
        in-place algorithm can do that, so a change that needs a table copy is refused."""
        if not renamed:
            return False
        mine = {c.lower() for f in t.fks for c in f.columns}
        theirs = {
            c.lower()
            for other in self.tables.values()
            if other.name != t.name
            for f in other.fks
            if f.ref_table == t.name
            for c in f.ref_columns
        }
        return any(new.lower() in mine or old in theirs for old, new in renamed.items())

    def _drop_constraint(self, t: MyTable, name: str, checks_only: bool) -> bool:
        for ch in t.checks:
            if same(ch.name, name):
                t.checks.remove(ch)
                return True
        for c in t.columns:
            if c.check is not None and same(c.check.name, name):
                c.check = None
                return True
        if checks_only:
            return False
        for f in t.fks:
            if f.name and same(f.name, name):
                t.fks.remove(f)
                return True
        key = t.key(name)
        if key is not None and key.kind == "unique":
            t.keys.remove(key)
            return True
        return False

    def _propagate_column_renames(
        self, table: str, renamed: dict[str, str], self_too: bool
    ) -> None:
        if not renamed:
            return
        for other in self.tables.values():
            if (other.name == table) != self_too:
                continue
            for f in other.fks:
                if f.ref_table == table:
                    f.ref_columns = [renamed.get(c.lower(), c) for c in f.ref_columns]
