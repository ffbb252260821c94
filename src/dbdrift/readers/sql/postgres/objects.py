"""Renames, moves and drops of tables, columns, constraints, indexes, types and schemas."""

from __future__ import annotations

from dataclasses import replace

from dbdrift.readers.sql.catalog import Catalog, Key, MutTable
from dbdrift.readers.sql.postgres.common import (
    NOTE_KINDS,
    Node,
    ReplayError,
    State,
    describe,
    object_names,
    range_names,
)
from dbdrift.readers.sql.postgres.statements import (
    Statement,
)
from dbdrift.schema import Origin
from dbdrift.types.postgres import (
    array_of,
    qualified,
)


class ObjectChanges:
    """Renames, moves and drops: statements that change what existing objects are called."""

    catalog: Catalog
    state: State

    def drop_sequences(self, table: Key, column: str | None = None) -> None:
        """Owned sequences go with their table (or column)."""
        for seq, (owner, owned) in list(self.state.sequence_owner.items()):
            if owner == table and column in (None, owned):
                del self.state.sequence_owner[seq]
                self.state.relations.pop(seq, None)

    def _do_RenameStmt(self, st: Statement, origin: Origin) -> None:
        node = st.node
        kind = node["renameType"]
        if kind == "OBJECT_TABLE":
            self._rename_table(node, origin)
        elif kind == "OBJECT_COLUMN":
            table = self._find_table(node["relation"], node.get("missing_ok", False))
            if table is None:
                return
            old, new = node["subname"], node["newname"]
            if old not in table.columns:
                raise ReplayError(f'column "{old}" does not exist')
            if new in table.columns:
                raise ReplayError(f'column "{new}" of relation "{table.name}" already exists')
            table.rename_column(old, new)
            table.columns[new] = replace(table.columns[new], origin=origin)  # defined here now
            self._rename_referencing_columns(table.key, old, new)
        elif kind == "OBJECT_TABCONSTRAINT":
            table = self._find_table(node["relation"])
            assert table is not None
            self._rename_constraint(table, node["subname"], node["newname"])
        elif kind == "OBJECT_INDEX":
            self._rename_index(node)
        elif kind == "OBJECT_TYPE":
            self._rename_type(node, origin)
        elif kind == "OBJECT_SCHEMA":
            self._rename_schema(node, origin)
        else:
            self.catalog.note("other", f"not modelled: rename of {describe(kind)}", origin)

    def _rename_table(self, node: Node, origin: Origin) -> None:
        table = self._find_table(node["relation"], node.get("missing_ok", False))
        if table is None:
            return
        schema = table.schema or "public"
        new = node["newname"]
        if self._relation_taken(schema, new):
            raise ReplayError(f'relation "{new}" already exists')
        old_key = table.key
        del self.state.relations[(schema, table.name)]
        self.state.relations[(schema, new)] = "table"
        self.catalog.remove_table(old_key)
        table.name = new
        table.origin = origin
        self.catalog.add_table(table)
        self._retarget(old_key, table.key)

    def _retarget(self, old: Key, new: Key) -> None:
        """Point indexes, sequences and foreign keys at a table's new name."""
        for index, owner in list(self.state.index_table.items()):
            if owner == old:
                self.state.index_table[index] = new
        for seq, (owner, column) in list(self.state.sequence_owner.items()):
            if owner == old:
                self.state.sequence_owner[seq] = (new, column)
        referrers = self.state.referrers
        keys = {new if k == old else k for k in referrers.pop(old, set())}
        referrers[new] = keys
        for key in sorted(keys, key=str):
            other = self.catalog.tables.get(key)
            if other is None:
                continue
            other.foreign_keys = [
                replace(f, ref_schema=new[0], ref_table=new[1])
                if (f.ref_schema, f.ref_table) == old
                else f
                for f in other.foreign_keys
            ]
        for fk in self.catalog.tables[new].foreign_keys:
            referrers.setdefault((fk.ref_schema, fk.ref_table), set()).add(new)  # type: ignore[arg-type]

    def _referrers(self, key: Key) -> list[MutTable]:
        """The tables with a foreign key to `key`, without scanning every table."""
        found = []
        for referrer in sorted(self.state.referrers.get(key, ()), key=str):
            table = self.catalog.tables.get(referrer)
            if table is not None and any(
                (f.ref_schema, f.ref_table) == key for f in table.foreign_keys
            ):
                found.append(table)
        return found

    def _rename_referencing_columns(self, key: Key, old: str, new: str) -> None:
        for other in self._referrers(key):
            other.foreign_keys = [
                replace(f, ref_columns=tuple(new if c == old else c for c in f.ref_columns))
                if (f.ref_schema, f.ref_table) == key
                else f
                for f in other.foreign_keys
            ]

    def _rename_constraint(self, table: MutTable, old: str, new: str) -> None:
        schema = table.schema or "public"
        if table.primary_key and table.primary_key.name == old:
            self._rename_relation(schema, old, new)
            table.primary_key = replace(table.primary_key, name=new)
            self._register_constraint(schema, new)
            return
        for i, unique in enumerate(table.uniques):
            if unique.name == old:
                self._rename_relation(schema, old, new)
                table.uniques[i] = replace(unique, name=new)
                self._register_constraint(schema, new)
                return
        for i, fk in enumerate(table.foreign_keys):
            if fk.name == old:
                table.foreign_keys[i] = replace(fk, name=new)
                self._register_constraint(schema, new)
                return
        for i, check in enumerate(table.checks):
            if check.name == old:
                table.checks[i] = replace(check, name=new)
                self._register_constraint(schema, new)
                return
        raise ReplayError(f'constraint "{old}" for table "{table.name}" does not exist')

    def _rename_relation(self, schema: str, old: str, new: str) -> None:
        if self._relation_taken(schema, new):
            raise ReplayError(f'relation "{new}" already exists')
        kind = self.state.relations.pop((schema, old), "index")
        self.state.relations[(schema, new)] = kind
        owner = self.state.index_table.pop((schema, old), None)
        if owner is not None:
            self.state.index_table[(schema, new)] = owner

    def _rename_index(self, node: Node) -> None:
        key = self._find_key(self.state.index_table, range_names(node["relation"]))
        names = range_names(node["relation"])
        if key is None:
            if node.get("missing_ok"):
                return
            raise ReplayError(f'relation "{".".join(names)}" does not exist')
        table = self.catalog.tables[self.state.index_table[key]]
        new = node["newname"]
        self._rename_relation(key[0], key[1], new)
        if table.primary_key and table.primary_key.name == key[1]:
            table.primary_key = replace(table.primary_key, name=new)
        table.uniques = [replace(u, name=new) if u.name == key[1] else u for u in table.uniques]
        self._register_constraint(key[0], new)
        table.indexes = [replace(i, name=new) if i.name == key[1] else i for i in table.indexes]

    def _rename_type(self, node: Node, origin: Origin) -> None:
        names = [n["String"]["sval"] for n in node["object"]["List"]["items"]]
        key = self._find_key(self.catalog.enums, names)
        if key is None:
            raise ReplayError(f'type "{".".join(names)}" does not exist')
        enum = self.catalog.enums.pop(key)
        new_key = (key[0], node["newname"])
        self.catalog.enums[new_key] = replace(enum, name=node["newname"], origin=origin)
        self._retype_enum(key, new_key)

    def _retype_enum(self, old: Key, new: Key) -> None:
        """Columns (and their stored defaults) follow an enum that is renamed or moved."""
        old_sql = qualified(old[0], old[1], old[0] == "public")
        new_sql = qualified(new[0], new[1], new[0] == "public")
        for table in self.catalog.tables.values():
            for name, column in table.columns.items():
                typ = column.type
                if typ.family == "enum" and typ.sql == old_sql:
                    typ = replace(typ, sql=new_sql, enum=new[1])
                elif typ.family == "array" and typ.element and typ.element.sql == old_sql:
                    typ = array_of(replace(typ.element, sql=new_sql, enum=new[1]))
                else:
                    continue
                default = column.default
                if default is not None:
                    default = default.replace(f"::{old_sql}", f"::{new_sql}")
                table.columns[name] = replace(column, type=typ, default=default)

    def _move_type(self, node: Node, origin: Origin) -> None:
        names = object_names(node["object"])
        new_schema = node["newschema"]
        if new_schema not in self.state.schemas:
            raise ReplayError(f'schema "{new_schema}" does not exist')
        key = self._find_key(self.catalog.enums, names)
        if key is None:
            if self._find_key(self.state.domains, names) is not None:
                self.catalog.note("other", "not modelled: domain SET SCHEMA", origin)
                return
            raise ReplayError(f'type "{".".join(names)}" does not exist')
        new_key = (new_schema, key[1])
        if new_key in self.catalog.enums:
            raise ReplayError(f'type "{key[1]}" already exists in schema "{new_schema}"')
        enum = self.catalog.enums.pop(key)
        self.catalog.enums[new_key] = replace(enum, schema=new_schema, origin=origin)
        self._retype_enum(key, new_key)

    def _rename_schema(self, node: Node, origin: Origin) -> None:
        old, new = node["subname"], node["newname"]
        if old not in self.state.schemas:
            raise ReplayError(f'schema "{old}" does not exist')
        if new in self.state.schemas:
            raise ReplayError(f'schema "{new}" already exists')
        self.state.schemas = (self.state.schemas - {old}) | {new}

        def move(key: Key) -> Key:
            return (new, key[1]) if key[0] == old else key

        for key in [k for k in self.catalog.enums if k[0] == old]:
            self.catalog.enums[move(key)] = replace(self.catalog.enums.pop(key), schema=new)
            self._retype_enum(key, move(key))
        for key in [k for k in self.catalog.tables if k[0] == old]:
            table = self.catalog.remove_table(key)
            table.schema = new
            self.catalog.add_table(table)
            for constraint in table.constraint_names():
                self._register_constraint(new, constraint)
            self._retarget(key, table.key)
        state = self.state
        state.relations = {move(k): v for k, v in state.relations.items()}
        state.index_table = {move(k): move(v) for k, v in state.index_table.items()}
        state.sequence_owner = {move(k): (move(o), c) for k, (o, c) in state.sequence_owner.items()}
        state.domains = {move(k): v for k, v in state.domains.items()}
        state.partitions = {move(k): [move(p) for p in v] for k, v in state.partitions.items()}
        state.search_path = [new if p == old else p for p in state.search_path]
        for table in self.catalog.tables.values():
            if table.schema == new:
                self._refresh_sequence_defaults(table)

    def _do_AlterObjectSchemaStmt(self, st: Statement, origin: Origin) -> None:
        node = st.node
        if node["objectType"] == "OBJECT_TYPE":
            self._move_type(node, origin)
            return
        if node["objectType"] != "OBJECT_TABLE":
            self.catalog.note(
                "other", f"not modelled: {describe(node['objectType'])} SET SCHEMA", origin
            )
            return
        table = self._find_table(node["relation"], node.get("missing_ok", False))
        if table is None:
            return
        new_schema = node["newschema"]
        if new_schema not in self.state.schemas:
            raise ReplayError(f'schema "{new_schema}" does not exist')
        old_key = table.key
        old_schema = table.schema or "public"
        if self._relation_taken(new_schema, table.name):
            raise ReplayError(f'relation "{table.name}" already exists in schema "{new_schema}"')
        moved = [k for k, owner in self.state.index_table.items() if owner == old_key]
        moved += [k for k, (owner, _c) in self.state.sequence_owner.items() if owner == old_key]
        for key in [(old_schema, table.name), *moved]:
            kind = self.state.relations.pop(key)
            self.state.relations[(new_schema, key[1])] = kind
        for key in moved:
            if key in self.state.index_table:
                self.state.index_table[(new_schema, key[1])] = self.state.index_table.pop(key)
            if key in self.state.sequence_owner:
                self.state.sequence_owner[(new_schema, key[1])] = self.state.sequence_owner.pop(key)
        self.catalog.remove_table(old_key)
        table.schema = new_schema
        self.catalog.add_table(table)
        for constraint in table.constraint_names():
            self._register_constraint(new_schema, constraint)
        self._retarget(old_key, table.key)
        self._refresh_sequence_defaults(table)

    def _refresh_sequence_defaults(self, table: MutTable) -> None:
        """A serial's ``nextval('seq'::regclass)`` prints the sequence where it now lives."""
        for key, (owner, column) in self.state.sequence_owner.items():
            current = table.columns.get(column)
            if owner == table.key and current and (current.default or "").startswith("nextval("):
                seq = qualified(key[0], key[1], key[0] == "public")
                table.columns[column] = replace(current, default=f"nextval('{seq}'::regclass)")

    def _do_DropStmt(self, st: Statement, origin: Origin) -> None:
        node = st.node
        kind = node["removeType"]
        cascade = node.get("behavior") == "DROP_CASCADE"
        missing_ok = bool(node.get("missing_ok"))
        handler = {
            "OBJECT_TABLE": self._drop_table,
            "OBJECT_INDEX": self._drop_index,
            "OBJECT_TYPE": self._drop_type,
            "OBJECT_DOMAIN": self._drop_type,
            "OBJECT_SCHEMA": self._drop_schema,
        }.get(kind)
        if kind in ("OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_SEQUENCE"):
            for obj in node.get("objects", []):
                key = self._find_key(self.state.relations, object_names(obj))
                if key is not None and self.state.relations[key] in ("view", "sequence"):
                    del self.state.relations[key]
        if handler is None:
            self.catalog.note(
                NOTE_KINDS.get("ViewStmt" if "VIEW" in kind else "", "other"),
                f"not modelled: DROP {describe(kind)}",
                origin,
            )
            return
        for obj in node.get("objects", []):
            names = object_names(obj)
            handler(names, cascade, missing_ok, origin)

    def _drop_table(
        self, names: list[str], cascade: bool, missing_ok: bool, origin: Origin
    ) -> None:
        key = self._find_key(self.catalog.tables, names)
        if key is None:
            if missing_ok:
                self.catalog.note(
                    "skipped", f'table "{names[-1]}" does not exist, skipping', origin
                )
                return
            raise ReplayError(f'table "{".".join(names)}" does not exist')
        dependents = [
            (t, f)
            for t in self._referrers(key)
            if t.key != key
            for f in t.foreign_keys
            if (f.ref_schema, f.ref_table) == key
        ]
        if dependents and not cascade:
            raise ReplayError(f"cannot drop table {names[-1]} because other objects depend on it")
        for table, fk in dependents:
            table.foreign_keys.remove(fk)
        self._forget_table(key)

    def _forget_table(self, key: Key) -> None:
        table = self.catalog.remove_table(key)
        schema = table.schema or "public"
        self.state.relations.pop((schema, table.name), None)
        for index, owner in list(self.state.index_table.items()):
            if owner == key:
                del self.state.index_table[index]
                self.state.relations.pop(index, None)
        self.drop_sequences(key)

    def _drop_index(
        self, names: list[str], cascade: bool, missing_ok: bool, origin: Origin
    ) -> None:
        key = self._find_key(self.state.index_table, names)
        if key is None:
            if missing_ok:
                self.catalog.note(
                    "skipped", f'index "{names[-1]}" does not exist, skipping', origin
                )
                return
            raise ReplayError(f'index "{".".join(names)}" does not exist')
        table = self.catalog.tables[self.state.index_table[key]]
        if any(i.name == key[1] for i in table.indexes):
            table.indexes = [i for i in table.indexes if i.name != key[1]]
        else:
            raise ReplayError(
                f"cannot drop index {key[1]} because constraint {key[1]} on table "
                f"{table.name} requires it"
            )
        del self.state.index_table[key]
        self.state.relations.pop(key, None)

    def _drop_type(self, names: list[str], cascade: bool, missing_ok: bool, origin: Origin) -> None:
        key = self._find_key(self.catalog.enums, names) or self._find_key(self.state.domains, names)
        if key is None:
            if missing_ok:
                self.catalog.note("skipped", f'type "{names[-1]}" does not exist, skipping', origin)
                return
            raise ReplayError(f'type "{".".join(names)}" does not exist')
        sql = qualified(key[0], key[1], key[0] == "public")
        users = [
            (t, c)
            for t in self.catalog.tables.values()
            for c in t.columns.values()
            if c.type.sql in (sql, sql + "[]")
        ]
        if users and not cascade:
            raise ReplayError(f"cannot drop type {names[-1]} because other objects depend on it")
        for table, column in users:
            table.drop_column(column.name)
        self.catalog.enums.pop(key, None)
        self.state.domains.pop(key, None)

    def _drop_schema(
        self, names: list[str], cascade: bool, missing_ok: bool, origin: Origin
    ) -> None:
        schema = names[-1]
        if schema not in self.state.schemas:
            if missing_ok:
                return
            raise ReplayError(f'schema "{schema}" does not exist')
        owned = [k for k in self.catalog.tables if k[0] == schema]
        types = [k for k in (*self.catalog.enums, *self.state.domains) if k[0] == schema]
        if (owned or types) and not cascade:
            raise ReplayError(f"cannot drop schema {schema} because other objects depend on it")
        for key in owned:
            if key in self.catalog.tables:
                self._drop_table([key[0], key[1]], True, True, origin)
        for key in types:
            self._drop_type([key[0], key[1]], True, True, origin)
        self.state.schemas.discard(schema)
