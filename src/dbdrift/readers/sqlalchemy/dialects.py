"""The tables of a MySQL / MariaDB or SQLite source: the DDL ``metadata.create_all()`` emits
on that dialect, replayed by dbdrift's own replay of that dialect.

As on PostgreSQL (ddl.py), the replay gives what the database would hold — MariaDB's
``PRIMARY`` and ``<table>_ibfk_<n>`` names, the index InnoDB adds behind a foreign key,
``tinyint(1)`` for ``BOOL``, SQLite's declared types — by the code that reads SQL sources.
The statements are SQLAlchemy's (``MySQLDDLCompiler``, ``SQLiteDDLCompiler``): tables in
dependency order with their foreign keys inline, the primary key first, then the table's
constraints as written, then each column's ``unique=True`` and ``ForeignKey``.
"""

from __future__ import annotations

import re

from dbdrift.readers.sqlalchemy.ddl import (
    _named,
    autoincrement_column,
    replay_statements,
)
from dbdrift.readers.sqlalchemy.model import ColumnSpec, Context, FKSpec, TableSpec
from dbdrift.schema import Schema

_TIMESTAMP = re.compile(r"TIMESTAMP\b")


def _quote(dialect: str, name: str) -> str:
    if dialect == "mysql":
        return "`" + name.replace("`", "``") + "`"
    return '"' + name.replace('"', '""') + '"'


class _Writer:
    """SQLAlchemy's DDL for one dialect."""

    def __init__(self, ctx: Context, dialect: str) -> None:
        self.ctx = ctx
        self.dialect = dialect
        self.by_name = {(t.schema, t.name): t for t in ctx.tables}

    def q(self, name: str) -> str:
        return _quote(self.dialect, name)

    def qualified(self, schema: str | None, name: str) -> str:
        return f"{self.q(schema)}.{self.q(name)}" if schema else self.q(name)

    def cols(self, names: list[str]) -> str:
        return ", ".join(self.q(n) for n in names)

    # Columns --------------------------------------------------------------------------

    def default(self, col: ColumnSpec) -> str | None:
        """``get_column_default_string``: MySQL puts a SQL function in parentheses; SQLite
        any expression that is not a literal (``DEFAULT (datetime('now'))``)."""
        text = col.server_default
        if text is None:
            return None
        if self.dialect == "mysql":
            return f"({text})" if col.default_function and "(" in text else text
        if col.default_function and text.lower() == "now()":
            return "CURRENT_TIMESTAMP"  # SQLiteCompiler.visit_now_func
        if not re.match(r"""^\s*['"(]""", text) and re.match(r".*\W.*", text, re.DOTALL):
            return f"({text})"
        return text

    def column(self, table: TableSpec, col: ColumnSpec, auto: bool) -> str:
        assert col.type is not None
        spelled = "TEXT" if col.raw_type else col.type.sql
        parts = [self.q(col.name or "?"), spelled]
        if col.computed is not None:
            parts.append(f"GENERATED ALWAYS AS ({col.computed})")
        default = self.default(col)
        if self.dialect == "mysql":
            if not col.nullable:
                parts.append("NOT NULL")
            elif _TIMESTAMP.match(spelled):
                parts.append("NULL")
            if auto:
                parts.append("AUTO_INCREMENT")
            elif default is not None:
                parts.append(f"DEFAULT {default}")
        else:
            if default is not None:
                parts.append(f"DEFAULT {default}")
            if not col.nullable:
                parts.append("NOT NULL")
        for name, expression in col.checks:
            parts.append(self.constraint(name, f"CHECK ({expression})"))
        return " ".join(parts)

    def constraint(self, name: str | None, body: str) -> str:
        return (f"CONSTRAINT {self.q(name)} " if name else "") + body

    def foreign_key(self, table: TableSpec, fk: FKSpec, columns: list[str]) -> str | None:
        if any(t == "?" for t in fk.targets):
            return None
        parts = [t.split(".") for t in fk.targets]
        ref_schema = parts[0][-3] if len(parts[0]) > 2 else None
        ref_cols = [p[-1] for p in parts]
        body = (
            f"FOREIGN KEY({self.cols(columns)}) REFERENCES "
            f"{self.qualified(ref_schema, parts[0][-2])} ({self.cols(ref_cols)})"
        )
        if fk.on_delete:
            body += f" ON DELETE {fk.on_delete}"
        if fk.on_update:
            body += f" ON UPDATE {fk.on_update}"
        name = _named(
            table,
            "fk",
            fk.name,
            columns,
            self.dialect,
            referred=parts[0][-2],
            referred_columns=ref_cols,
        )
        return self.constraint(name, body)

    # Tables ---------------------------------------------------------------------------

    def foreign_keys(self, table: TableSpec) -> list[tuple[FKSpec, list[str]]]:
        """Table-level foreign keys first (they are made before the ``Table``), then each
        column's, in the order ``_sorted_constraints`` gives."""
        found = [(con.fk, con.fk.columns) for con in table.constraints if con.fk is not None]
        return found + [(fk, [c.name or ""]) for c in table.columns for fk in c.foreign_keys]

    def create_table(
        self, table: TableSpec, deferred: set[int]
    ) -> tuple[str, list[str], list[tuple[FKSpec, str]]]:
        """The CREATE TABLE, its CREATE INDEX statements, and the foreign keys left for an
        ``ALTER TABLE`` (those closing a cycle between tables, on MySQL)."""
        auto = autoincrement_column(table)
        items = [
            self.column(table, c, c is auto or bool(c.identity and c.primary_key))
            for c in table.columns
        ]
        primaries = [c for c in table.constraints if c.kind == "primary"]
        pk_cols = [c.name or "" for c in table.columns if c.primary_key]
        pk_name = None
        if primaries:
            pk_cols, pk_name = primaries[0].columns, primaries[0].name
        if pk_cols:
            name = _named(table, "pk", pk_name, pk_cols, self.dialect)
            items.append(self.constraint(name, f"PRIMARY KEY ({self.cols(pk_cols)})"))
        later: list[tuple[FKSpec, str]] = []

        def add_fk(fk: FKSpec, columns: list[str]) -> None:
            sql = self.foreign_key(table, fk, columns)
            if sql is None:
                return
            if id(fk) in deferred:
                later.append((fk, sql))
            else:
                items.append(sql)

        for con in table.constraints:
            if con.kind == "unique":
                name = _named(table, "uq", con.name, con.columns, self.dialect)
                items.append(self.constraint(name, f"UNIQUE ({self.cols(con.columns)})"))
            elif con.kind == "foreign" and con.fk is not None:
                add_fk(con.fk, con.fk.columns)
            elif con.kind == "check" and con.expression is not None:
                name = _named(table, "ck", con.name, [], self.dialect)
                items.append(self.constraint(name, f"CHECK ({con.expression})"))
        for col in table.columns:
            if col.unique and not col.index:
                name = _named(table, "uq", None, [col.name or ""], self.dialect)
                items.append(self.constraint(name, f"UNIQUE ({self.q(col.name or '')})"))
            for fk in col.foreign_keys:
                add_fk(fk, [col.name or ""])
            for check in col.type_checks:
                name = _named(table, "ck", check.name, [col.name or ""], self.dialect)
                body = f"CHECK ({self.q(col.name or '')} IN ({check.values}))"
                items.append(self.constraint(name, body))
        target = self.qualified(table.schema, table.name)
        create = f"CREATE TABLE {target} (\n  " + ",\n  ".join(items) + "\n)"
        indexes = []
        for col in table.columns:
            if col.index:
                unique = "UNIQUE " if col.unique else ""
                ix = self.q(_named(table, "ix", None, [col.name or ""], self.dialect) or "")
                indexes.append(f"CREATE {unique}INDEX {ix} ON {target} ({self.q(col.name or '')})")
        for con in table.constraints:
            name = (
                _named(table, "ix", con.name, con.columns, self.dialect)
                if con.kind == "index"
                else None
            )
            if name:
                unique = "UNIQUE " if con.unique else ""
                where = f" WHERE {con.where}" if con.where and self.dialect == "sqlite" else ""
                keys = self.cols(con.columns)
                indexes.append(f"CREATE {unique}INDEX {self.q(name)} ON {target} ({keys}){where}")
        return create, indexes, later

    def ordered(self) -> tuple[list[TableSpec], set[int]]:
        """Tables with every table they refer to first; on MySQL a foreign key that closes
        a cycle is added afterwards by ``ALTER TABLE`` (SQLite takes any order)."""
        order: list[TableSpec] = []
        state: dict[int, str] = {}
        deferred: set[int] = set()

        def visit(table: TableSpec) -> None:
            state[id(table)] = "open"
            for fk, _ in self.foreign_keys(table):
                other = self._referenced(table, fk)
                if other is None or other is table:
                    continue
                if state.get(id(other)) == "open":
                    deferred.add(id(fk))
                elif id(other) not in state:
                    visit(other)
            state[id(table)] = "done"
            order.append(table)

        for table in self.ctx.tables:
            if id(table) not in state:
                visit(table)
        return order, deferred if self.dialect == "mysql" else set()

    def _referenced(self, table: TableSpec, fk: FKSpec) -> TableSpec | None:
        parts = fk.targets[0].split(".") if fk.targets else []
        if len(parts) < 2:
            return None
        schema = parts[-3] if len(parts) > 2 else None
        return self.by_name.get((schema, parts[-2])) or self.by_name.get((table.schema, parts[-2]))


def writer(ctx: Context, dialect: str) -> _Writer:
    """SQLAlchemy's DDL spelling for `dialect` (``column``, ``default``, ``create_table``,
    ``foreign_key``), for readers that spell one table at a time (Alembic's operations)."""
    return _Writer(ctx, dialect)


def replay_dialect(ctx: Context, schema: Schema, dialect: str) -> Schema:
    """Apply the tables' DDL for `dialect` with its replay; origins point at the models."""

    writer = _Writer(ctx, dialect)
    statements: list[tuple[str, str, int]] = []
    tables, deferred = writer.ordered()
    alters: list[tuple[str, str, int]] = []
    for table in tables:
        create, indexes, later = writer.create_table(table, deferred)
        for sql in [create, *indexes]:
            statements.append((sql, table.module.path, table.line))
        target = writer.qualified(table.schema, table.name)
        alters += [
            (f"ALTER TABLE {target} ADD {sql}", table.module.path, fk.line) for fk, sql in later
        ]
    statements += alters
    return replay_statements(ctx, schema, statements, dialect, None)
