"""The column actions of one ALTER TABLE (ADD, MODIFY, CHANGE, RENAME COLUMN, DROP COLUMN,
ALTER COLUMN ... DEFAULT): planned against the table as it was, then applied together the
way MariaDB builds the new column list, with what follows from them (keys and checks lose
dropped columns, renames reach keys and foreign keys, foreign-key columns keep their type)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from dbdrift.readers.sql.catalog import Catalog
from dbdrift.readers.sql.mysql.columns import read_column
from dbdrift.readers.sql.mysql.common import Refused, same
from dbdrift.readers.sql.mysql.defaults import default_sql
from dbdrift.readers.sql.mysql.elements import Pending
from dbdrift.readers.sql.mysql.keys import same_key_width, type_changed
from dbdrift.readers.sql.mysql.model import MyCol, MyKey, MyTable
from dbdrift.schema import Origin
from dbdrift.types import mysql as mytypes


@dataclass
class _ColumnDef:
    """ADD (``old is None``), MODIFY or CHANGE of one column in an ALTER TABLE."""

    old: str | None
    col: MyCol
    position: tuple[str, str | None] | None
    matched: bool = False


@dataclass
class ColumnPlan:
    """The column actions of one ALTER TABLE, applied together at its end."""

    defs: list[_ColumnDef] = field(default_factory=list)
    renames: list[tuple[str, str]] = field(default_factory=list)
    drops: list[str] = field(default_factory=list)
    defaults: list[tuple[str, exp.Expression | None]] = field(default_factory=list)

    def touched(self) -> bool:
        """Whether the statement has any column action at all."""
        return bool(self.defs or self.renames or self.drops or self.defaults)


class ColumnChanges:
    """The column actions of ALTER TABLE (a mixin of `Replay`)."""

    catalog: Catalog
    tables: dict[str, MyTable]

    def plan_column(
        self,
        t: MyTable,
        plan: ColumnPlan,
        action: tuple[Any, ...],
        where: Origin,
        pending: Pending,
        origin: Origin,
    ) -> None:
        """Record one column action; IF [NOT] EXISTS is decided on the table as it was."""
        op = action[0]
        if op == "add_column":
            _, cd, position, if_not_exists, _line = action
            col = read_column(cd, where, t.bytes_per_char, pending)
            if if_not_exists and t.col(col.name) is not None:
                self.catalog.note("skipped", f"Column '{col.name}' already exists", origin)
                return
            plan.defs.append(_ColumnDef(None, col, position))
        elif op == "modify":
            _, cd, old, position, _line = action
            col = read_column(cd, where, t.bytes_per_char, pending)
            plan.defs.append(_ColumnDef(old or col.name, col, position))
        elif op == "rename_column":
            _, old, new, _line = action
            plan.renames.append((old, new))
        elif op == "drop_column":
            _, column, if_exists, _line = action
            if if_exists and t.col(column) is None:
                self.catalog.note("skipped", f"Column '{column}' does not exist", origin)
                return
            plan.drops.append(column)
        else:  # set_default
            _, column, value, _line = action
            plan.defaults.append((column, value))

    def apply_column_plan(self, t: MyTable, plan: ColumnPlan) -> tuple[dict[str, str], list[str]]:
        """The new column list, built from the old one as MariaDB builds it."""
        if not plan.touched():
            return {}, []
        drops = [d.lower() for d in plan.drops]
        renames = list(plan.renames)
        defaults = list(plan.defaults)
        waiting = list(plan.defs)
        columns: list[MyCol] = []
        added: set[int] = set()  # ids of columns new in this statement
        renamed: dict[str, str] = {}
        changed_types: list[str] = []
        dropped: list[str] = []
        for col in t.columns:
            low = col.name.lower()
            if low in drops:
                drops.remove(low)
                self._check_drop_column(t, col.name)
                dropped.append(col.name)
                continue
            change = next((d for d in waiting if d.old and same(d.old, col.name)), None)
            rename = next((r for r in renames if same(r[0], col.name)), None)
            if change is not None:
                change.matched = True
                new = change.col
                if type_changed(col.type, new.type):
                    changed_types.append(new.name)
                columns.append(new)  # a FIRST/AFTER moves it later, in statement order
                if change.position is None:
                    waiting.remove(change)
            elif rename is not None:
                renames.remove(rename)
                new = copy.copy(col)
                new.name = rename[1]
                columns.append(new)
            else:
                new = col
                for entry in [d for d in defaults if same(d[0], col.name)][:1]:
                    defaults.remove(entry)
                    _set_default(new, entry[1])
                columns.append(new)
            if not same(new.name, col.name):
                renamed[low] = new.name
        for d in waiting:
            if d.old is not None and not d.matched:
                # "a modify for a newly added column": it replaces that definition
                earlier = next(
                    (c for c in columns if id(c) in added and same(c.name, d.col.name)), None
                )
                if earlier is None:
                    raise Refused(f"Unknown column '{d.old}' in '{t.name}' (MariaDB error 1054)")
                columns.remove(earlier)
            if d.old is not None and d.matched:
                columns = [c for c in columns if c is not d.col]
            _place_in(columns, d.col, d.position, t.name)
            if d.old is None:
                added.add(id(d.col))
            # ALTER COLUMN also reaches the definitions placed here: added columns and
            # redefined ones with FIRST/AFTER (not a MODIFY in place: that one is refused).
            for entry in [e for e in defaults if same(e[0], d.col.name)][:1]:
                defaults.remove(entry)
                _set_default(d.col, entry[1])
        if renames:
            raise Refused(f"Unknown column '{renames[0][0]}' in '{t.name}' (MariaDB error 1054)")
        if defaults:
            raise Refused(f"Unknown column '{defaults[0][0]}' in '{t.name}' (MariaDB error 1054)")
        if drops:
            raise Refused(
                f"Can't DROP COLUMN `{drops[0]}`; check that it exists (MariaDB error 1091)"
            )
        if not columns:
            raise Refused(
                "You can't delete all columns with ALTER TABLE; use DROP TABLE instead "
                "(MariaDB error 1090)"
            )
        seen: set[str] = set()
        for c in columns:
            if c.name.lower() in seen:
                raise Refused(f"Duplicate column name '{c.name}' (MariaDB error 1060)")
            seen.add(c.name.lower())
        # A key part follows the column it was on (renamed or not); a dropped column's part
        # moves to a column ADDed under the same name, and otherwise goes.
        fresh = {c.name.lower(): c for c in columns if id(c) in added}
        old_types = {c.name.lower(): c.type for c in t.columns}
        for name in (d.lower() for d in dropped):
            keyed = any(same(part, name) for k in t.keys for part in k.columns)
            if name in fresh and keyed and not same_key_width(old_types[name], fresh[name].type):
                raise Refused(
                    "Incorrect prefix key; the used key part isn't a string, the used length is "
                    "longer than the key part, or the storage engine doesn't support unique "
                    "prefix keys (MariaDB error 1089)"
                )
        self._finish_drops(t, [d for d in dropped if d.lower() not in fresh])
        for old, new in renamed.items():
            _rename_column(t, old, new, columns_too=False)
        t.columns = columns
        return renamed, changed_types

    def _check_drop_column(self, t: MyTable, column: str) -> None:
        for f in t.fks:
            if any(same(c, column) for c in f.columns):
                raise Refused(
                    f"Cannot drop column '{column}': needed in a foreign key constraint "
                    f"'{f.name}' (MariaDB error 1828)"
                )
        for other in self.tables.values():
            for f in other.fks:
                if f.ref_table == t.name and any(same(c, column) for c in f.ref_columns):
                    if other.name == t.name and any(same(c, column) for c in f.columns):
                        continue
                    raise Refused(
                        f"Cannot drop column '{column}': needed in a foreign key constraint "
                        f"'{f.name}' of table '{other.name}' (MariaDB error 1829)"
                    )

    def _finish_drops(self, t: MyTable, dropped: list[str]) -> None:
        """Keys and checks lose dropped columns; a unique key cannot lose only some."""
        if not dropped:
            return
        gone = {d.lower() for d in dropped}
        keys: list[MyKey] = []
        for key in t.keys:
            left = [p for p in key.parts if p[0].lower() not in gone]
            if not left:
                continue
            if len(left) != len(key.parts) and key.kind in ("primary", "unique"):
                missing = next(p[0] for p in key.parts if p[0].lower() in gone)
                raise Refused(f"Key column '{missing}' doesn't exist in table (MariaDB error 1072)")
            key.parts = left
            keys.append(key)
        t.keys = keys
        for ch in t.checks:  # a check loses its columns whole, or the drop is refused
            if ch.columns & gone and not ch.columns <= gone:
                missing = sorted(ch.columns & gone)[0]
                raise Refused(f"Unknown column '{missing}' in 'CHECK' (MariaDB error 1054)")
        t.checks = [ch for ch in t.checks if not (ch.columns & gone)]

    def check_type_changes(self, t: MyTable, changed: list[str]) -> None:
        """InnoDB refuses to change the type of a column either side of a foreign key uses."""
        for column in changed:
            for f in t.fks:
                if any(same(c, column) for c in f.columns):
                    raise Refused(
                        f"Cannot change column '{column}': used in a foreign key constraint "
                        f"'{f.name}' (MariaDB error 1832)"
                    )
            for other in self.tables.values():
                for f in other.fks:
                    if f.ref_table == t.name and any(same(c, column) for c in f.ref_columns):
                        raise Refused(
                            f"Cannot change column '{column}': used in a foreign key constraint "
                            f"'{f.name}' of table '{other.name}' (MariaDB error 1833)"
                        )


def _set_default(col: MyCol, value: exp.Expression | None) -> None:
    """ALTER COLUMN ... SET DEFAULT (`value`) or DROP DEFAULT (``None``)."""
    if col.auto_increment:
        return  # MariaDB keeps no default on an AUTO_INCREMENT column
    col.default = default_sql(value, col.type) if value is not None else None
    if value is None:
        return
    if (col.default is None and not col.nullable) or (
        col.default is not None and not mytypes.valid_default(col.default, col.type)
    ):
        raise Refused(f"Invalid default value for '{col.name}' (MariaDB error 1067)")


def _place_in(
    columns: list[MyCol], col: MyCol, position: tuple[str, str | None] | None, table: str
) -> None:
    """Append a column, or put it FIRST or AFTER another of the new column list."""
    if position is None:
        columns.append(col)
    elif position[0] == "FIRST":
        columns.insert(0, col)
    else:
        at = next((i for i, c in enumerate(columns) if same(c.name, position[1] or "")), -1)
        if at < 0:
            raise Refused(f"Unknown column '{position[1]}' in '{table}' (MariaDB error 1054)")
        columns.insert(at + 1, col)


def _rename_column(t: MyTable, old: str, new: str, columns_too: bool = True) -> None:
    """Rename a column in the table and everything of the table that names it."""
    if columns_too:
        for c in t.columns:
            if same(c.name, old):
                c.name = new
    for k in t.keys:
        k.parts = [(new if same(c, old) else c, n) for c, n in k.parts]
    for f in t.fks:
        f.columns = [new if same(c, old) else c for c in f.columns]
        if f.ref_table == t.name:
            f.ref_columns = [new if same(c, old) else c for c in f.ref_columns]
    for ch in t.checks:
        if old.lower() in ch.columns:
            ch.columns = (ch.columns - {old.lower()}) | {new.lower()}
