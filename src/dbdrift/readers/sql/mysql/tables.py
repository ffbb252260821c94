"""CREATE TABLE: IF NOT EXISTS, OR REPLACE, ... LIKE, ... SELECT (a note), and the columns
and elements of a new table, which `DefinitionChecks.prepare` then checks as a whole."""

from __future__ import annotations

import copy

from sqlglot import exp
from sqlglot.errors import ParseError

from dbdrift.readers.sql.catalog import Catalog
from dbdrift.readers.sql.mysql.columns import check_column_specifiers, read_column
from dbdrift.readers.sql.mysql.common import Refused, line_of, name_of, parse, syntax_message
from dbdrift.readers.sql.mysql.elements import Pending, read_element
from dbdrift.readers.sql.mysql.model import MyTable
from dbdrift.readers.sql.mysql.statements import Statement
from dbdrift.schema import Origin
from dbdrift.types import mysql as mytypes


class CreateTable:
    """CREATE TABLE (a mixin of `Replay`)."""

    catalog: Catalog
    tables: dict[str, MyTable]
    triggers: dict[str, str]

    def create_table(self, st: Statement, origin: Origin) -> None:
        """CREATE TABLE, refused whole if MariaDB would refuse any part of it."""
        parsed = parse(st.text)
        if not isinstance(parsed, exp.Create) or not isinstance(
            parsed.this, exp.Schema | exp.Table
        ):
            raise Refused(syntax_message(ParseError("could not read CREATE TABLE")))
        schema = parsed.this
        table_node = schema.this if isinstance(schema, exp.Schema) else schema
        name = name_of(table_node)
        existing = self.tables.get(name)
        if existing is not None:
            if parsed.args.get("exists"):
                check_column_specifiers(schema)  # the parser's checks still run
                self.catalog.note(
                    "skipped", f"Table '{name}' already exists (IF NOT EXISTS)", origin
                )
                return
            if not parsed.args.get("replace"):
                raise Refused(f"Table '{name}' already exists (MariaDB error 1050)")
        if parsed.args.get("expression") is not None:
            self.catalog.note("data", f"CREATE TABLE {name} ... SELECT is not modelled", origin)
            return
        like = _like_source(parsed)
        if like is not None:
            self._create_like(name, like, Origin(origin.path, st.line))
            return
        if existing is not None:
            # CREATE OR REPLACE: what the parser refuses keeps the old table; after that the
            # old table is dropped first, so a definition refused later leaves none at all.
            check_column_specifiers(schema)
            self.check_droppable([name], origin)
            del self.tables[name]
            self.triggers = {k: v for k, v in self.triggers.items() if v != name}
        table = MyTable(name, Origin(origin.path, st.line), bytes_per_char=_table_charset(parsed))
        pending = Pending()
        for element in schema.expressions if isinstance(schema, exp.Schema) else []:
            line = line_of(element, st.line)
            where = Origin(origin.path, line)
            if isinstance(element, exp.ColumnDef):
                col = read_column(element, where, table.bytes_per_char, pending)
                if table.col(col.name) is not None:
                    raise Refused(f"Duplicate column name '{col.name}' (MariaDB error 1060)")
                table.columns.append(col)
            else:
                read_element(element, where, pending)
        if not table.columns:
            raise Refused("A table must have at least 1 column (MariaDB error 1113)")
        self.prepare(table, pending, created=True)
        self.tables[name] = table

    def _create_like(self, name: str, source: str, origin: Origin) -> None:
        src = self.tables.get(source)
        if src is None:
            raise Refused(f"Table '{source}' doesn't exist (MariaDB error 1146)")
        table = copy.deepcopy(src)
        table.name, table.origin, table.fks = name, origin, []  # LIKE copies no foreign keys
        self.tables.pop(name, None)
        self.tables[name] = table


def _like_source(parsed: exp.Create) -> str | None:
    like = parsed.find(exp.LikeProperty)
    return name_of(like.this) if like is not None else None


def _table_charset(parsed: exp.Create) -> int | None:
    prop = parsed.find(exp.CharacterSetProperty)
    if prop is None:
        return None
    return mytypes.CHARSET_BYTES.get(prop.name.lower())
