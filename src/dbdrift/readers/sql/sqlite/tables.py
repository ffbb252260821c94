"""CREATE TABLE: the table body, its table constraints (a ``CONSTRAINT x`` name lasts until
the next comma), its options (WITHOUT ROWID, STRICT), and CREATE TABLE ... AS SELECT,
whose columns SQLite declares by the affinity of each output expression."""

from __future__ import annotations

from typing import Any

from dbdrift.readers.sql.catalog import Catalog, MutTable
from dbdrift.readers.sql.sqlite.builder import ColumnDef, TableBuilder, finish_table
from dbdrift.readers.sql.sqlite.columns import defer
from dbdrift.readers.sql.sqlite.common import Refused, fold
from dbdrift.readers.sql.sqlite.dependents import table_refs
from dbdrift.readers.sql.sqlite.parser import Parser
from dbdrift.readers.sql.sqlite.state import State, TableFacts
from dbdrift.readers.sql.sqlite.statements import Tok
from dbdrift.readers.sql.sqlite.syntax import (
    check_expression,
    plausible,
    reserved_names,
    sqlglot_parse,
)
from dbdrift.schema import Column, Origin
from dbdrift.types.sqlite import declared_type, dequote

# What may open a table constraint in CREATE TABLE (``tcons`` in parse.y).
_TCONS = ("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN")


class TableStatements:
    """CREATE TABLE and CREATE TABLE ... AS SELECT (a mixin of `Replay`)."""

    catalog: Catalog
    state: State
    text: str

    def create_table(self, p: Parser, origin: Origin, temp: bool) -> None:
        """``CREATE [TEMP] TABLE``: refused, skipped (IF NOT EXISTS), or added."""
        temp, ine, name = self.creation_target(p, temp, "table")
        self.check_object_name(name)
        exists = fold(name) in self.state.temp if temp else self.taken_by_table(name)
        if exists and not ine:
            raise Refused(f"{'view' if exists == 'view' else 'table'} {name} already exists")
        if not temp and self.index_exists(name):
            raise Refused(f"there is already an index named {name}")
        if p.take("AS"):
            self._create_table_as(p, origin, name, temp, bool(exists))
            return
        b = TableBuilder(name, origin, semantic=not exists)
        facts = TableFacts()
        self._table_body(p, b, facts)
        if exists:
            self.catalog.note("skipped", f"table {name} already exists, skipping", origin)
            return
        table = finish_table(b, facts)
        if temp:
            self.state.temp[fold(name)] = table
            self.catalog.note("temporary", f"temporary table {name} is not modelled", origin)
            return
        self.add_table(table, facts)

    def add_table(self, table: MutTable, facts: TableFacts) -> None:
        """Put a finished table into main and into the catalog."""
        self.state.tables[fold(table.name)] = table
        self.state.facts[fold(table.name)] = facts
        self.catalog.add_table(table)

    def _table_body(self, p: Parser, b: TableBuilder, facts: TableFacts) -> None:
        """``( columnlist [, conslist] ) [table-options]`` of parse.y."""
        p.expect_op("(")
        self.column_def(p, b)
        while p.take_op(","):
            if p.at(*_TCONS):
                self._conslist(p, b)
                break
            self.column_def(p, b)
        p.expect_op(")")
        if not p.done():
            p.take_op(",")  # table_option_set (parse.y) may begin with its comma: ") , STRICT"
            while True:
                if p.take("WITHOUT"):
                    option = p.name()
                    if fold(option) != "rowid":
                        b.fail(f"unknown table option: {option}")
                    facts.without_rowid = True
                else:
                    option = p.name()
                    if fold(option) != "strict":
                        b.fail(f"unknown table option: {option}")
                    facts.strict = True
                if not p.take_op(","):
                    break
        p.end()

    def _conslist(self, p: Parser, b: TableBuilder) -> None:
        """Table constraints; a ``CONSTRAINT x`` name lasts until the next comma."""
        name: str | None = None
        while True:
            start = p.peek()
            if start is None:
                raise p.error()
            origin = self.origin_of(start)
            if p.take("CONSTRAINT"):
                name = p.name()
            elif p.take("PRIMARY"):
                p.expect("KEY")
                opened, closed = p.group()
                # ``PRIMARY KEY ( sortlist autoinc )``: AUTOINCREMENT sits inside the group.
                autoinc = p.toks[closed - 1].word == "AUTOINCREMENT"
                cols = self._sortlist(b, p.items(opened, closed - 1 if autoinc else closed))
                p.onconf()
                self.add_primary_key(b, cols, False, autoinc, origin, column_form=False)
            elif p.take("UNIQUE"):
                opened, closed = p.group()
                cols = self._sortlist(b, p.items(opened, closed))
                p.onconf()
                if cols is not None:
                    b.autoindex(cols, "u", origin)
            elif p.take("CHECK"):
                opened, closed = p.group()
                self.add_check(p, b, name, opened, closed, None, origin)
                p.onconf()
            elif p.take("FOREIGN"):
                p.expect("KEY")
                opened, closed = p.group()
                local = [self.plain_name(item) for item in p.items(opened, closed)]
                p.expect("REFERENCES")
                self.references(p, b, local, None, origin)
                defer(p)
            else:
                raise p.error()
            if p.take_op(","):
                name = None
                if not p.at(*_TCONS):
                    raise p.error()
            elif not p.at(*_TCONS):
                return

    def _sortlist(
        self, b: TableBuilder, items: list[list[Tok]]
    ) -> list[tuple[ColumnDef, str | None]] | None:
        """PRIMARY KEY / UNIQUE columns: each a column name with optional COLLATE and order."""
        result: list[tuple[ColumnDef, str | None]] = []
        for item in items:
            if not item:
                raise Refused('near ")": syntax error' if not result else 'near ",": syntax error')
            toks = list(item)
            if toks and toks[-1].kind == "word" and toks[-1].word in ("ASC", "DESC"):
                toks.pop()
            collation = None
            if len(toks) >= 3 and toks[-2].word == "COLLATE":
                collation = dequote(toks[-1].raw)
                toks = toks[:-2]
            check_expression(self.text, toks)
            if len(toks) != 1 or toks[0].kind not in ("word", "quoted", "string"):
                b.fail("expressions prohibited in PRIMARY KEY and UNIQUE constraints")
                return None
            name = dequote(toks[0].raw)
            col = b.column(name)
            if col is None:
                b.fail(f"no such column: {name}")
                return None
            result.append((col, collation))
        return result

    def _create_table_as(
        self, p: Parser, origin: Origin, name: str, temp: bool, exists: bool
    ) -> None:
        """``CREATE TABLE ... AS SELECT``: columns typed by expression affinity."""
        from sqlglot import exp

        if not p.at("SELECT", "VALUES", "WITH"):
            raise p.error()
        plausible(p.toks[p.i :])
        select = self.text[p.toks[p.i].start : p.toks[-1].end]
        trees, problem = sqlglot_parse(select)
        if problem is not None:
            raise Refused(problem)
        reserved_names(trees)
        self.require_tables(table_refs(trees))
        self.check_columns(trees)
        if exists:
            self.catalog.note("skipped", f"table {name} already exists, skipping", origin)
            return
        table = MutTable(name, None, origin)
        tree = trees[0] if trees else None
        sources = [self.find_table(t.name) for t in (tree.find_all(exp.Table) if tree else [])]
        for projection in tree.expressions if isinstance(tree, exp.Select) else []:
            for col_name, declared in self._projected(projection, sources):
                if col_name in table.columns:
                    continue
                table.columns[col_name] = Column(
                    col_name, declared_type(declared), True, origin=origin
                )
        self.catalog.note(
            "table-as-select", f"columns of {name} derived from its SELECT by affinity", origin
        )
        facts = TableFacts(has_rows=any(s is not None and self.has_rows(s.name) for s in sources))
        if temp:
            self.state.temp[fold(name)] = table
            return
        self.add_table(table, facts)

    @staticmethod
    def _projected(projection: Any, sources: list[MutTable | None]) -> list[tuple[str, str]]:
        """(name, declared type) of one SELECT output column in ``CREATE TABLE AS``.

        SQLite declares each column by the expression's affinity: INT, TEXT, NUM, REAL or
        nothing (https://www.sqlite.org/lang_createtable.html#createtabas).
        """
        from sqlglot import exp

        from dbdrift.types.sqlite import affinity_family

        names = {"integer": "INT", "text": "TEXT", "float": "REAL", "numeric": "NUM"}
        inner = projection.this if isinstance(projection, exp.Alias) else projection
        if isinstance(inner, exp.Star) or (
            isinstance(inner, exp.Column) and isinstance(inner.this, exp.Star)
        ):
            return [
                (c.name, names.get(affinity_family(c.type.sql), ""))
                for s in sources
                if s is not None
                for c in s.columns.values()
            ]
        declared = ""
        if isinstance(inner, exp.Column):
            for s in sources:
                col = next(
                    (
                        c
                        for c in (s.columns.values() if s else [])
                        if fold(c.name) == fold(inner.name)
                    ),
                    None,
                )
                if col is not None:
                    declared = names.get(affinity_family(col.type.sql), "")
                    break
        elif isinstance(inner, exp.Cast):
            declared = names.get(affinity_family(inner.to.sql("sqlite")), "")
        return [(projection.alias_or_name or projection.sql("sqlite"), declared)]
