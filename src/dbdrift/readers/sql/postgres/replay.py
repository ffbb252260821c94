"""PostgreSQL replay: statements parsed by pglast (PostgreSQL's own parser), applied in order.

The replay keeps what PostgreSQL's catalog would hold after each statement — tables,
columns, constraints, indexes, enums, domains, sequences and the names they occupy — and
refuses what PostgreSQL would refuse, with the same error text where it can.  Each file is
parsed in one call to pglast's JSON parse-tree path; only a file with a syntax error is
split into statements (by PostgreSQL's own scanner) so that the rest is still replayed.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from dbdrift.readers.sql.catalog import Catalog, Key, MutTable
from dbdrift.readers.sql.postgres import names as pg_names
from dbdrift.readers.sql.postgres.alter import AlterTable
from dbdrift.readers.sql.postgres.common import (
    ABORTED,
    DATA_KINDS,
    NOOP_ACTIONS,
    NOTE_KINDS,
    Node,
    ReplayError,
    State,
    describe,
    display,
    expression_key,
    first_location,
    range_names,
    star_source,
    typmod,
)
from dbdrift.readers.sql.postgres.expr import Deparser, Unsupported, const_value
from dbdrift.readers.sql.postgres.objects import ObjectChanges
from dbdrift.readers.sql.postgres.statements import (
    Problem,
    Skipped,
    Statement,
    after_last_top_level,
    expression_from,
    list_items_after,
    parenthesised_after,
    parse_file,
)
from dbdrift.readers.sql.postgres.tables import TableBuilder
from dbdrift.schema import Column, Enum, Index, Origin
from dbdrift.types import Type
from dbdrift.types.postgres import (
    EXTENSION_TYPES,
    SERIALS,
    array_of,
    builtin_type,
    qualified,
    user_type_sql,
)


class Replay(ObjectChanges):
    """Replays PostgreSQL files into a `Catalog`, one statement at a time."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.state = State()
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
        for client in self.parsed.client:
            line = Origin(path, self.lines.line(client.offset))
            self.catalog.note("psql", f"not modelled: {client.what}", line)
        data: list[tuple[str, int]] = []  # consecutive data statements: (keyword, line)
        for item in self.parsed.items:
            if isinstance(item, Problem):
                self._flush_data(data)
                self.catalog.error(item.message, Origin(path, self.lines.line(item.offset)))
                if self._tx_snapshot is not None:
                    self._tx_failed = True
            elif isinstance(item, Skipped) or item.kind in DATA_KINDS:
                keyword = item.keyword if isinstance(item, Skipped) else DATA_KINDS[item.kind]
                line = self.lines.line_of_byte(item.start)
                if self._tx_failed:
                    self.catalog.error(ABORTED, Origin(path, line))
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
        self.catalog.note("data", message, Origin(self.path, first), count=len(data))
        data.clear()

    def _run(self, st: Statement) -> None:
        origin = Origin(self.path, self.lines.line_of_byte(st.start))
        if st.kind == "TransactionStmt":
            self._transaction(st.node, origin)
            return
        if self._tx_failed:
            self.catalog.error(ABORTED, origin)
            return
        handler = getattr(self, f"_do_{st.kind}", None)
        try:
            if handler is not None:
                handler(st, origin)
            else:
                kind = NOTE_KINDS.get(st.kind, "other")
                self.catalog.note(kind, f"not modelled: {describe(st.kind)}", origin)
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
        raise ReplayError(f'relation "{display(schema, name)}" does not exist')

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

    def own_sequence(self, table: MutTable, column: str) -> str:
        """Create the sequence a serial or identity column owns, named as PostgreSQL names it;
        returns the default that draws from it."""
        schema = table.schema or "public"
        seq = pg_names.choose_name(
            table.name, column, "seq", lambda n: self._relation_taken(schema, n)
        )
        self.state.relations[(schema, seq)] = "sequence"
        self.state.sequence_owner[(schema, seq)] = (table.key, column)
        return f"nextval('{qualified(schema, seq, schema == 'public')}'::regclass)"

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
        typmods = [typmod(m) for m in type_name.get("typmods", [])]
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
        builder = TableBuilder(self, table, st)
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
        source = star_source(node.get("query", {}))
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
            self.catalog.note("other", f"not modelled: ALTER {describe(node['objtype'])}", origin)
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
                if subtype in NOOP_ACTIONS:
                    ignored.append(describe(subtype.removeprefix("AT_")))
                    continue
                AlterTable(self, table, st, origin).run(subtype, body)
        except ReplayError:
            if saved is not None:  # one failing action undoes the statement's other actions
                table.restore(saved)
            raise
        if ignored:
            self.catalog.note("other", "not modelled: " + ", ".join(ignored), origin)

    def _do_IndexStmt(self, st: Statement, origin: Origin) -> None:
        node = st.node
        rv = node["relation"]
        view = self._find_key(self.state.relations, range_names(rv))
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
            text = expression_key(written[position]) if position < len(written) else None
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
        """An expression as pg_get_expr would print it, else as the source spells it."""
        try:
            return self.deparser.expr(expr, None)
        except (Unsupported, ReplayError, KeyError, ValueError):
            return self._written(expr, st)

    def _written(self, expr: Node, st: Statement | None) -> str:
        """The source text of a default expression, for what the deparser does not print."""
        location = first_location(expr)
        if st is not None and location is not None:
            text = expression_from(self._source_text(st), self._offset_in(st, location))
            if text:
                return text
        return "(expression not read)"
