"""Data statements (INSERT, UPDATE, DELETE, SELECT, ...): parsed by sqlglot and checked as
SQLite checks them when it prepares them (tables, columns, VALUES width), then noted.

What they do to rows is not modelled beyond whether a table holds rows, which decides
whether SQLite accepts an ``ADD COLUMN ... NOT NULL`` without a default; a constraint a
row violates at run time (UNIQUE, NOT NULL, a foreign key) is not predicted.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from dbdrift.readers.sql.catalog import Catalog, MutTable
from dbdrift.readers.sql.sqlite.common import NOTED, Refused, fold, has_column
from dbdrift.readers.sql.sqlite.dependents import table_refs
from dbdrift.readers.sql.sqlite.parser import Parser
from dbdrift.readers.sql.sqlite.syntax import (
    for_sqlglot,
    joins_need_from,
    plausible,
    reserved_names,
    sqlglot_parse,
)
from dbdrift.schema import Origin

if TYPE_CHECKING:
    from dbdrift.readers.sql.sqlite.state import State

log = logging.getLogger(__name__)


class DataStatements:
    """Data statements, checked and noted (a mixin of `Replay`)."""

    catalog: Catalog
    state: State
    text: str

    def data_statement(self, p: Parser, first: str, origin: Origin) -> None:
        """INSERT, UPDATE, DELETE, SELECT ...: parsed by sqlglot, checked for the tables
        and columns they name, and noted; rows are tracked only as "has rows or not"."""
        from sqlglot import exp

        plausible(p.toks)
        sql = self.text[p.toks[0].start : p.toks[-1].end]
        trees, problem = sqlglot_parse(for_sqlglot(p.toks, sql))
        if problem is not None:
            raise Refused(problem)
        reserved_names(trees)
        self.require_tables(table_refs(trees))
        self.check_columns(trees)
        tree = trees[0] if trees else None
        target = self._target(tree)
        if isinstance(tree, exp.Insert) and target is not None:
            self._check_insert(tree, target)
            if target in self.state.facts:
                self.state.facts[target].has_rows = self._inserts_rows(tree)
        elif (
            isinstance(tree, exp.Delete)
            and target in self.state.facts
            and tree.args.get("where") is None
        ):
            self.state.facts[target].has_rows = False
        self.catalog.note(NOTED[first], f"not modelled: {first} statement", origin)

    @staticmethod
    def _target(tree: Any) -> str | None:
        from sqlglot import exp

        if isinstance(tree, (exp.Insert, exp.Update, exp.Delete)):
            table = tree.this
            if isinstance(table, exp.Schema):
                table = table.this
            if isinstance(table, exp.Table):
                return fold(table.name)
        return None

    def require_tables(self, names: set[str]) -> None:
        """Refuse a statement naming a table that does not resolve (``no such table``)."""
        internal = {"sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_sequence"}
        for name in sorted(names):
            if name in internal or self.resolve(None, name) is not None:
                continue
            raise Refused(f"no such table: {name}")

    def check_columns(self, trees: list[Any]) -> None:
        """Refuse column names SQLite would not resolve when it prepares the statement.

        Only what can be decided without guessing: scopes whose sources (and outer
        sources) are all known tables, not views, CTEs or subqueries; a qualifier naming
        one of them; the SET and WHERE of a single-table UPDATE or DELETE.  A quoted name
        that matches nothing may be a string literal to SQLite, and ``rowid`` always exists.
        """
        from sqlglot import exp
        from sqlglot.optimizer.scope import traverse_scope

        joins_need_from(trees)
        for tree in trees:
            outer: dict[str, MutTable | None] = {}
            if isinstance(tree, (exp.Update, exp.Delete)):
                outer = self._check_target_columns(tree)
            root = tree.expression if isinstance(tree, exp.Insert) else tree
            if not isinstance(root, exp.Query):
                continue
            try:
                scopes = traverse_scope(root)
            except Exception:  # sqlglot cannot scope it: leave the judgement to SQLite
                log.debug("Skipped column checks of a statement sqlglot cannot scope")
                continue
            for scope in scopes:
                self._check_scope(scope, outer)

    def _source_table(self, source: Any) -> MutTable | None:
        """The table a FROM source reads, when its columns are known."""
        from sqlglot import exp

        if not isinstance(source, exp.Table) or not isinstance(source.this, exp.Identifier):
            return None
        name = fold(source.name)
        if name in self.state.temp:
            return self.state.temp[name]
        return self.state.tables.get(name)

    def _check_scope(self, scope: Any, outer: dict[str, MutTable | None]) -> None:
        from sqlglot import exp

        visible: dict[str, MutTable | None] = dict(outer)
        chain = []
        node = scope
        while node is not None:
            chain.append(node)
            node = node.parent
        for level in reversed(chain):
            for alias, source in level.sources.items():
                visible[fold(alias)] = self._source_table(source)
        # No source at all (SELECT without FROM): every name is unknown.
        complete = all(t is not None for t in visible.values())
        outputs = getattr(scope.expression, "expressions", [])
        aliases = {fold(e.alias) for e in outputs if isinstance(e, exp.Alias)}
        # SQLite lets WHERE, GROUP BY ... name an output alias, not the output list itself.
        in_outputs = {id(c) for e in outputs for c in e.find_all(exp.Column)}
        for col in scope.columns:
            if isinstance(col.this, exp.Star) or _always_there(col):
                continue
            if col.table:
                qualifier = fold(col.table)
                if qualifier not in visible:
                    raise Refused(f"no such column: {col.table}.{col.name}")
                table = visible[qualifier]
                if table is not None and not has_column(table, col.name):
                    raise Refused(f"no such column: {col.table}.{col.name}")
            elif (
                complete
                and (fold(col.name) not in aliases or id(col) in in_outputs)
                and not any(has_column(t, col.name) for t in visible.values() if t)
            ):
                raise Refused(f"no such column: {col.name}")

    def _check_target_columns(self, tree: Any) -> dict[str, MutTable | None]:
        """SET and WHERE columns of a single-table UPDATE or DELETE; its name for subqueries."""
        from sqlglot import exp

        source = tree.this
        table = self._source_table(source)
        if table is None:
            return {}
        names = {fold(source.name), fold(source.alias_or_name)}
        if tree.args.get("from_"):
            return {n: table for n in names}
        for assignment in tree.expressions:
            col = assignment.this if isinstance(assignment, exp.EQ) else None
            if isinstance(col, exp.Column) and not has_column(table, col.name):
                raise Refused(f"no such column: {col.name}")
        where = tree.args.get("where")
        for col in where.find_all(exp.Column) if where is not None else []:
            if col.find_ancestor(exp.Select) is not None or _always_there(col):
                continue
            if col.table and fold(col.table) not in names:
                raise Refused(f"no such column: {col.table}.{col.name}")
            if not has_column(table, col.name):
                raise Refused(f"no such column: {col.name}")
        return {n: table for n in names}

    def _check_insert(self, tree: Any, target: str) -> None:
        """The column list and VALUES arity of an INSERT, as SQLite checks them."""
        from sqlglot import exp

        table = self.state.tables.get(target)
        if table is None:
            table = self.state.temp.get(target)
        if table is None:
            return
        names = {fold(c): c for c in table.columns}
        listed = tree.this.expressions if isinstance(tree.this, exp.Schema) else []
        for ident in listed:
            if fold(ident.name) not in names:
                raise Refused(f"table {table.name} has no column named {ident.name}")
        values = tree.expression
        if values is None and not tree.args.get("default"):
            raise Refused("incomplete input")
        width = len(listed) or sum(1 for c in table.columns.values() if c.generated is None)
        if isinstance(values, exp.Query) and not isinstance(values, exp.Values):
            first = values
            while isinstance(first, exp.SetOperation):
                first = first.this
            outputs = getattr(first, "expressions", [])
            starred = any(isinstance(e.unalias(), exp.Star) for e in outputs)
            if outputs and not starred and len(outputs) != width:
                if listed:
                    raise Refused(f"{len(outputs)} values for {width} columns")
                raise Refused(
                    f"table {table.name} has {width} columns but {len(outputs)} values "
                    "were supplied"
                )
        if not isinstance(values, exp.Values):
            return
        for col in values.find_all(exp.Column):
            if col.find_ancestor(exp.Select) is None and not _always_there(col):
                raise Refused(f"no such column: {col.sql('sqlite')}")
        for row in values.expressions:
            count = len(row.expressions) if isinstance(row, exp.Tuple) else 1
            if count != width:
                if listed:
                    raise Refused(f"{count} values for {width} columns")
                raise Refused(
                    f"table {table.name} has {width} columns but {count} values were supplied"
                )

    def has_rows(self, name: str) -> bool:
        """Whether table `name` may hold rows (what ADD COLUMN restrictions depend on)."""
        facts = self.state.facts.get(fold(name))
        return facts.has_rows if facts else False

    def _inserts_rows(self, tree: Any) -> bool:
        from sqlglot import exp

        target = self._target(tree)
        already = self.has_rows(target) if target else False
        source = tree.expression
        if source is None or isinstance(source, exp.Values):
            return True
        tables = table_refs([source])
        if not tables:
            return True
        return already or any(self.has_rows(t) for t in tables)


def _always_there(col: Any) -> bool:
    """``rowid`` and its aliases, and quoted names SQLite may take for string literals."""
    return fold(col.name) in ("rowid", "oid", "_rowid_") or bool(col.this.args.get("quoted"))
