"""CREATE INDEX, VIEW, TRIGGER and VIRTUAL TABLE, and every DROP.

Indexes are modelled; views, triggers and virtual tables become notes, but views and
triggers are remembered with what they use (see dependents.py), and all of them occupy
names later statements are checked against.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dbdrift.readers.sql.catalog import Catalog
from dbdrift.readers.sql.sqlite.common import Refused, fold
from dbdrift.readers.sql.sqlite.dependents import trigger_uses, uses_of
from dbdrift.readers.sql.sqlite.parser import Parser, column_refs
from dbdrift.readers.sql.sqlite.statements import Tok
from dbdrift.readers.sql.sqlite.syntax import (
    check_expression,
    for_sqlglot,
    joins_need_from,
    plausible,
    reserved_names,
    sqlglot_parse,
)
from dbdrift.schema import Index, Origin
from dbdrift.types.sqlite import dequote

if TYPE_CHECKING:
    from dbdrift.readers.sql.sqlite.state import State


class _Missing(Refused):
    """An object a DROP names does not exist: an error unless IF EXISTS was given."""


class ObjectStatements:
    """Indexes, views, triggers, virtual tables, and DROP (a mixin of `Replay`)."""

    catalog: Catalog
    state: State
    text: str

    def create_index(self, p: Parser, origin: Origin) -> None:
        """``CREATE [UNIQUE] INDEX``: modelled on a main table, noted on a TEMP one."""
        unique = p.take("UNIQUE") is not None
        p.expect("INDEX")
        ine = p.if_not_exists()
        schema, name = p.qualified()
        p.expect("ON")
        table_name = p.name()
        opened, closed = p.group()
        items = p.items(opened, closed)
        where: list[Tok] = []
        if p.take("WHERE"):
            where = p.toks[p.i :]
            p.i = len(p.toks)
            check_expression(self.text, where)
        p.end()
        db = self.database(schema)
        place = "temp" if db == "temp" else self.resolve(None, table_name)
        if db == "main" and place == "temp":
            place = None
        if place is None:
            raise Refused(f"no such table: {schema or 'main'}.{table_name}")
        self.check_object_name(name)
        if place == "temp":
            if fold(name) in self.state.temp_indexes and not ine:
                raise Refused(f"index {name} already exists")
            self.state.temp_indexes[fold(name)] = fold(table_name)
            self.catalog.note("temporary", f"index {name} on a temporary table", origin)
            return
        if fold(table_name) in self.state.views:
            raise Refused("views may not be indexed")
        if fold(table_name) in self.state.virtual:
            raise Refused("virtual tables may not be indexed")
        table = self.find_table(table_name)
        assert table is not None
        if self.taken_by_table(name):
            raise Refused(f"there is already a table named {name}")
        if self.index_exists(name):
            if ine:
                self.catalog.note("skipped", f"index {name} already exists, skipping", origin)
                return
            raise Refused(f"index {name} already exists")
        names = {fold(c): c for c in table.columns}
        keys = [self._index_key(item, names) for item in items]
        if where:
            for ref, _ in column_refs(where, strict=True):
                if fold(ref) not in names:
                    raise Refused(f"no such column: {ref}")
        where_text = self.text[where[0].start : where[-1].end] if where else None
        table.indexes.append(Index(name, tuple(keys), unique, None, where_text, origin))
        self.state.indexes[fold(name)] = fold(table.name)

    def _index_key(self, item: list[Tok], names: dict[str, str]) -> str:
        """A column of CREATE INDEX: the table's spelling of a column, or ``(expr)``."""
        toks = list(item)
        if not toks:
            raise Refused('near ")": syntax error')
        if toks[-1].kind == "word" and toks[-1].word in ("ASC", "DESC"):
            toks.pop()
        if len(toks) >= 3 and toks[-2].word == "COLLATE":
            toks = toks[:-2]
        check_expression(self.text, toks)
        if len(toks) == 1 and toks[0].kind in ("word", "quoted", "string"):
            name = dequote(toks[0].raw)
            if fold(name) in names:
                return names[fold(name)]
            if toks[0].kind != "string":
                raise Refused(f"no such column: {name}")
        for ref, _ in column_refs(toks, strict=True):
            if fold(ref) not in names:
                raise Refused(f"no such column: {ref}")
        return "(" + self.text[toks[0].start : toks[-1].end] + ")"

    def create_view(self, p: Parser, origin: Origin, temp: bool) -> None:
        """``CREATE VIEW``: a note, plus what the view uses for later ALTER checks."""
        temp, ine, name = self.creation_target(p, temp, "view")
        if p.at_op("("):
            p.group()
        p.expect("AS")
        if not p.at("SELECT", "VALUES", "WITH"):
            raise p.error()
        plausible(p.toks[p.i :])
        trees, problem = sqlglot_parse(self.text[p.toks[p.i].start : p.toks[-1].end])
        if problem is not None:
            raise Refused(problem)
        joins_need_from(trees)
        reserved_names(trees)
        self.check_object_name(name)
        exists = fold(name) in self.state.temp if temp else self.taken_by_table(name)
        if exists:
            if ine:
                self.catalog.note("skipped", f"view {name} already exists, skipping", origin)
                return
            raise Refused(f"{exists} {name} already exists")
        if not temp and self.index_exists(name):
            raise Refused(f"there is already an index named {name}")
        if temp:
            self.state.temp[fold(name)] = None
        else:
            self.state.views[fold(name)] = uses_of(trees)
            self.state.view_names[fold(name)] = name
        self.catalog.note("view", f"view {name} is not modelled", origin)

    def create_trigger(self, p: Parser, origin: Origin, temp: bool) -> None:
        """``CREATE TRIGGER``: a note, plus what its body uses for later ALTER checks."""
        temp, ine, name = self.creation_target(p, temp, "trigger")
        timing = p.take("BEFORE", "AFTER") or ("INSTEAD" if p.take("INSTEAD") else None)
        if timing == "INSTEAD":
            p.expect("OF")
        event = p.expect("INSERT", "UPDATE", "DELETE")
        if event == "UPDATE" and p.take("OF"):
            p.name()
            while p.take_op(","):
                p.name()
        p.expect("ON")
        table_name = p.name()
        if p.take("FOR"):
            p.expect("EACH")
            p.expect("ROW")
        if p.take("WHEN"):
            start = p.i
            while not p.done() and not p.at("BEGIN"):
                p.i += 1
            check_expression(self.text, p.toks[start : p.i])
        p.expect("BEGIN")
        body = self._trigger_body(p)
        place = self.resolve(None, table_name)
        if place is None:
            raise Refused(f"no such table: main.{table_name}")
        if fold(name) in self.state.triggers or fold(name) in self.state.temp_triggers:
            if ine:
                self.catalog.note("skipped", f"trigger {name} already exists, skipping", origin)
                return
            raise Refused(f"trigger {name} already exists")
        is_view = fold(table_name) in self.state.views
        if is_view and timing != "INSTEAD":
            raise Refused(f"cannot create {timing or 'BEFORE'} trigger on view: main.{table_name}")
        if not is_view and timing == "INSTEAD":
            raise Refused(f"cannot create INSTEAD OF trigger on table: {table_name}")
        if not temp and place == "main":
            self.state.triggers[fold(name)] = (
                fold(table_name),
                trigger_uses(body, p.toks, table_name),
            )
        else:
            self.state.temp_triggers[fold(name)] = fold(table_name)
        self.catalog.note("trigger", f"trigger {name} on {table_name} is not modelled", origin)

    def _trigger_body(self, p: Parser) -> list[list[Any]]:
        """``trigger_cmd_list END``: each command ends with ``;``; their sqlglot trees."""
        body = p.toks[p.i :]
        p.i = len(p.toks)
        if not body or body[-1].word != "END":
            raise Refused("incomplete input")
        if len(body) < 2 or not body[-2].is_op(";"):
            raise Refused(f'near "{body[-1].raw}": syntax error')
        commands: list[list[Tok]] = [[]]
        for tok in body[:-2]:
            if tok.is_op(";"):
                commands.append([])
            else:
                commands[-1].append(tok)
        parsed: list[list[Any]] = []
        for command in commands:
            if not command:
                raise Refused('near ";": syntax error')
            if command[0].word not in ("UPDATE", "INSERT", "REPLACE", "DELETE", "SELECT", "WITH"):
                raise Refused(f'near "{command[0].raw}": syntax error')
            plausible(command)
            sql = self.text[command[0].start : command[-1].end]
            trees, problem = sqlglot_parse(for_sqlglot(command, sql))
            if problem is not None:
                raise Refused(problem)
            joins_need_from(trees)
            reserved_names(trees)
            parsed.append(trees)
        return parsed

    def create_virtual(self, p: Parser, origin: Origin) -> None:
        """``CREATE VIRTUAL TABLE``: its name is taken; its columns are not modelled."""
        p.expect("TABLE")
        ine = p.if_not_exists()
        schema, name = p.qualified()
        self.database(schema)
        p.expect("USING")
        module = p.name()
        self.check_object_name(name)
        if self.taken_by_table(name):
            if ine:
                return
            raise Refused(f"table {name} already exists")
        self.state.virtual[fold(name)] = name
        self.catalog.note(
            "virtual-table", f"virtual table {name} ({module}) is not modelled", origin
        )

    # DROP ----------------------------------------------------------------------------

    def drop(self, p: Parser, origin: Origin) -> None:
        """``DROP TABLE | INDEX | VIEW | TRIGGER [IF EXISTS]``."""
        p.expect("DROP")
        kind = p.expect("TABLE", "INDEX", "VIEW", "TRIGGER")
        ie = p.if_exists()
        schema, name = p.qualified()
        p.end()
        shown = name if schema is None else f"{schema}.{name}"
        handler = {
            "TABLE": self._drop_table,
            "INDEX": self._drop_index,
            "VIEW": self._drop_view,
            "TRIGGER": self._drop_trigger,
        }[kind]
        try:
            handler(schema, name, shown, origin)
        except _Missing:
            if not ie:
                raise
            self.catalog.note("skipped", f"{kind.lower()} {shown} does not exist, skipping", origin)

    def _drop_table(self, schema: str | None, name: str, shown: str, origin: Origin) -> None:
        place = self.resolve(schema, name)
        key = fold(name)
        if place == "temp":
            if self.state.temp[key] is None:
                raise Refused(f"use DROP VIEW to delete view {name}")
            del self.state.temp[key]
            self.state.temp_indexes = {i: t for i, t in self.state.temp_indexes.items() if t != key}
            self.state.temp_triggers = {
                n: t for n, t in self.state.temp_triggers.items() if t != key
            }
            return
        if place is None:
            raise _Missing(f"no such table: {shown}")
        if key.startswith("sqlite_"):
            raise Refused(f"table {name} may not be dropped")
        if key in self.state.views:
            raise Refused(f"use DROP VIEW to delete view {name}")
        if key in self.state.virtual:
            del self.state.virtual[key]
            return
        table = self.state.tables.pop(key)
        self.state.facts.pop(key)
        self.catalog.remove_table(table.key)
        self.state.indexes = {i: t for i, t in self.state.indexes.items() if t != key}
        self.state.triggers = {n: t for n, t in self.state.triggers.items() if t[0] != key}

    def _drop_index(self, schema: str | None, name: str, shown: str, origin: Origin) -> None:
        key = fold(name)
        db = self.database(schema)
        if db != "main" and key in self.state.temp_indexes:
            del self.state.temp_indexes[key]
            return
        if db != "temp" and key in self.autoindexes():
            raise Refused(
                "index associated with UNIQUE or PRIMARY KEY constraint cannot be dropped"
            )
        if db == "temp" or key not in self.state.indexes:
            raise _Missing(f"no such index: {shown}")
        table = self.state.tables[self.state.indexes.pop(key)]
        table.indexes = [i for i in table.indexes if fold(i.name or "") != key]

    def _drop_view(self, schema: str | None, name: str, shown: str, origin: Origin) -> None:
        key = fold(name)
        place = self.resolve(schema, name)
        if place == "temp":
            if self.state.temp[key] is not None:
                raise Refused(f"use DROP TABLE to delete table {name}")
            del self.state.temp[key]
            return
        if place is None:
            raise _Missing(f"no such view: {shown}")
        if key not in self.state.views:
            raise Refused(f"use DROP TABLE to delete table {name}")
        del self.state.views[key]
        self.state.view_names.pop(key, None)
        self.state.triggers = {n: t for n, t in self.state.triggers.items() if t[0] != key}
        self.catalog.note("view", f"view {name} dropped", origin)

    def _drop_trigger(self, schema: str | None, name: str, shown: str, origin: Origin) -> None:
        found = self.state.triggers.pop(fold(name), None)
        if found is None and self.state.temp_triggers.pop(fold(name), None) is None:
            raise _Missing(f"no such trigger: {shown}")
        self.catalog.note("trigger", f"trigger {name} dropped", origin)
