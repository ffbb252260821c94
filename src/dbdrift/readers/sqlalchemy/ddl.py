"""The tables as the DDL SQLAlchemy's ``metadata.create_all()`` emits on PostgreSQL, replayed
by dbdrift's own PostgreSQL replay.

Spelling the DDL and letting the replay apply it gives the catalog PostgreSQL would hold —
serials' ``nextval(...)`` defaults, ``users_pkey`` and ``users_email_key`` names, stored
default spellings — by the same code that reads SQL migrations, so the two agree by
construction.  Each statement is replayed at its model's line, so origins point at the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from dbdrift.readers.sqlalchemy.model import ColumnSpec, Context, FKSpec, TableSpec
from dbdrift.readers.sqlalchemy.naming import convention_name
from dbdrift.readers.sqlalchemy.values import quote
from dbdrift.schema import (
    Column,
    Origin,
    Schema,
    Table,
)
from dbdrift.types import Type
from dbdrift.types.postgres import array_of, quote_ident
from dbdrift.types.postgres import qualified as pg_qualified

_SERIAL = {"integer": "SERIAL", "bigint": "BIGSERIAL", "smallint": "SMALLSERIAL"}
_EXTENSIONS = {"vector", "citext", "hstore"}


def qualified(schema: str | None, name: str) -> str:
    return f"{quote_ident(schema)}.{quote_ident(name)}" if schema else quote_ident(name)


def resolve_targets(ctx: Context, by_node: dict[int, TableSpec]) -> None:
    """Deferred ``User.id`` targets become ``table.column``; columns typed only by their
    foreign key (``Column(ForeignKey("users.id"))``) take the referenced column's type."""
    by_name = {(t.schema, t.name): t for t in ctx.tables}
    for table in ctx.tables:
        for col in table.columns:
            for fk in col.foreign_keys:
                fk.targets = [_target(t, by_node) for t in fk.targets]
        for con in table.constraints:
            if con.fk is not None:
                con.fk.targets = [_target(t, by_node) for t in con.fk.targets]
    for table in ctx.tables:
        for col in table.columns:
            if col.type is None and col.foreign_keys:
                ref = _referenced(col.foreign_keys[0].targets[0], table, by_name)
                if ref is not None and ref.type is not None:
                    col.type = ref.type
            if col.type is None:
                message = f"{table.name}.{col.name} has no type (SQLAlchemy's NullType)"
                ctx.note("sqlalchemy-type", message, table.module, col.origin.line)
                col.raw_type = "NullType"


def _target(target: str, by_node: dict[int, TableSpec]) -> str:
    if not target.startswith("@"):
        return target
    key, _, attr = target[1:].partition(".")
    table = by_node.get(int(key))
    if table is None:
        return "?"
    col = next((c for c in table.columns if attr in (c.attr, c.name)), None)
    prefix = f"{table.schema}." if table.schema else ""
    return f"{prefix}{table.name}.{col.name if col else attr}"


def _referenced(
    target: str, table: TableSpec, by_name: dict[tuple[str | None, str], TableSpec]
) -> ColumnSpec | None:
    parts = target.split(".")
    if len(parts) < 2:
        return None
    schema = parts[-3] if len(parts) > 2 else None
    other = by_name.get((schema, parts[-2])) or by_name.get((table.schema, parts[-2]))
    if other is None:
        return None
    return next((c for c in other.columns if c.name == parts[-1]), None)


def autoincrement_column(table: TableSpec) -> ColumnSpec | None:
    """``Table._autoincrement_column``: the lone integer primary key column, unless it has a
    foreign key, a server default, an identity or a sequence (or ``autoincrement=False``)."""
    pk = [c for c in table.columns if c.primary_key]
    for con in table.constraints:
        if con.kind == "primary":
            pk = [
                c
                for c in table.columns
                if con.columns and (c.name in con.columns or c.attr in con.columns)
            ]
    if len(pk) != 1:
        return next((c for c in pk if c.autoincrement is True and _integer(c)), None)
    col = pk[0]
    if col.autoincrement is False or not _integer(col) or col.identity or col.sequence:
        return None
    if col.server_default is not None:
        return None
    if col.foreign_keys and col.autoincrement is not True:  # "auto" skips FK columns
        return None
    return col


# Integer types as SQLAlchemy's MySQL and SQLite compilers spell them (``INTEGER(11) UNSIGNED``).
_SPELLED_INTEGERS = frozenset({"INTEGER", "BIGINT", "SMALLINT", "TINYINT", "MEDIUMINT"})


def _integer(col: ColumnSpec) -> bool:
    """An ``Integer`` subclass, which SQLAlchemy may make the autoincrement column."""
    if col.type is None:
        return False
    sql = col.type.sql
    return sql in _SERIAL or sql.partition("(")[0].partition(" ")[0] in _SPELLED_INTEGERS


def column_sql(col: ColumnSpec, serial: bool) -> str:
    typ = col.type or Type("other", "text")
    spelled = "text" if col.raw_type else typ.sql  # a stand-in, replaced after the replay
    parts = [quote_ident(col.name or "?"), _SERIAL[typ.sql] if serial else spelled]
    if col.identity:
        parts.append(f"GENERATED {col.identity.upper()} AS IDENTITY")
    if col.server_default is not None and not col.identity:
        parts.append(f"DEFAULT {col.server_default}")
    if not col.nullable:
        parts.append("NOT NULL")
    if col.computed is not None:
        parts.append(f"GENERATED ALWAYS AS ({col.computed}) STORED")
    for name, expression in col.checks:
        parts.append(_constraint(name, f"CHECK ({expression})"))
    return " ".join(parts)


def _constraint(name: str | None, body: str) -> str:
    return (f"CONSTRAINT {quote_ident(name)} " if name else "") + body


def _cols(names: list[str]) -> str:
    """Column names as written; like ``table.c[name]``, a string names the column itself,
    not the attribute it is mapped to."""
    return ", ".join(quote_ident(n) for n in names)


# The longest name SQLAlchemy's compiler writes for each dialect (``max_identifier_length``).
MAX_NAME = {"postgresql": 63, "mysql": 64, "sqlite": 9999}


def _named(
    table: TableSpec,
    kind: str,
    explicit: str | None,
    columns: list[str],
    dialect: str = "postgresql",
    **ref,
) -> str | None:
    return convention_name(
        table.convention,
        kind,
        explicit,
        table.name,
        columns,
        schema=table.schema,
        max_length=MAX_NAME.get(dialect, 63),
        **ref,
    )


def create_table(table: TableSpec) -> tuple[list[str], list[str]]:
    """The CREATE TABLE and the CREATE INDEX statements of one table, constraints named
    by the metadata's naming convention (or left to PostgreSQL)."""
    serial = autoincrement_column(table)
    items = [column_sql(c, c is serial) for c in table.columns]
    explicit_pk = [c for c in table.constraints if c.kind == "primary"]
    pk_cols = [c.name or "" for c in table.columns if c.primary_key]
    pk_name = None
    if explicit_pk:
        pk_cols, pk_name = explicit_pk[0].columns, explicit_pk[0].name
    if pk_cols:
        name = _named(table, "pk", pk_name, pk_cols)
        items.append(_constraint(name, f"PRIMARY KEY ({_cols(pk_cols)})"))
    for con in table.constraints:
        if con.kind == "unique":
            name = _named(table, "uq", con.name, con.columns)
            items.append(_constraint(name, f"UNIQUE ({_cols(con.columns)})"))
    for col in table.columns:
        if col.unique and not col.index:
            name = _named(table, "uq", None, [col.name or ""])
            items.append(_constraint(name, f"UNIQUE ({quote_ident(col.name or '')})"))
    for con in table.constraints:
        if con.kind == "check" and con.expression is not None:
            name = _named(table, "ck", con.name, [])
            items.append(_constraint(name, f"CHECK ({con.expression})"))
    for col in table.columns:
        for check in col.type_checks:
            name = _named(table, "ck", check.name, [col.name or ""])
            body = f"CHECK ({quote_ident(col.name or '')} IN ({check.values}))"
            items.append(_constraint(name, body))
    qualified_name = qualified(table.schema, table.name)
    create = f"CREATE TABLE {qualified_name} (\n  " + ",\n  ".join(items) + "\n)"
    indexes = []
    for col in table.columns:
        if col.index:
            unique = "UNIQUE " if col.unique else ""
            ix = quote_ident(_named(table, "ix", None, [col.name or ""]) or "")
            key = quote_ident(col.name or "")
            indexes.append(f"CREATE {unique}INDEX {ix} ON {qualified_name} ({key})")
    for con in table.constraints:
        name = _named(table, "ix", con.name, con.columns) if con.kind == "index" else None
        if name:
            unique = "UNIQUE " if con.unique else ""
            where = f" WHERE {con.where}" if con.where else ""
            keys = _cols(con.columns)
            indexes.append(
                f"CREATE {unique}INDEX {quote_ident(name)} ON {qualified_name} ({keys}){where}"
            )
    return [create], indexes


def foreign_keys(table: TableSpec) -> list[tuple[FKSpec, str]]:
    """``ALTER TABLE ... ADD FOREIGN KEY`` for each foreign key, replayed after every table
    exists (create_all orders tables by dependency; the result is the same)."""
    out = []
    specs = [(fk, [col.name or ""]) for col in table.columns for fk in col.foreign_keys]
    specs += [(con.fk, con.fk.columns) for con in table.constraints if con.fk is not None]
    for fk, columns in specs:
        if any(t == "?" for t in fk.targets):
            continue
        parts = [t.split(".") for t in fk.targets]
        ref_schema = parts[0][-3] if len(parts[0]) > 2 else None
        ref = qualified(ref_schema, parts[0][-2])
        ref_cols = [p[-1] for p in parts]
        body = f"FOREIGN KEY ({_cols(columns)}) REFERENCES {ref} ({_cols(ref_cols)})"
        if fk.on_delete:
            body += f" ON DELETE {fk.on_delete}"
        if fk.on_update:
            body += f" ON UPDATE {fk.on_update}"
        name = _named(
            table, "fk", fk.name, columns, referred=parts[0][-2], referred_columns=ref_cols
        )
        statement = f"ALTER TABLE {qualified(table.schema, table.name)} ADD "
        out.append((fk, statement + _constraint(name, body)))
    return out


def replay(ctx: Context, schema: Schema) -> Schema:
    """Apply the tables to an empty catalog and return what it holds, with the model's
    origins (and attribute names) in place of the generated DDL's lines.

    All statements go to the replay as one text (one parse), each starting on a known line
    of it; every origin the replay reports is then mapped back to the model line that
    produced the statement."""
    statements: list[tuple[str, str, int]] = []

    def at(path: str, line: int, sql: str) -> None:
        statements.append((sql, path, line))

    made: set[str] = set()
    for table in ctx.tables:
        if table.schema and table.schema not in made:
            made.add(table.schema)
            at(
                table.module.path,
                table.line,
                f"CREATE SCHEMA IF NOT EXISTS {quote_ident(table.schema)}",
            )
        for col in table.columns:
            _prepare_type(at, table, col, made)
        creates, indexes = create_table(table)
        for sql in creates + indexes:
            at(table.module.path, table.line, sql)
    for table in ctx.tables:
        for fk, sql in foreign_keys(table):
            at(table.module.path, fk.line, sql)
    return replay_statements(ctx, schema, statements, "postgresql", "public")


def replay_statements(
    ctx: Context,
    schema: Schema,
    statements: list[tuple[str, str, int]],
    dialect: str,
    default_schema: str | None,
) -> Schema:
    """Replay `(sql, path, line)` statements generated for `dialect` (one text, one parse)
    with every origin mapped back to its model line, then give each column its own line
    and attribute name.  Shared by every dialect's DDL."""
    from dbdrift.readers.sql.generated import Generated
    from dbdrift.readers.sql.generated import replay as replay_generated

    replayed = replay_generated(
        schema.source,
        [Generated(sql, Origin(path, line)) for sql, path, line in statements],
        base=schema,
        dialect=dialect,
    )
    specs = {(t.schema or default_schema, t.name): t for t in ctx.tables}
    return replace(replayed, tables=tuple(_with_spec(t, specs) for t in replayed.tables))


def _prepare_type(
    at: Callable[[str, int, str], None], table: TableSpec, col: ColumnSpec, made: set[str]
) -> None:
    """What a column's type needs first: its enum type (and schema), or its extension."""
    typ = col.type
    if typ is None or col.raw_type:
        return
    base = typ.element or typ
    if col.enum is not None:
        schema = col.enum_schema or table.meta_schema or "public"
        name = col.enum.class_name or ""
        base = Type("enum", pg_qualified(schema, name, schema == "public"), enum=name)
        col.type = array_of(base) if typ.family == "array" else base
        key = f"enum:{schema}.{name}"
        if schema != "public" and schema not in made:
            made.add(schema)
            at(
                table.module.path,
                col.origin.line,
                f"CREATE SCHEMA IF NOT EXISTS {quote_ident(schema)}",
            )
        if key not in made:
            made.add(key)
            values = ", ".join(quote(v) for v in col.enum.values)
            at(table.module.path, col.origin.line, f"CREATE TYPE {base.sql} AS ENUM ({values})")
        return
    name = base.sql.partition("(")[0]
    if name in _EXTENSIONS and f"ext:{name}" not in made:
        made.add(f"ext:{name}")
        at(table.module.path, col.origin.line, f"CREATE EXTENSION IF NOT EXISTS {name}")


def _with_spec(table: Table, specs: dict[tuple[str | None, str], TableSpec]) -> Table:
    """The replayed table with each column's own line, attribute name and, for a type
    without static meaning, the type as written."""
    spec = specs.get((table.schema, table.name))
    if spec is None:
        return table
    by_name = {c.name: c for c in spec.columns}
    return replace(
        table, columns=tuple(_column(col, by_name.get(col.name)) for col in table.columns)
    )


def _column(col: Column, model: ColumnSpec | None) -> Column:
    if model is None:
        return col
    attr = model.attr if model.attr and model.attr != col.name else None
    typ = Type("other", model.raw_type) if model.raw_type else col.type
    return replace(col, origin=model.origin, attr=attr, type=typ)
