"""ALTER TABLE actions, and the constraints both CREATE and ALTER TABLE add."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from dbdrift.readers.sql.catalog import MutTable
from dbdrift.readers.sql.postgres import names as pg_names
from dbdrift.readers.sql.postgres.columns import build_column, default_text, null_default
from dbdrift.readers.sql.postgres.common import (
    ACTIONS,
    Node,
    ReplayError,
    as_strings,
    column_refs,
    describe,
    strings,
)
from dbdrift.readers.sql.postgres.expr import is_null
from dbdrift.readers.sql.postgres.statements import (
    Statement,
)
from dbdrift.schema import Check, Column, ForeignKey, Origin, PrimaryKey, Unique

if TYPE_CHECKING:
    from dbdrift.readers.sql.postgres.replay import Replay


class AlterTable:
    """The actions of one ALTER TABLE (and the constraints of a CREATE TABLE)."""

    def __init__(self, replay: Replay, table: MutTable, st: Statement, origin: Origin) -> None:
        self.replay = replay
        self.table = table
        self.st = st
        self.origin = origin

    @property
    def schema(self) -> str:
        return self.table.schema or "public"

    def run(self, subtype: str, body: Node) -> None:
        method = getattr(self, f"_{subtype}", None)
        if method is None:
            self.replay.catalog.note(
                "other",
                f"not modelled: ALTER TABLE {describe(subtype.removeprefix('AT_'))}",
                self.origin,
            )
            return
        method(body)

    def _column(self, body: Node) -> Column:
        name = body["name"]
        column = self.table.columns.get(name)
        if column is None:
            raise ReplayError(f'column "{name}" of relation "{self.table.name}" does not exist')
        return column

    def _set(self, name: str, **changes: Any) -> None:
        self.table.columns[name] = replace(self.table.columns[name], origin=self.origin, **changes)

    def _set_not_null(self, name: str) -> None:
        """NOT NULL from a key or constraint; a column this same statement defines keeps the
        line of its own definition, which is where a reader looks for it."""
        column = self.table.columns[name]
        origin = column.origin
        if (
            origin is not None
            and origin.path == self.origin.path
            and origin.line >= self.origin.line
        ):
            self.table.columns[name] = replace(column, nullable=False)
        else:
            self._set(name, nullable=False)

    def _skip_or_refuse(self, body: Node, message: str) -> None:
        """IF [NOT] EXISTS turns PostgreSQL's error into a notice and the action into nothing."""
        if not body.get("missing_ok"):
            raise ReplayError(message)
        self.replay.catalog.note("skipped", f"{message}, skipping", self.origin)

    def _AT_AddColumn(self, body: Node) -> None:
        definition = body["def"]["ColumnDef"]
        name = pg_names.truncate_identifier(definition["colname"])
        if name in self.table.columns:
            self._skip_or_refuse(
                body, f'column "{name}" of relation "{self.table.name}" already exists'
            )
            return
        location = definition.get("location")
        origin = self.origin
        if location is not None:
            origin = Origin(
                self.replay.path, self.replay.lines.line_of_byte(self.st.base + location)
            )
        built = build_column(self.replay, self.table, definition, self.st, origin)
        self.table.columns[name] = built.column
        if built.serial:
            self._set(name, default=self.replay.own_sequence(self.table, name))
        if built.column.identity:
            self.replay.own_sequence(self.table, name)
        for constraint in built.constraints:
            self.add_constraint({**constraint, "_column": name})

    def _AT_DropColumn(self, body: Node) -> None:
        name = body["name"]
        if name not in self.table.columns:
            self._skip_or_refuse(
                body, f'column "{name}" of relation "{self.table.name}" does not exist'
            )
            return
        dependents = [
            (t, f)
            for t in self.replay._referrers(self.table.key)
            for f in t.foreign_keys
            if (f.ref_schema, f.ref_table) == self.table.key and name in f.ref_columns
        ]
        if dependents and body.get("behavior") != "DROP_CASCADE":
            raise ReplayError(
                f"cannot drop column {name} of table {self.table.name} because other objects "
                "depend on it"
            )
        for table, fk in dependents:
            table.foreign_keys.remove(fk)
        for index in self._indexes_on(name):
            self.replay.state.index_table.pop((self.schema, index), None)
            self.replay.state.relations.pop((self.schema, index), None)
        self.replay.drop_sequences(self.table.key, name)
        self.table.drop_column(name)
        self.table.checks = [
            c for c in self.table.checks if not re.search(rf"\b{re.escape(name)}\b", c.expression)
        ]

    def _indexes_on(self, column: str) -> list[str]:
        names = [i.name for i in self.table.indexes if column in i.columns]
        names += [u.name for u in self.table.uniques if column in u.columns]
        if self.table.primary_key and column in self.table.primary_key.columns:
            names.append(self.table.primary_key.name)
        return [n for n in names if n]

    def _AT_AlterColumnType(self, body: Node) -> None:
        column = self._column(body)
        typ, serial = self.replay._column_type(body["def"]["ColumnDef"]["typeName"])
        if serial:
            raise ReplayError(f'type "{column.type.sql}" does not exist')
        self._set(column.name, type=typ)
        self._recheck_foreign_keys(column.name)

    def _recheck_foreign_keys(self, name: str) -> None:
        """A type change re-validates every foreign key the column takes part in."""
        for fk in self.table.foreign_keys:
            target = self.replay.catalog.tables.get((fk.ref_schema, fk.ref_table))
            for column, ref in zip(fk.columns, fk.ref_columns, strict=False):
                if column == name and target is not None and ref in target.columns:
                    _check_key_types(fk.name, self.table.columns[column], target.columns[ref])
        for referrer in self.replay._referrers(self.table.key):
            for fk in referrer.foreign_keys:
                if (fk.ref_schema, fk.ref_table) != self.table.key:
                    continue
                for column, ref in zip(fk.columns, fk.ref_columns, strict=False):
                    if ref == name and column in referrer.columns:
                        _check_key_types(
                            fk.name, referrer.columns[column], self.table.columns[name]
                        )

    def _AT_SetNotNull(self, body: Node) -> None:
        self._set(self._column(body).name, nullable=False)

    def _AT_DropNotNull(self, body: Node) -> None:
        column = self._column(body)
        pk = self.table.primary_key
        if pk and column.name in pk.columns:
            raise ReplayError(f'column "{column.name}" is in a primary key')
        if column.identity:
            raise ReplayError(
                f'column "{column.name}" of relation "{self.table.name}" is an identity column'
            )
        self._set(column.name, nullable=True)

    def _AT_ColumnDefault(self, body: Node) -> None:
        column = self._column(body)
        raw = body.get("def")
        if raw is None or is_null(raw):
            self._set(column.name, default=null_default(column.type) if raw else None)
            return
        self._set(column.name, default=default_text(self.replay, raw, column.type, self.st))

    def _AT_AddIdentity(self, body: Node) -> None:
        column = self._column(body)
        when = body["def"]["Constraint"].get("generated_when")
        self.replay.own_sequence(self.table, column.name)
        self._set(column.name, identity="always" if when == "a" else "by default", nullable=False)

    def _AT_SetIdentity(self, body: Node) -> None:
        column = self._column(body)
        for option in body.get("def", {}).get("List", {}).get("items", []):
            elem = option.get("DefElem", {})
            if elem.get("defname") == "generated":
                value = elem.get("arg", {}).get("Integer", {}).get("ival")
                self._set(column.name, identity="always" if value == 97 else "by default")

    def _AT_DropIdentity(self, body: Node) -> None:
        column = self._column(body)
        self.replay.drop_sequences(self.table.key, column.name)
        self._set(column.name, identity=None)

    def _AT_DropExpression(self, body: Node) -> None:
        self._set(self._column(body).name, generated=None)

    def _AT_AddConstraint(self, body: Node) -> None:
        self.add_constraint(body["def"]["Constraint"])

    def _AT_DropConstraint(self, body: Node) -> None:
        name = body["name"]
        table = self.table
        if table.primary_key and table.primary_key.name == name:
            self._release_index(name)
            table.primary_key = None
            return
        for collection in (table.uniques, table.foreign_keys, table.checks):
            for item in collection:
                if item.name == name:
                    collection.remove(item)  # type: ignore[arg-type]
                    if isinstance(item, Unique):
                        self._release_index(name)
                    return
        self._skip_or_refuse(body, f'constraint "{name}" of relation "{table.name}" does not exist')

    def _release_index(self, name: str) -> None:
        self.replay.state.relations.pop((self.schema, name), None)
        self.replay.state.index_table.pop((self.schema, name), None)

    def _AT_AttachPartition(self, body: Node) -> None:
        """The attached table gets the parent's keys and indexes, under its own names."""
        partition = self.replay._find_table(body["def"]["PartitionCmd"]["name"])
        assert partition is not None
        self.replay.state.partitions.setdefault(self.table.key, []).append(partition.key)
        AlterTable(self.replay, partition, self.st, self.origin).clone_indexes(
            self.table, partition=True
        )

    def _AT_DetachPartition(self, body: Node) -> None:
        """A detached partition keeps its indexes and keys as a table of its own."""
        partition = self.replay._find_table(body["def"]["PartitionCmd"]["name"])
        assert partition is not None
        partitions = self.replay.state.partitions.get(self.table.key, [])
        if partition.key not in partitions:
            raise ReplayError(
                f'relation "{partition.name}" is not a partition of relation "{self.table.name}"'
            )
        partitions.remove(partition.key)

    # Constraints ----------------------------------------------------------------------

    def add_constraint(self, constraint: Node) -> None:
        kind = constraint["contype"]
        if kind == "CONSTR_PRIMARY":
            self._add_primary(constraint)
        elif kind == "CONSTR_UNIQUE":
            self._add_unique(constraint)
        elif kind == "CONSTR_FOREIGN":
            self._add_foreign(constraint)
        elif kind == "CONSTR_CHECK":
            self._add_check(constraint)
        elif kind == "CONSTR_NOTNULL":
            for key in strings(constraint.get("keys", [])):
                self._set_not_null(key)
        else:
            self.replay.catalog.note(
                "other",
                f"not modelled: {describe(kind.removeprefix('CONSTR_'))} constraint",
                self.origin,
            )

    def _keys(self, constraint: Node) -> list[str]:
        keys = strings(constraint.get("keys", []))
        if not keys and "_column" in constraint:
            keys = [constraint["_column"]]
        for key in keys:
            if key not in self.table.columns:
                raise ReplayError(
                    f'column "{key}" named in key does not exist', constraint.get("location")
                )
        return keys

    def _index_name(self, constraint: Node, addition: str | None, label: str) -> str:
        name = constraint.get("conname")
        if name:
            if self.replay._relation_taken(self.schema, name):
                raise ReplayError(f'relation "{name}" already exists')
            return name
        return pg_names.choose_name(
            self.table.name,
            addition,
            label,
            lambda n: (
                self.replay._relation_taken(self.schema, n)
                or self.replay._constraint_taken(self.schema, n)
            ),
        )

    def _add_primary(self, constraint: Node) -> None:
        if self.table.primary_key is not None:
            raise ReplayError(
                f'multiple primary keys for table "{self.table.name}" are not allowed',
                constraint.get("location"),
            )
        if constraint.get("indexname"):
            index = next((i for i in self.table.indexes if i.name == constraint["indexname"]), None)
            if index is None:
                raise ReplayError(f'index "{constraint["indexname"]}" does not exist')
            keys = list(index.columns)
            name = self._adopt_index(constraint["indexname"], constraint.get("conname"))
        else:
            keys = self._keys(constraint)
            name = self._index_name(constraint, None, "pkey")
            self._claim_index(name)
        for key in keys:
            self._set_not_null(key)
        self.table.primary_key = PrimaryKey(name, tuple(keys), self.origin)
        self.replay._register_constraint(self.schema, name)

    def _add_unique(self, constraint: Node) -> None:
        if constraint.get("indexname"):
            index = next((i for i in self.table.indexes if i.name == constraint["indexname"]), None)
            if index is None:
                raise ReplayError(f'index "{constraint["indexname"]}" does not exist')
            name = self._adopt_index(index.name or "", constraint.get("conname"))
            self.table.uniques.append(Unique(name, index.columns, self.origin))
            self.replay._register_constraint(self.schema, name)
            return
        keys = self._keys(constraint)
        addition = pg_names.name_addition(pg_names.index_column_names(keys))
        name = self._index_name(constraint, addition, "key")
        self._claim_index(name)
        self.table.uniques.append(Unique(name, tuple(keys), self.origin))
        self.replay._register_constraint(self.schema, name)

    def _adopt_index(self, index_name: str, conname: str | None) -> str:
        """``ADD CONSTRAINT ... USING INDEX``: the index becomes the constraint's (renamed)."""
        self.table.indexes = [i for i in self.table.indexes if i.name != index_name]
        if conname and conname != index_name:
            self.replay._rename_relation(self.schema, index_name, conname)
            return conname
        return index_name

    def _claim_index(self, name: str) -> None:
        self.replay.state.relations[(self.schema, name)] = "index"
        self.replay.state.index_table[(self.schema, name)] = self.table.key  # type: ignore[assignment]

    def _add_check(self, constraint: Node) -> None:
        expression = self.replay._parenthesised(self.st, constraint)
        if expression is None:
            expression = self.replay._expression_text(constraint["raw_expr"], self.st)
        name = constraint.get("conname")
        if not name:
            columns = sorted(set(column_refs(constraint["raw_expr"])) & set(self.table.columns))
            column = constraint.get("_column")
            if column is None and len(columns) == 1:
                column = columns[0]
            taken = {c.name for c in self.table.checks}
            name = pg_names.choose_name(
                self.table.name,
                column,
                "check",
                lambda n: n in taken or self.replay._constraint_taken(self.schema, n),
            )
        elif name in {c.name for c in self.table.checks}:
            raise ReplayError(
                f'constraint "{name}" for relation "{self.table.name}" already exists'
            )
        self.table.checks.append(Check(name, expression, self.origin))
        self.replay._register_constraint(self.schema, name)

    def _add_foreign(self, constraint: Node) -> None:
        columns = strings(constraint.get("fk_attrs", [])) or [constraint["_column"]]
        for column in columns:
            if column not in self.table.columns:
                raise ReplayError(
                    f'column "{column}" referenced in foreign key constraint does not exist'
                )
        pktable = constraint["pktable"]
        if pktable.get("schemaname") is None and pktable["relname"] == self.table.name:
            target: MutTable | None = self.table
        else:
            target = self.replay._find_table(pktable)
        assert target is not None
        ref_columns = strings(constraint.get("pk_attrs", []))
        if not ref_columns:
            if target.primary_key is None:
                raise ReplayError(f'there is no primary key for referenced table "{target.name}"')
            ref_columns = list(target.primary_key.columns)
        for column in ref_columns:
            if column not in target.columns:
                raise ReplayError(
                    f'column "{column}" referenced in foreign key constraint does not exist'
                )
        if len(ref_columns) != len(columns):
            raise ReplayError(
                "number of referencing and referenced columns for foreign key disagree"
            )
        if not _unique_on(target, ref_columns):
            raise ReplayError(
                "there is no unique constraint matching given keys for referenced table "
                f'"{target.name}"'
            )
        name = constraint.get("conname")
        if not name:
            name = pg_names.choose_name(
                self.table.name,
                pg_names.name_addition(columns),
                "fkey",
                lambda n: self.replay._constraint_taken(self.schema, n),
            )
        elif name in self.table.constraint_names():
            raise ReplayError(
                f'constraint "{name}" for relation "{self.table.name}" already exists'
            )
        for column, ref in zip(columns, ref_columns, strict=True):
            _check_key_types(name, self.table.columns[column], target.columns[ref])
        self.replay._register_constraint(self.schema, name)
        self.replay.state.referrers.setdefault(target.key, set()).add(self.table.key)
        self.table.foreign_keys.append(
            ForeignKey(
                name=name,
                columns=tuple(columns),
                ref_table=target.name,
                ref_columns=tuple(ref_columns),
                ref_schema=target.schema,
                on_delete=ACTIONS.get(constraint.get("fk_del_action", "a"), "NO ACTION"),
                on_update=ACTIONS.get(constraint.get("fk_upd_action", "a"), "NO ACTION"),
                origin=self.origin,
            )
        )

    def clone_indexes(self, parent: MutTable, partition: bool) -> None:
        """LIKE ... INCLUDING INDEXES and PARTITION OF copy keys and indexes under new names."""
        if parent.primary_key is not None:
            self._add_primary(
                {"contype": "CONSTR_PRIMARY", "keys": as_strings(parent.primary_key.columns)}
            )
        for unique in parent.uniques:
            self._add_unique({"contype": "CONSTR_UNIQUE", "keys": as_strings(unique.columns)})
        for index in parent.indexes:
            keys = [None if c.startswith("(") else c for c in index.columns]
            addition = pg_names.name_addition(pg_names.index_column_names(keys))
            name = pg_names.choose_name(
                self.table.name,
                addition,
                "idx",
                lambda n: self.replay._relation_taken(self.schema, n),
            )
            self._claim_index(name)
            self.table.indexes.append(replace(index, name=name, origin=self.origin))
        if partition:
            for fk in parent.foreign_keys:
                self.table.foreign_keys.append(replace(fk, origin=self.origin))


# Type families whose values PostgreSQL can compare with an equality operator across types.
_NUMBERS = frozenset({"integer", "numeric", "float"})


def _check_key_types(name: str | None, column: Column, ref: Column) -> None:
    """A foreign key needs an equality operator between the two column types."""
    a, b = column.type, ref.type
    same = a.family == b.family and (a.family not in ("enum", "other", "array") or a.sql == b.sql)
    if same or (a.family in _NUMBERS and b.family in _NUMBERS):
        return
    raise ReplayError(
        f'foreign key constraint "{name}" cannot be implemented: key columns "{column.name}" '
        f'and "{ref.name}" are of incompatible types: {a.sql} and {b.sql}'
    )


def _unique_on(table: MutTable, columns: list[str]) -> bool:
    """Whether a primary key, unique constraint or plain unique index covers exactly these."""
    wanted = set(columns)
    keys = [u.columns for u in table.uniques]
    keys += [i.columns for i in table.indexes if i.unique and i.where is None]
    if table.primary_key is not None:
        keys.append(table.primary_key.columns)
    return any(set(key) == wanted and len(key) == len(columns) for key in keys)
