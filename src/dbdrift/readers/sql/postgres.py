"""PostgreSQL replay: statements parsed by pglast (PostgreSQL's own parser), applied in order.

The replay keeps what PostgreSQL's catalog would hold after each statement — tables,
columns, constraints, indexes, enums, domains, sequences and the names they occupy — and
refuses what PostgreSQL would refuse, with the same error text where it can.  Each file is
parsed in one call to pglast's JSON parse-tree path; only a file with a syntax error is
split into statements (by PostgreSQL's own scanner) so that the rest is still replayed.
"""

from __future__ import annotations

import copy
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from dbdrift.readers.sql import pg_names
from dbdrift.readers.sql.catalog import Catalog, Key, MutTable
from dbdrift.readers.sql.pg_expr import Deparser, Unsupported, const_value, is_null, label_sql
from dbdrift.readers.sql.pg_statements import (
    Problem,
    Skipped,
    Statement,
    after_last_top_level,
    list_items_after,
    parenthesised_after,
    parse_file,
)
from dbdrift.schema import (
    Check,
    Column,
    Enum,
    ForeignKey,
    Index,
    Origin,
    PrimaryKey,
    Unique,
)
from dbdrift.types import Type
from dbdrift.types.postgres import (
    EXTENSION_TYPES,
    SERIALS,
    array_of,
    builtin_type,
    qualified,
    user_type_sql,
)

log = logging.getLogger(__name__)

Node = dict[str, Any]

# pg_constraint confdeltype/confupdtype letters as the parse tree carries them.
_ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

# TableLikeOption bits (parsenodes.h).
_LIKE_CONSTRAINTS, _LIKE_DEFAULTS, _LIKE_GENERATED, _LIKE_IDENTITY, _LIKE_INDEXES = (
    4,
    8,
    16,
    32,
    64,
)

# What each statement the replay does not model is called in a note.
_NOTE_KINDS = {
    "CreateFunctionStmt": "function",
    "CreateTrigStmt": "trigger",
    "ViewStmt": "view",
    "CreateTableAsStmt": "view",
    "RefreshMatViewStmt": "view",
    "DoStmt": "do-block",
    "CreateExtensionStmt": "extension",
    "AlterExtensionStmt": "extension",
    "CommentStmt": "comment",
    "InsertStmt": "data",
    "UpdateStmt": "data",
    "DeleteStmt": "data",
    "MergeStmt": "data",
    "CopyStmt": "data",
    "SelectStmt": "data",
    "TruncateStmt": "data",
    "GrantStmt": "grant",
    "GrantRoleStmt": "grant",
    "AlterDefaultPrivilegesStmt": "grant",
    "CreateRoleStmt": "role",
    "AlterRoleStmt": "role",
    "CreatePolicyStmt": "policy",
    "AlterPolicyStmt": "policy",
    "CreateSeqStmt": "sequence",
    "AlterSeqStmt": "sequence",
    "AlterOwnerStmt": "owner",
    "CreatePublicationStmt": "publication",
    "CreateEventTrigStmt": "trigger",
    "RuleStmt": "rule",
    "CreateStatsStmt": "statistics",
    "AlterFunctionStmt": "function",
    "CallStmt": "data",
    "VacuumStmt": "maintenance",
    "ClusterStmt": "maintenance",
    "ReindexStmt": "maintenance",
    "LockStmt": "lock",
    "NotifyStmt": "other",
    "SecLabelStmt": "other",
}

# ALTER TABLE actions that change nothing dbdrift models (owner, RLS, storage ...).
_NOOP_ACTIONS = frozenset(
    {
        "AT_ChangeOwner",
        "AT_EnableRowSecurity",
        "AT_DisableRowSecurity",
        "AT_ForceRowSecurity",
        "AT_NoForceRowSecurity",
        "AT_ValidateConstraint",
        "AT_SetStatistics",
        "AT_SetStorage",
        "AT_SetCompression",
        "AT_SetRelOptions",
        "AT_ResetRelOptions",
        "AT_ReplicaIdentity",
        "AT_ClusterOn",
        "AT_DropCluster",
        "AT_SetLogged",
        "AT_SetUnLogged",
        "AT_SetOptions",
        "AT_ResetOptions",
        "AT_EnableTrig",
        "AT_EnableAlwaysTrig",
        "AT_EnableReplicaTrig",
        "AT_DisableTrig",
        "AT_EnableTrigAll",
        "AT_DisableTrigAll",
        "AT_EnableTrigUser",
        "AT_DisableTrigUser",
        "AT_SetTableSpace",
        "AT_AlterConstraint",
    }
)

_ABORTED = "current transaction is aborted, commands ignored until end of transaction block"

# Data statements by parse-tree kind, and the keyword their notes use.
_DATA_KINDS = {
    "InsertStmt": "INSERT",
    "UpdateStmt": "UPDATE",
    "DeleteStmt": "DELETE",
    "MergeStmt": "MERGE",
    "CopyStmt": "COPY",
    "SelectStmt": "SELECT",
    "TruncateStmt": "TRUNCATE",
    "CallStmt": "CALL",
}


class ReplayError(Exception):
    """What PostgreSQL would refuse; the statement is abandoned and the replay goes on."""

    def __init__(self, message: str, location: int | None = None) -> None:
        super().__init__(message)
        self.location = location


@dataclass
class _State:
    """Everything besides tables that lives in PostgreSQL's catalog and affects a replay."""

    schemas: set[str] = field(default_factory=lambda: {"public"})
    search_path: list[str] = field(default_factory=lambda: ["public"])
    relations: dict[Key, str] = field(default_factory=dict)  # pg_class names -> relkind
    index_table: dict[Key, Key] = field(default_factory=dict)  # index -> its table
    sequence_owner: dict[Key, tuple[Key, str]] = field(default_factory=dict)
    domains: dict[Key, Type] = field(default_factory=dict)
    views: set[Key] = field(default_factory=set)
    partitions: dict[Key, list[Key]] = field(default_factory=dict)  # parent -> partitions
    # Every (schema, constraint name) ever given: a name not in it is certainly free, so the
    # exact scan of the schema's tables is needed only for the rare name that is.
    seen_constraints: set[Key] = field(default_factory=set)
    # Tables that may hold a foreign key to a table (a superset: users check the keys).
    referrers: dict[Key, set[Key]] = field(default_factory=dict)
    extensions: dict[str, str] = field(default_factory=dict)  # extension -> its schema


class Replay:
    """Replays PostgreSQL files into a `Catalog`, one statement at a time."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.state = _State()
        self.deparser = Deparser(self._type_of_name)
        self.path = ""
        self.parsed = parse_file("")
        self.lines = self.parsed.lines
        self.data = b""
        self._tx_snapshot: tuple[Any, ...] | None = None
        self._tx_failed = False

    # Files and statements --------------------------------------------------------------

    def file(self, path: str, text: str) -> None:
        """Replay one file; a syntax error costs only the statement it is in."""
        self.path = path
        self.parsed = parse_file(text)
        self.lines = self.parsed.lines
        self.data = self.parsed.data
        data: list[tuple[str, int]] = []  # consecutive data statements: (keyword, line)
        for item in self.parsed.items:
            if isinstance(item, Problem):
                self._flush_data(data)
                self.catalog.error(item.message, Origin(path, self.lines.line(item.offset)))
                if self._tx_snapshot is not None:
                    self._tx_failed = True
            elif isinstance(item, Skipped) or item.kind in _DATA_KINDS:
                keyword = item.keyword if isinstance(item, Skipped) else _DATA_KINDS[item.kind]
                line = self.lines.line_of_byte(item.start)
                if self._tx_failed:
                    self.catalog.error(_ABORTED, Origin(path, line))
                else:
                    data.append((keyword.lower(), line))
            else:
                self._flush_data(data)
                self._run(item)
        self._flush_data(data)
        if self._tx_snapshot is not None:
            self._end_transaction(commit=True)

    def _flush_data(self, data: list[tuple[str, int]]) -> None:
        """One note for a run of data statements, not one per INSERT of a seed file."""
        if not data:
            return
        kinds = ", ".join(sorted({keyword for keyword, _line in data}))
        first, last = data[0][1], data[-1][1]
        if len(data) == 1:
            message = f"not modelled: {kinds}"
        else:
            message = f"not modelled: {len(data)} data statements ({kinds}), lines {first}-{last}"
        self.catalog.note("data", message, Origin(self.path, first))
        data.clear()

    def _run(self, st: Statement) -> None:
        origin = Origin(self.path, self.lines.line_of_byte(st.start))
        if st.kind == "TransactionStmt":
            self._transaction(st.node, origin)
            return
        if self._tx_failed:
            self.catalog.error(_ABORTED, origin)
            return
        handler = getattr(self, f"_do_{st.kind}", None)
        try:
            if handler is not None:
                handler(st, origin)
            else:
                kind = _NOTE_KINDS.get(st.kind, "other")
                self.catalog.note(kind, f"not modelled: {_describe(st.kind)}", origin)
        except ReplayError as exc:
            line = origin.line
            if exc.location is not None and exc.location >= 0:
                line = self.lines.line_of_byte(st.base + exc.location)
            self.catalog.error(str(exc), Origin(self.path, line))
            if self._tx_snapshot is not None:
                self._tx_failed = True

    # Transactions: a failed statement inside BEGIN ... COMMIT undoes the whole block ----

    def _transaction(self, node: Node, origin: Origin) -> None:
        kind = node.get("kind", "")
        if kind in ("TRANS_STMT_BEGIN", "TRANS_STMT_START"):
            if self._tx_snapshot is None:
                self._tx_snapshot = self._snapshot()
                self._tx_failed = False
        elif kind in ("TRANS_STMT_COMMIT", "TRANS_STMT_PREPARE"):
            self._end_transaction(commit=not self._tx_failed)
        elif kind in ("TRANS_STMT_ROLLBACK", "TRANS_STMT_ROLLBACK_PREPARED"):
            self._end_transaction(commit=False)

    def _snapshot(self) -> tuple[Any, ...]:
        """What a ROLLBACK restores; the IR objects are frozen, so shallow copies suffice."""
        tables = {key: (table, table.snapshot()) for key, table in self.catalog.tables.items()}
        return (tables, dict(self.catalog.enums), copy.deepcopy(self.state))

    def _restore(self, snapshot: tuple[Any, ...]) -> None:
        tables, enums, state = snapshot
        self.catalog.tables = {}
        for key, (table, saved) in tables.items():
            table.restore(saved)
            self.catalog.tables[key] = table
        self.catalog.enums = enums
        self.state = state

    def _end_transaction(self, commit: bool) -> None:
        if self._tx_snapshot is not None and not commit:
            self._restore(self._tx_snapshot)
        self._tx_snapshot = None
        self._tx_failed = False

    # Name resolution -------------------------------------------------------------------

    def _creation_schema(self, explicit: str | None, location: int | None = None) -> str:
        if explicit is not None:
            if explicit not in self.state.schemas:
                raise ReplayError(f'schema "{explicit}" does not exist', location)
            return explicit
        for schema in self.state.search_path:
            if schema in self.state.schemas:
                return schema
        raise ReplayError("no schema has been selected to create in", location)

    def _find_table(self, rv: Node, missing_ok: bool = False) -> MutTable | None:
        schema = rv.get("schemaname")
        name = rv["relname"]
        candidates = [schema] if schema else self.state.search_path
        for s in candidates:
            table = self.catalog.table(s, name)
            if table is not None:
                return table
        if missing_ok:
            return None
        raise ReplayError(f'relation "{_display(schema, name)}" does not exist')

    def _find_key(self, mapping: dict[Key, Any], names: list[str]) -> Key | None:
        if len(names) > 1:
            key = (names[-2], names[-1])
            return key if key in mapping else None
        for schema in self.state.search_path:
            if (schema, names[0]) in mapping:
                return (schema, names[0])
        return None

    def _relation_taken(self, schema: str, name: str) -> bool:
        return (schema, name) in self.state.relations

    def _constraint_taken(self, schema: str, name: str) -> bool:
        if (schema, name) not in self.state.seen_constraints:
            return False
        return any(
            name in t.constraint_names() for t in self.catalog.tables.values() if t.schema == schema
        )

    def _register_constraint(self, schema: str | None, name: str | None) -> None:
        if name:
            self.state.seen_constraints.add((schema or "public", name))

    def _claim_relation(self, schema: str, name: str, relkind: str) -> None:
        if (schema, name) in self.state.relations:
            raise ReplayError(f'relation "{name}" already exists')
        self.state.relations[(schema, name)] = relkind

    # Types -----------------------------------------------------------------------------

    def _type_of_name(self, type_name: Node) -> Type:
        typ, _serial = self._column_type(type_name)
        return typ

    def _column_type(self, type_name: Node) -> tuple[Type, int | None]:
        """The canonical type of a parse-tree TypeName, and the width of a serial pseudo-type."""
        names = [n["String"]["sval"] for n in type_name.get("names", [])]
        if type_name.get("pct_type"):
            raise ReplayError("%TYPE column types are not supported", type_name.get("location"))
        typmods = [_typmod(m) for m in type_name.get("typmods", [])]
        array = bool(type_name.get("arrayBounds"))
        location = type_name.get("location")
        if len(names) == 1 and names[0] in SERIALS and not array:
            sql, bits = SERIALS[names[0]]
            return Type("integer", sql, bits=bits), bits
        if names == ["char"]:
            names = ['"char"']
        builtin = builtin_type(names, typmods, array)
        if builtin is not None:
            return builtin, None
        key = self._find_key(self.catalog.enums, names)
        if key is not None:
            schema, name = key
            typ = Type(
                "enum",
                qualified(schema, name, schema == "public"),
                enum=name,
            )
            return (array_of(typ) if array else typ), None
        key = self._find_key(self.state.domains, names)
        if key is not None:
            typ = self.state.domains[key]
            return (array_of(typ) if array else typ), None
        typ = self._extension_type(names, typmods, location)
        return (array_of(typ) if array else typ), None

    def _extension_type(self, names: list[str], typmods: list[int | str], location: Any) -> Type:
        """A type from an extension; any other unknown type is refused as PostgreSQL does.

        A type qualified by a schema this stream never created (``extensions.citext`` on
        Supabase) belongs to the platform, not to the stream, and is accepted as it is.
        """
        name = names[-1]
        schema = names[-2] if len(names) > 1 else None
        known = EXTENSION_TYPES.get(name)
        if known is None and (schema is None or schema in self.state.schemas):
            raise ReplayError(f'type "{".".join(names)}" does not exist', location)
        if schema is None and known is not None:
            schema = self.state.extensions.get(known[0], "public")
        family = known[1] if known else "other"
        sql = user_type_sql(schema, name, schema in (None, "public"), typmods)
        return Type(family, sql)

    # Statements ------------------------------------------------------------------------

    def _do_CreateSchemaStmt(self, st: Statement, origin: Origin) -> None:
        name = st.node.get("schemaname")
        if name is None:
            role = st.node.get("authrole", {}).get("RoleSpec", {})
            name = role.get("rolename")
        if name is None:
            raise ReplayError("CREATE SCHEMA without a name is not supported")
        if name in self.state.schemas:
            if st.node.get("if_not_exists"):
                return
            raise ReplayError(f'schema "{name}" already exists')
        self.state.schemas.add(name)
        saved = self.state.search_path
        self.state.search_path = [name]
        try:
            for element in st.node.get("schemaElts", []):
                ((kind, node),) = element.items()
                self._run(Statement(node, kind, st.base, st.start, st.end))
        finally:
            self.state.search_path = saved

    def _do_VariableSetStmt(self, st: Statement, origin: Origin) -> None:
        node = st.node
        if node.get("name") != "search_path":
            self.catalog.note("setting", f"not modelled: SET {node.get('name', '')}", origin)
            return
        if node.get("kind") in ("VAR_RESET", "VAR_SET_DEFAULT"):
            self.state.search_path = ["public"]
            return
        path = []
        for arg in node.get("args", []):
            value = const_value(arg.get("A_Const", {}))
            if value and value[0] == "str":
                path.append(value[1])
        self.state.search_path = [p for p in path if p != "$user"] or ["public"]

    def _do_CreateExtensionStmt(self, st: Statement, origin: Origin) -> None:
        name = st.node["extname"]
        schema = self.state.search_path[0] if self.state.search_path else "public"
        for option in st.node.get("options", []):
            elem = option.get("DefElem", {})
            if elem.get("defname") == "schema":
                schema = elem["arg"]["String"]["sval"]
        self.state.extensions.setdefault(name, schema)
        self.catalog.note("extension", f"extension {name} (its objects are not modelled)", origin)

    def _do_CreateSeqStmt(self, st: Statement, origin: Origin) -> None:
        """A sequence is not modelled, but it occupies a name a serial column may want."""
        rv = st.node["sequence"]
        schema = self._creation_schema(rv.get("schemaname"), rv.get("location"))
        if self._relation_taken(schema, rv["relname"]):
            if st.node.get("if_not_exists"):
                return
            raise ReplayError(f'relation "{rv["relname"]}" already exists')
        self.state.relations[(schema, rv["relname"])] = "sequence"
        self.catalog.note("sequence", f'sequence "{rv["relname"]}": not modelled', origin)

    def _do_CreateEnumStmt(self, st: Statement, origin: Origin) -> None:
        names = [n["String"]["sval"] for n in st.node["typeName"]]
        schema = self._creation_schema(names[0] if len(names) > 1 else None)
        key = (schema, names[-1])
        if key in self.catalog.enums or key in self.state.domains:
            raise ReplayError(f'type "{names[-1]}" already exists')
        values = tuple(v["String"]["sval"] for v in st.node.get("vals", []))
        self.catalog.enums[key] = Enum(names[-1], values, schema, origin)

    def _do_AlterEnumStmt(self, st: Statement, origin: Origin) -> None:
        node = st.node
        names = [n["String"]["sval"] for n in node["typeName"]]
        key = self._find_key(self.catalog.enums, names)
        if key is None:
            raise ReplayError(f'type "{".".join(names)}" does not exist')
        enum = self.catalog.enums[key]
        values = list(enum.values)
        new = node["newVal"]
        if "oldVal" in node:
            old = node["oldVal"]
            if old not in values:
                raise ReplayError(f'"{old}" is not an existing enum label')
            if new in values:
                raise ReplayError(f'enum label "{new}" already exists')
            values[values.index(old)] = new
        else:
            if new in values:
                if node.get("skipIfNewValExists"):
                    return
                raise ReplayError(f'enum label "{new}" already exists')
            neighbor = node.get("newValNeighbor")
            if neighbor is None:
                values.append(new)
            else:
                if neighbor not in values:
                    raise ReplayError(f'"{neighbor}" is not an existing enum label')
                at = values.index(neighbor) + (1 if node.get("newValIsAfter") else 0)
                values.insert(at, new)
        self.catalog.enums[key] = replace(enum, values=tuple(values), origin=origin)

    def _do_CreateDomainStmt(self, st: Statement, origin: Origin) -> None:
        names = [n["String"]["sval"] for n in st.node["domainname"]]
        schema = self._creation_schema(names[0] if len(names) > 1 else None)
        base, _serial = self._column_type(st.node["typeName"])
        key = (schema, names[-1])
        if key in self.state.domains or key in self.catalog.enums:
            raise ReplayError(f'type "{names[-1]}" already exists')
        self.state.domains[key] = base.with_sql(qualified(schema, names[-1], schema == "public"))

    def _do_CreateStmt(self, st: Statement, origin: Origin) -> None:
        node = st.node
        rv = node["relation"]
        if rv.get("relpersistence") == "t":
            self.catalog.note(
                "temporary", f'temporary table "{rv["relname"]}" is not part of the schema', origin
            )
            return
        schema = self._creation_schema(rv.get("schemaname"), rv.get("location"))
        name = pg_names.truncate_identifier(rv["relname"])
        if self._relation_taken(schema, name):
            if node.get("if_not_exists"):
                self.catalog.note("skipped", f'relation "{name}" already exists, skipping', origin)
                return
            raise ReplayError(f'relation "{name}" already exists')
        table = MutTable(name, schema, origin)
        builder = _TableBuilder(self, table, st)
        builder.inherit(node)
        for element in node.get("tableElts", []):
            ((kind, body),) = element.items()
            if kind == "ColumnDef":
                builder.column(body)
            elif kind == "Constraint":
                builder.pending.append(body)
            elif kind == "TableLikeClause":
                builder.like(body)
        relations_before = dict(self.state.relations)
        try:
            builder.finish_columns()
            self._claim_relation(schema, name, "table")
            self.catalog.add_table(table)
            builder.create_sequences()
            builder.apply_pending()
        except ReplayError:
            # CREATE TABLE is atomic: nothing it claimed survives its failure.
            self.catalog.tables.pop(table.key, None)
            self.state.relations = relations_before
            self.state.index_table = {
                k: v for k, v in self.state.index_table.items() if v != table.key
            }
            self.state.sequence_owner = {
                k: v for k, v in self.state.sequence_owner.items() if v[0] != table.key
            }
            for partitions in self.state.partitions.values():
                if table.key in partitions:
                    partitions.remove(table.key)
            raise

    def _do_CreateTableAsStmt(self, st: Statement, origin: Origin) -> None:
        """``CREATE TABLE ... AS SELECT * FROM t``: the columns of `t`, without constraints.

        Materialized views and other queries only occupy their name (an index may be built
        on them); their columns are not modelled, and a note says so.
        """
        node = st.node
        rv = node["into"]["rel"]
        if rv.get("relpersistence") == "t":
            self.catalog.note(
                "temporary", f'temporary table "{rv["relname"]}" is not part of the schema', origin
            )
            return
        schema = self._creation_schema(rv.get("schemaname"), rv.get("location"))
        name = rv["relname"]
        if self._relation_taken(schema, name):
            if node.get("if_not_exists"):
                return
            raise ReplayError(f'relation "{name}" already exists')
        source = _star_source(node.get("query", {}))
        if node.get("objtype") == "OBJECT_MATVIEW" or source is None:
            self._claim_relation(schema, name, "view")
            kind = "materialized view" if node.get("objtype") == "OBJECT_MATVIEW" else "table"
            self.catalog.note("view", f'{kind} "{name}" from a query: columns not modelled', origin)
            return
        parent = self._find_table(source)
        assert parent is not None
        table = MutTable(name, schema, origin)
        for column_name, column in parent.columns.items():
            table.columns[column_name] = Column(column_name, column.type, origin=origin)
        self._claim_relation(schema, name, "table")
        self.catalog.add_table(table)

    def _do_ViewStmt(self, st: Statement, origin: Origin) -> None:
        rv = st.node["view"]
        schema = self._creation_schema(rv.get("schemaname"), rv.get("location"))
        if (schema, rv["relname"]) not in self.state.relations:
            self.state.relations[(schema, rv["relname"])] = "view"
        self.catalog.note("view", f'view "{rv["relname"]}": not modelled', origin)

    def _do_AlterTableStmt(self, st: Statement, origin: Origin) -> None:
        node = st.node
        if node.get("objtype") not in (None, "OBJECT_TABLE", "OBJECT_FOREIGN_TABLE"):
            self.catalog.note("other", f"not modelled: ALTER {_describe(node['objtype'])}", origin)
            return
        table = self._find_table(node["relation"], missing_ok=node.get("missing_ok", False))
        if table is None:
            self.catalog.note("skipped", "relation does not exist, skipping", origin)
            return
        ignored = []
        cmds = node.get("cmds", [])
        saved = table.snapshot() if len(cmds) > 1 else None
        try:
            for cmd in cmds:
                body = cmd["AlterTableCmd"]
                subtype = body["subtype"]
                if subtype in _NOOP_ACTIONS:
                    ignored.append(_describe(subtype.removeprefix("AT_")))
                    continue
                _AlterTable(self, table, st, origin).run(subtype, body)
        except ReplayError:
            if saved is not None:  # one failing action undoes the statement's other actions
                table.restore(saved)
            raise
        if ignored:
            self.catalog.note("other", "not modelled: " + ", ".join(ignored), origin)

    def _do_IndexStmt(self, st: Statement, origin: Origin) -> None:
        node = st.node
        rv = node["relation"]
        view = self._find_key(self.state.relations, _range_names(rv))
        if view is not None and self.state.relations[view] == "view":
            if node.get("idxname"):
                self.state.relations[(view[0], node["idxname"])] = "index"
            self.catalog.note("view", f'index on view "{rv["relname"]}": not modelled', origin)
            return
        table = self._find_table(rv)
        assert table is not None
        schema = table.schema or "public"
        keys, key_names = self._index_keys(table, node.get("indexParams", []), st)
        name = node.get("idxname")
        if name is None:
            label = "idx"
            addition = pg_names.name_addition(pg_names.index_column_names(key_names))
            name = pg_names.choose_name(
                table.name, addition, label, lambda n: self._relation_taken(schema, n)
            )
        elif self._relation_taken(schema, name):
            if node.get("if_not_exists"):
                self.catalog.note("skipped", f'relation "{name}" already exists, skipping', origin)
                return
            raise ReplayError(f'relation "{name}" already exists')
        where = None
        if node.get("whereClause"):
            where = after_last_top_level(self._source_text(st), "WHERE")
            if not where:
                where = self._expression_text(node["whereClause"], st)
        method = node.get("accessMethod", "btree")
        self._claim_relation(schema, name, "index")
        self.state.index_table[(schema, name)] = table.key  # type: ignore[assignment]
        index = Index(name, tuple(keys), bool(node.get("unique")), method, where, origin)
        table.indexes.append(index)
        self._index_partitions(table, index, key_names)

    def _index_partitions(self, table: MutTable, index: Index, key_names: list[str | None]) -> None:
        """An index on a partitioned table is created on each partition under its own name."""
        for key in self.state.partitions.get(table.key, []):
            partition = self.catalog.tables.get(key)
            if partition is None:
                continue
            schema = partition.schema or "public"
            addition = pg_names.name_addition(pg_names.index_column_names(key_names))
            name = pg_names.choose_name(
                partition.name, addition, "idx", lambda n, s=schema: self._relation_taken(s, n)
            )
            self.state.relations[(schema, name)] = "index"
            self.state.index_table[(schema, name)] = partition.key  # type: ignore[assignment]
            child = replace(index, name=name)
            partition.indexes.append(child)
            self._index_partitions(partition, child, key_names)

    def _index_keys(
        self, table: MutTable, params: list[Node], st: Statement
    ) -> tuple[list[str], list[str | None]]:
        """Column names, and each expression key as its source text in parentheses."""
        keys: list[str] = []
        names: list[str | None] = []
        written: list[str] | None = None
        for position, param in enumerate(params):
            elem = param["IndexElem"]
            column = elem.get("name")
            expr = elem.get("expr", {})
            if column is None and "ColumnRef" in expr and len(expr["ColumnRef"]["fields"]) == 1:
                column = expr["ColumnRef"]["fields"][0]["String"]["sval"]
            if column is not None:
                if column not in table.columns:
                    raise ReplayError(f'column "{column}" does not exist')
                keys.append(column)
                names.append(column)
                continue
            if written is None:
                written = list_items_after(self._source_text(st), "ON")
            text = _expression_key(written[position]) if position < len(written) else None
            keys.append(f"({text or self._expression_text(expr, None)})")
            names.append(pg_names.figure_index_colname(expr))
        return keys, names

    def _source_text(self, st: Statement) -> str:
        return self.data[st.start : st.end].decode("utf-8", errors="replace")

    def _offset_in(self, st: Statement, location: int | None) -> int:
        """A parse-tree byte location as a character offset in the statement's text."""
        if location is None or location < 0:
            return 0
        return len(self.data[st.start : st.base + location].decode("utf-8", errors="replace"))

    def _parenthesised(self, st: Statement, constraint: Node) -> str | None:
        """The source text of ``CHECK (...)`` or ``GENERATED ... AS (...)`` as written."""
        return parenthesised_after(
            self._source_text(st), self._offset_in(st, constraint.get("location"))
        )

    def _expression_text(self, expr: Node, st: Statement | None) -> str:
        try:
            return self.deparser.expr(expr, None)
        except (Unsupported, ReplayError, KeyError, ValueError):
            return _pglast_deparse(expr)

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
            self.catalog.note("other", f"not modelled: rename of {_describe(kind)}", origin)

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
        key = self._find_key(self.state.index_table, _range_names(node["relation"]))
        names = _range_names(node["relation"])
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
        names = _object_names(node["object"])
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
                "other", f"not modelled: {_describe(node['objectType'])} SET SCHEMA", origin
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
                key = self._find_key(self.state.relations, _object_names(obj))
                if key is not None and self.state.relations[key] in ("view", "sequence"):
                    del self.state.relations[key]
        if handler is None:
            self.catalog.note(
                _NOTE_KINDS.get("ViewStmt" if "VIEW" in kind else "", "other"),
                f"not modelled: DROP {_describe(kind)}",
                origin,
            )
            return
        for obj in node.get("objects", []):
            names = _object_names(obj)
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
        for seq, (owner, _column) in list(self.state.sequence_owner.items()):
            if owner == key:
                del self.state.sequence_owner[seq]
                self.state.relations.pop(seq, None)

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


class _TableBuilder:
    """Builds one CREATE TABLE: columns first, then constraints in PostgreSQL's order."""

    def __init__(self, replay: Replay, table: MutTable, st: Statement) -> None:
        self.replay = replay
        self.table = table
        self.st = st
        self.pending: list[Node] = []
        self.serials: list[str] = []
        self.identities: list[str] = []
        self.inherited_checks: list[Check] = []
        self.inherited: set[str] = set()
        self.cloned: list[tuple[str, Any]] = []

    @property
    def schema(self) -> str:
        return self.table.schema or "public"

    def origin_at(self, location: int | None) -> Origin:
        if location is None or location < 0:
            return self.table.origin
        return Origin(self.replay.path, self.replay.lines.line_of_byte(self.st.base + location))

    def column(self, body: Node) -> None:
        name = pg_names.truncate_identifier(body["colname"])
        if name in self.table.columns and name not in self.inherited:
            raise ReplayError(f'column "{name}" specified more than once', body.get("location"))
        column = build_column(
            self.replay, self.table, body, self.st, self.origin_at(body.get("location"))
        )
        if name in self.inherited:
            column.column = self._merge_inherited(self.table.columns[name], column.column)
            self.inherited.discard(name)
        self.table.columns[name] = column.column
        if column.serial:
            self.serials.append(name)
        if column.column.identity:
            self.identities.append(name)
        for constraint in column.constraints:
            self.pending.append({**constraint, "_column": name})

    def _merge_inherited(self, parent: Column, child: Column) -> Column:
        """A column declared again under INHERITS merges with the parent's (NOTICE: merging)."""
        if parent.type.sql != child.type.sql:
            raise ReplayError(
                f'column "{child.name}" has a type conflict: '
                f"{parent.type.sql} versus {child.type.sql}"
            )
        return replace(
            child,
            nullable=parent.nullable and child.nullable,
            default=child.default if child.default is not None else parent.default,
        )

    def inherit(self, node: Node) -> None:
        """Columns (and what comes with them) from INHERITS parents or a PARTITION OF parent."""
        for rv in node.get("inhRelations", []):
            parent = self.replay._find_table(rv["RangeVar"])
            assert parent is not None
            for name, column in parent.columns.items():
                self.table.columns[name] = replace(
                    column, identity=None if not node.get("partbound") else column.identity
                )
                self.inherited.add(name)
            self.inherited_checks.extend(parent.checks)
            if node.get("partbound"):
                self.cloned.append(("partition", parent))
                self.replay.state.partitions.setdefault(parent.key, []).append(self.table.key)

    def like(self, body: Node) -> None:
        parent = self.replay._find_table(body["relation"])
        assert parent is not None
        options = body.get("options", 0)
        for name, column in parent.columns.items():
            if name in self.table.columns:
                raise ReplayError(f'column "{name}" specified more than once')
            self.table.columns[name] = replace(
                column,
                default=column.default if options & _LIKE_DEFAULTS else None,
                identity=column.identity if options & _LIKE_IDENTITY else None,
                generated=column.generated if options & _LIKE_GENERATED else None,
                nullable=column.nullable,
                origin=self.table.origin,
            )
            if column.identity and options & _LIKE_IDENTITY:
                self.identities.append(name)
        if options & _LIKE_CONSTRAINTS:
            self.inherited_checks.extend(parent.checks)
        if options & _LIKE_INDEXES:
            self.cloned.append(("like", parent))

    def finish_columns(self) -> None:
        """Serial and identity columns need their sequence names before the table exists."""
        for name in self.serials:
            seq = pg_names.choose_name(
                self.table.name, name, "seq", lambda n: self.replay._relation_taken(self.schema, n)
            )
            self.replay.state.relations[(self.schema, seq)] = "sequence"
            self.replay.state.sequence_owner[(self.schema, seq)] = (self.table.key, name)
            shown = qualified(self.schema, seq, self.schema == "public")
            self.table.columns[name] = replace(
                self.table.columns[name], default=f"nextval('{shown}'::regclass)"
            )

    def create_sequences(self) -> None:
        for name in self.identities:
            seq = pg_names.choose_name(
                self.table.name, name, "seq", lambda n: self.replay._relation_taken(self.schema, n)
            )
            self.replay.state.relations[(self.schema, seq)] = "sequence"
            self.replay.state.sequence_owner[(self.schema, seq)] = (self.table.key, name)

    def apply_pending(self) -> None:
        """Checks are named while the table is created, then PK/unique indexes, then FKs."""
        self.table.checks.extend(self.inherited_checks)
        alter = _AlterTable(self.replay, self.table, self.st, self.table.origin)
        by_kind: dict[str, list[Node]] = {}
        for constraint in self.pending:
            by_kind.setdefault(constraint["contype"], []).append(constraint)
        for constraint in by_kind.get("CONSTR_CHECK", []):
            alter.add_constraint(constraint)
        for constraint in by_kind.get("CONSTR_PRIMARY", []):
            alter.add_constraint(constraint)
        for kind, parent in self.cloned:
            alter.clone_indexes(parent, partition=kind == "partition")
        for constraint in by_kind.get("CONSTR_UNIQUE", []):
            alter.add_constraint(constraint)
        for constraint in by_kind.get("CONSTR_EXCLUSION", []):
            alter.add_constraint(constraint)
        for constraint in by_kind.get("CONSTR_FOREIGN", []):
            alter.add_constraint(constraint)


@dataclass
class BuiltColumn:
    column: Column
    serial: bool
    constraints: list[Node]


def build_column(
    replay: Replay, table: MutTable, body: Node, st: Statement, origin: Origin
) -> BuiltColumn:
    """A column definition as PostgreSQL stores it, plus its table-level constraints."""
    name = pg_names.truncate_identifier(body["colname"])
    typ, serial = replay._column_type(body["typeName"])
    nullable = not body.get("is_not_null", False)
    default: str | None = None
    identity: str | None = None
    generated: str | None = None
    constraints: list[Node] = []
    for item in body.get("constraints", []):
        constraint = item["Constraint"]
        kind = constraint["contype"]
        if kind == "CONSTR_NOTNULL":
            nullable = False
        elif kind == "CONSTR_NULL":
            nullable = True
        elif kind == "CONSTR_DEFAULT":
            raw = constraint.get("raw_expr")
            if serial:
                raise ReplayError(
                    f'multiple default values specified for column "{name}" of table "{table.name}"'
                )
            default = _null_default(typ) if is_null(raw) else _default_text(replay, raw, typ)
        elif kind == "CONSTR_IDENTITY":
            if typ.family != "integer":
                raise ReplayError(
                    "identity column type must be smallint, integer, or bigint",
                )
            identity = "always" if constraint.get("generated_when") == "a" else "by default"
            nullable = False
        elif kind == "CONSTR_GENERATED":
            generated = replay._parenthesised(st, constraint) or replay._expression_text(
                constraint["raw_expr"], st
            )
        elif kind == "CONSTR_PRIMARY":
            nullable = False
            constraints.append(constraint)
        elif kind in ("CONSTR_UNIQUE", "CONSTR_CHECK", "CONSTR_FOREIGN"):
            constraints.append(constraint)
    if serial:
        nullable = False
    column = Column(
        name=name,
        type=typ,
        nullable=nullable,
        default=default,
        identity=identity,
        generated=generated,
        origin=origin,
    )
    return BuiltColumn(column, serial is not None, constraints)


def _null_default(typ: Type) -> str | None:
    """PostgreSQL drops a NULL default unless coercing it to a type modifier wraps it in a
    length-coercion call: ``varchar(500) DEFAULT NULL`` is kept as ``NULL::character varying``."""
    if re.search(r"\(\d", typ.sql) and typ.family != "array":
        return f"NULL::{label_sql(typ)}"
    return None


def _default_text(replay: Replay, raw: Node, typ: Type) -> str:
    try:
        return replay.deparser.default(raw, typ)
    except (Unsupported, KeyError, ValueError):
        return _pglast_deparse(raw)


class _AlterTable:
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
                f"not modelled: ALTER TABLE {_describe(subtype.removeprefix('AT_'))}",
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

    def _AT_AddColumn(self, body: Node) -> None:
        definition = body["def"]["ColumnDef"]
        name = pg_names.truncate_identifier(definition["colname"])
        if name in self.table.columns:
            if body.get("missing_ok"):
                self.replay.catalog.note(
                    "skipped",
                    f'column "{name}" of relation "{self.table.name}" already exists, skipping',
                    self.origin,
                )
                return
            raise ReplayError(f'column "{name}" of relation "{self.table.name}" already exists')
        location = definition.get("location")
        origin = self.origin
        if location is not None:
            origin = Origin(
                self.replay.path, self.replay.lines.line_of_byte(self.st.base + location)
            )
        built = build_column(self.replay, self.table, definition, self.st, origin)
        self.table.columns[name] = built.column
        if built.serial:
            seq = pg_names.choose_name(
                self.table.name, name, "seq", lambda n: self.replay._relation_taken(self.schema, n)
            )
            self.replay.state.relations[(self.schema, seq)] = "sequence"
            self.replay.state.sequence_owner[(self.schema, seq)] = (self.table.key, name)
            shown = qualified(self.schema, seq, self.schema == "public")
            self._set(name, default=f"nextval('{shown}'::regclass)")
        if built.column.identity:
            seq = pg_names.choose_name(
                self.table.name, name, "seq", lambda n: self.replay._relation_taken(self.schema, n)
            )
            self.replay.state.relations[(self.schema, seq)] = "sequence"
            self.replay.state.sequence_owner[(self.schema, seq)] = (self.table.key, name)
        for constraint in built.constraints:
            self.add_constraint({**constraint, "_column": name})

    def _AT_DropColumn(self, body: Node) -> None:
        name = body["name"]
        if name not in self.table.columns:
            if body.get("missing_ok"):
                self.replay.catalog.note(
                    "skipped",
                    f'column "{name}" of relation "{self.table.name}" does not exist, skipping',
                    self.origin,
                )
                return
            raise ReplayError(f'column "{name}" of relation "{self.table.name}" does not exist')
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
        for seq, (owner, column) in list(self.replay.state.sequence_owner.items()):
            if owner == self.table.key and column == name:
                del self.replay.state.sequence_owner[seq]
                self.replay.state.relations.pop(seq, None)
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
            self._set(column.name, default=_null_default(column.type) if raw else None)
            return
        self._set(column.name, default=_default_text(self.replay, raw, column.type))

    def _AT_AddIdentity(self, body: Node) -> None:
        column = self._column(body)
        when = body["def"]["Constraint"].get("generated_when")
        seq = pg_names.choose_name(
            self.table.name,
            column.name,
            "seq",
            lambda n: self.replay._relation_taken(self.schema, n),
        )
        self.replay.state.relations[(self.schema, seq)] = "sequence"
        self.replay.state.sequence_owner[(self.schema, seq)] = (self.table.key, column.name)
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
        for seq, (owner, name) in list(self.replay.state.sequence_owner.items()):
            if owner == self.table.key and name == column.name:
                del self.replay.state.sequence_owner[seq]
                self.replay.state.relations.pop(seq, None)
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
        if body.get("missing_ok"):
            self.replay.catalog.note(
                "skipped",
                f'constraint "{name}" of relation "{table.name}" does not exist, skipping',
                self.origin,
            )
            return
        raise ReplayError(f'constraint "{name}" of relation "{table.name}" does not exist')

    def _release_index(self, name: str) -> None:
        self.replay.state.relations.pop((self.schema, name), None)
        self.replay.state.index_table.pop((self.schema, name), None)

    def _AT_AttachPartition(self, body: Node) -> None:
        """The attached table gets the parent's keys and indexes, under its own names."""
        partition = self.replay._find_table(body["def"]["PartitionCmd"]["name"])
        assert partition is not None
        self.replay.state.partitions.setdefault(self.table.key, []).append(partition.key)
        _AlterTable(self.replay, partition, self.st, self.origin).clone_indexes(
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
            for key in _strings(constraint.get("keys", [])):
                self._set(key, nullable=False)
        else:
            self.replay.catalog.note(
                "other",
                f"not modelled: {_describe(kind.removeprefix('CONSTR_'))} constraint",
                self.origin,
            )

    def _keys(self, constraint: Node) -> list[str]:
        keys = _strings(constraint.get("keys", []))
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
            self._set(key, nullable=False)
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
            columns = sorted(set(_column_refs(constraint["raw_expr"])) & set(self.table.columns))
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
        columns = _strings(constraint.get("fk_attrs", [])) or [constraint["_column"]]
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
        ref_columns = _strings(constraint.get("pk_attrs", []))
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
        self.replay._register_constraint(self.schema, name)
        self.replay.state.referrers.setdefault(target.key, set()).add(self.table.key)
        self.table.foreign_keys.append(
            ForeignKey(
                name=name,
                columns=tuple(columns),
                ref_table=target.name,
                ref_columns=tuple(ref_columns),
                ref_schema=target.schema,
                on_delete=_ACTIONS.get(constraint.get("fk_del_action", "a"), "NO ACTION"),
                on_update=_ACTIONS.get(constraint.get("fk_upd_action", "a"), "NO ACTION"),
                origin=self.origin,
            )
        )

    def clone_indexes(self, parent: MutTable, partition: bool) -> None:
        """LIKE ... INCLUDING INDEXES and PARTITION OF copy keys and indexes under new names."""
        if parent.primary_key is not None:
            self._add_primary(
                {"contype": "CONSTR_PRIMARY", "keys": _as_strings(parent.primary_key.columns)}
            )
        for unique in parent.uniques:
            self._add_unique({"contype": "CONSTR_UNIQUE", "keys": _as_strings(unique.columns)})
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


_KEY_SUFFIX = re.compile(
    r"(\s+(ASC|DESC|NULLS\s+(FIRST|LAST)|COLLATE\s+\S+|[a-z_][a-z0-9_]*_ops))+\s*$", re.IGNORECASE
)


def _expression_key(item: str) -> str:
    """An index item's expression without its ordering, collation or operator class."""
    text = _KEY_SUFFIX.sub("", item).strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text


def _star_source(query: Node) -> Node | None:
    """The table of a ``SELECT * FROM t`` query, or ``None`` for any other query."""
    select = query.get("SelectStmt")
    if not select or len(select.get("fromClause", [])) != 1:
        return None
    source = select["fromClause"][0].get("RangeVar")
    targets = select.get("targetList", [])
    if source is None or len(targets) != 1 or select.get("whereClause") is not None:
        return None
    fields = targets[0]["ResTarget"].get("val", {}).get("ColumnRef", {}).get("fields", [])
    return source if fields and "A_Star" in fields[-1] else None


def _range_names(rv: Node) -> list[str]:
    return [rv["schemaname"], rv["relname"]] if rv.get("schemaname") else [rv["relname"]]


def _strings(items: list[Node]) -> list[str]:
    return [i["String"]["sval"] for i in items]


def _as_strings(names: tuple[str, ...]) -> list[Node]:
    return [{"String": {"sval": n}} for n in names]


def _object_names(obj: Node) -> list[str]:
    if "List" in obj:
        return _strings(obj["List"]["items"])
    if "TypeName" in obj:
        return _strings(obj["TypeName"]["names"])
    if "String" in obj:
        return [obj["String"]["sval"]]
    return []


def _column_refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("ColumnRef")
        if ref is not None:
            fields = ref.get("fields", [])
            if fields and "String" in fields[-1]:
                yield fields[-1]["String"]["sval"]
            return
        for value in node.values():
            yield from _column_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _column_refs(value)


def _typmod(node: Node) -> int | str:
    const = node.get("A_Const")
    if const is not None:
        value = const_value(const)
        if value is not None and value[0] in ("int", "float", "str"):
            return value[1]
    if "ColumnRef" in node:
        return node["ColumnRef"]["fields"][0]["String"]["sval"]
    return 0


def _display(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name


def _describe(kind: str) -> str:
    """``CreateFunctionStmt`` -> ``create function``; ``OBJECT_MATVIEW`` -> ``matview``."""
    kind = kind.removeprefix("OBJECT_").removesuffix("Stmt")
    if kind.isupper():
        return kind.lower().replace("_", " ")
    return re.sub(r"(?<!^)(?=[A-Z])", " ", kind).lower()


def _pglast_deparse(expr: Node) -> str:
    """Print an expression with pglast's deparser, re-parsing it from the JSON tree."""
    from pglast import ast
    from pglast.stream import RawStream

    try:
        return RawStream()(ast.Node(_to_ast_dict(expr)))  # type: ignore[call-arg]
    except Exception:
        log.info("Skipped deparsing of %s because pglast could not render it", list(expr))
        return json.dumps(expr, sort_keys=True)


def _to_ast_dict(node: Any) -> Any:
    """pglast's JSON tree (``{"A_Const": {...}}``) in the dict form its AST accepts (``@``)."""
    if isinstance(node, list):
        return tuple(_to_ast_dict(v) for v in node)
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        ((kind, body),) = node.items()
        if kind[:1].isupper() and isinstance(body, dict):
            if kind == "A_Const":
                return _a_const(body)
            return {"@": kind, **{k: _to_ast_dict(v) for k, v in body.items()}}
    return {k: _to_ast_dict(v) for k, v in node.items()}


def _a_const(body: Node) -> Node:
    value = const_value(body)
    if value is None or value[0] == "null":
        return {"@": "A_Const", "isnull": True}
    kind, raw = value
    wrapped = {
        "int": {"@": "Integer", "ival": raw},
        "float": {"@": "Float", "fval": raw},
        "str": {"@": "String", "sval": raw},
        "bool": {"@": "Boolean", "boolval": raw},
        "bits": {"@": "BitString", "bsval": raw},
    }[kind]
    return {"@": "A_Const", "isnull": False, "val": wrapped}
