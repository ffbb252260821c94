"""The checks MariaDB makes on a complete table definition, after CREATE TABLE and after
each ALTER TABLE (``mysql_prepare_create_table`` and InnoDB's foreign-key checks): key
columns, one primary key, AUTO_INCREMENT, foreign keys and their indexes on both sides,
and checks."""

from __future__ import annotations

from dbdrift.readers.sql.mysql.common import Refused, is_lob, same
from dbdrift.readers.sql.mysql.elements import Pending
from dbdrift.readers.sql.mysql.keys import (
    check_key_length,
    covers,
    fk_compatible,
    name_checks,
    name_fks,
    name_keys,
    prune_generated,
)
from dbdrift.readers.sql.mysql.model import MyFk, MyKey, MyTable


class DefinitionChecks:
    """Checking a finished table definition (a mixin of `Replay`)."""

    tables: dict[str, MyTable]
    fk_checks: bool

    def prepare(
        self, table: MyTable, pending: Pending, created: bool, before: list[MyKey] | None = None
    ) -> None:
        """Finish a table definition the way mysql_prepare_create_table does, or refuse it.

        `before` holds, for an ALTER TABLE, the keys the table had before the statement.
        """
        # 1. Keys: columns exist, one primary key, implicit NOT NULL, redundant FK indexes.
        table.keys.extend(pending.keys)
        for key in table.keys:
            names = [c.lower() for c, _ in key.parts]
            for column in names:
                if names.count(column) > 1:
                    raise Refused(f"Duplicate column name '{column}' (MariaDB error 1060)")
            for column, _ in key.parts:
                if table.col(column) is None:
                    raise Refused(
                        f"Key column '{column}' doesn't exist in table (MariaDB error 1072)"
                    )
        for key in pending.keys:
            for column, prefix in key.parts:
                col = table.col(column)
                if prefix is None or col is None:
                    continue
                if col.type.family not in ("text", "binary", "json") or (
                    col.type.length is not None and prefix > col.type.length
                ):
                    raise Refused(
                        "Incorrect prefix key; the used key part isn't a string, the used "
                        "length is longer than the key part, or the storage engine doesn't "
                        "support unique prefix keys (MariaDB error 1089)"
                    )
        if sum(1 for k in table.keys if k.kind == "primary") > 1:
            raise Refused("Multiple primary key defined (MariaDB error 1068)")
        primary = next((k for k in table.keys if k.kind == "primary"), None)
        table.keys = prune_generated(table.keys)
        name_keys(table.keys)
        for key in table.keys:
            check_key_length(table, key)
        if primary is not None:
            for column in primary.columns:
                c = table.col(column)
                if c is not None:
                    c.nullable = False
        # 2. AUTO_INCREMENT: one column, NOT NULL, first column of some index.
        autos = [c for c in table.columns if c.auto_increment]
        if len(autos) > 1 or any(
            not any(
                k.parts and same(k.parts[0][0], c.name) and k.kind not in ("fulltext", "spatial")
                for k in table.keys
            )
            for c in autos
        ):
            raise Refused(
                "Incorrect table definition; there can be only one auto column and it must be "
                "defined as a key (MariaDB error 1075)"
            )
        for c in autos:
            c.nullable = False
        # 3. Foreign keys: names, the referenced side, supporting indexes on both sides.
        table.fks.extend(pending.fks)
        name_fks(table)
        for f in pending.fks:
            self._check_new_fk(table, f, before)
        if self.fk_checks:  # with FOREIGN_KEY_CHECKS=0 MariaDB lets either index go
            self._check_fk_indexes(table, parent_side=not created)
        # 4. Checks: names, duplicates.
        for ch in pending.checks:
            for column in sorted(ch.columns):
                if table.col(column) is None:
                    raise Refused(f"Unknown column '{column}' in 'CHECK' (MariaDB error 1054)")
        table.checks.extend(pending.checks)
        name_checks(table, pending.checks)
        autos_low = {c.name.lower() for c in autos}
        # Columns a foreign key may change by itself (ON UPDATE CASCADE, SET NULL) cannot be
        # checked; ON DELETE CASCADE deletes the row and does not count.
        acted = {
            c.lower()
            for f in table.fks
            if f.on_update in ("CASCADE", "SET NULL", "SET DEFAULT")
            or f.on_delete in ("SET NULL", "SET DEFAULT")
            for c in f.columns
        }
        for ch in table.all_checks():
            if ch.columns & autos_low:
                raise Refused(
                    "Function or expression 'AUTO_INCREMENT' cannot be used in the CHECK clause "
                    f"of `{ch.name}` (MariaDB error 1901)"
                )
            if ch.columns & acted:
                column = sorted(ch.columns & acted)[0]
                raise Refused(
                    f"Function or expression '{column}' cannot be used in the CHECK clause of "
                    f"`{ch.name}` (MariaDB error 1901)"
                )
        seen: set[str] = set()
        for ch in table.all_checks():
            if ch.name.lower() in seen:
                raise Refused(f"Duplicate CHECK constraint name '{ch.name}' (MariaDB error 1826)")
            seen.add(ch.name.lower())

    def _check_new_fk(self, table: MyTable, f: MyFk, before: list[MyKey] | None) -> None:
        """Refuse a new foreign key as InnoDB would; `before` holds, for an ALTER TABLE, the
        keys the table had before it (a self-reference may only use one of those)."""
        assert f.name is not None
        for other in self.tables.values():
            if other.name == table.name:
                continue
            if any(g.name and same(g.name, f.name) for g in other.fks):
                raise Refused(
                    f"Can't create table '{table.name}' (errno: 121 \"Duplicate key on write or "
                    f"update\"): foreign key name '{f.name}' is used by table '{other.name}' "
                    "(MariaDB error 1005)"
                )
        if sum(1 for g in table.fks if g.name and same(g.name, f.name)) > 1:
            raise Refused(f"Duplicate foreign key constraint name '{f.name}' (MariaDB error 1826)")
        for c in f.columns:
            if table.col(c) is None:
                raise Refused(f"Key column '{c}' doesn't exist in table (MariaDB error 1072)")
        # FOREIGN_KEY_CHECKS=0 only excuses a referenced table that does not exist (yet);
        # an existing one is checked all the same.
        parent = table if f.ref_table == table.name else self.tables.get(f.ref_table)
        why = self.fk_problem(table, f, parent, missing_ok=not self.fk_checks)
        # For a self-reference InnoDB looks for the referenced index in the table as it was.
        if (
            why is None
            and parent is table
            and before is not None
            and not any(covers(k, f.ref_columns) for k in before)
        ):
            why = "a self-reference needs an index the table had before this statement"
        if why:
            raise Refused(
                f"Can't create table '{table.name}' (errno: 150 \"Foreign key constraint is "
                f'incorrectly formed"): {why} (MariaDB error 1005)'
            )

    def fk_problem(
        self, table: MyTable, f: MyFk, parent: MyTable | None, missing_ok: bool
    ) -> str | None:
        """Why InnoDB would answer errno 150 ("incorrectly formed"), or ``None``."""
        for c in f.columns:
            child_col = table.col(c)
            if child_col is None:
                continue
            if is_lob(child_col.type):
                return f"column '{c}' is {child_col.type.sql}: TEXT/BLOB cannot be a foreign key"
            if not child_col.nullable and "SET NULL" in (f.on_delete, f.on_update):
                return f"column '{c}' is NOT NULL but the foreign key says SET NULL"
        if parent is None:
            return None if missing_ok else f"referenced table '{f.ref_table}' does not exist"
        for c, rc in zip(f.columns, f.ref_columns, strict=False):
            child_col, parent_col = table.col(c), parent.col(rc)
            if parent_col is None:
                return f"referenced column '{f.ref_table}.{rc}' does not exist"
            if child_col is not None and not fk_compatible(child_col.type, parent_col.type):
                return (
                    f"column '{c}' ({child_col.type.sql}) and referenced column "
                    f"'{f.ref_table}.{rc}' ({parent_col.type.sql}) are incompatible"
                )
        if not any(covers(k, f.ref_columns) for k in parent.keys):
            return f"no index on '{f.ref_table}' starts with ({', '.join(f.ref_columns)})"
        return None

    def _check_fk_indexes(self, table: MyTable, parent_side: bool) -> None:
        """Every foreign key keeps an index on both sides (MariaDB error 1553 otherwise)."""
        for f in table.fks:
            if not any(covers(k, f.columns) for k in table.keys):
                raise Refused(
                    f"Cannot drop index needed in a foreign key constraint '{f.name}' "
                    "(MariaDB error 1553)"
                )
        others = [t for t in self.tables.values() if t.name != table.name] if parent_side else []
        for other in [table, *others]:
            for f in other.fks:
                if f.ref_table != table.name or not f.ref_columns:
                    continue
                if all(table.col(c) is not None for c in f.ref_columns) and not any(
                    covers(k, f.ref_columns) for k in table.keys
                ):
                    raise Refused(
                        f"Cannot drop index needed in a foreign key constraint '{f.name}' of "
                        f"table '{other.name}' (MariaDB error 1553)"
                    )
