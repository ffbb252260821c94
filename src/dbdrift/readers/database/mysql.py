"""A live MySQL or MariaDB database read from ``information_schema``, as the replay models it.

Types are ``COLUMNS.COLUMN_TYPE`` and defaults ``COLUMN_DEFAULT`` exactly as the server
stores them, with the choices the MySQL replay documents (and tests/oracle/mariadb.py
shares): a table has no schema name; ``AUTO_INCREMENT`` is identity ``"auto_increment"``;
MariaDB's bare ``NULL`` default is no default; every unique index is a `Unique`, the other
indexes (those InnoDB adds behind foreign keys too) are `Index`es.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from dbdrift.schema import (
    Check,
    Column,
    ForeignKey,
    Index,
    Origin,
    PrimaryKey,
    Schema,
    SourceRef,
    Table,
    Unique,
)
from dbdrift.types import Type

_COLUMN_TYPE = re.compile(r"^(?P<name>[a-z]+)(?:\((?P<params>.*)\))?(?P<rest>[a-z ]*)$")

# COLUMN_TYPE names without parameters that the replay's type table spells differently.
_BARE = {"text": ("text", "text"), "blob": ("binary", "blob")}


def read_catalog(conn: Any, ref: SourceRef, database: str) -> Schema:
    """The base tables of `database`, through `conn` (a SQLAlchemy connection)."""
    origin = Origin(ref.id, 1)
    names = [
        name
        for (name,) in _rows(
            conn,
            "SELECT TABLE_NAME FROM information_schema.TABLES "
            "WHERE TABLE_SCHEMA = %s AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
            database,
        )
    ]
    parts: dict[str, dict[str, Any]] = {n: _empty() for n in names}
    _columns(conn, database, parts, origin)
    _keys(conn, database, parts, origin)
    _foreign_keys(conn, database, parts, origin)
    for table, name, clause in _rows(
        conn,
        "SELECT c.TABLE_NAME, c.CONSTRAINT_NAME, k.CHECK_CLAUSE "
        "FROM information_schema.TABLE_CONSTRAINTS c "
        "LEFT JOIN information_schema.CHECK_CONSTRAINTS k "
        "  ON k.CONSTRAINT_SCHEMA = c.TABLE_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME "
        "  AND k.CONSTRAINT_NAME = c.CONSTRAINT_NAME "
        "WHERE c.TABLE_SCHEMA = %s AND c.CONSTRAINT_TYPE = 'CHECK' "
        "ORDER BY c.TABLE_NAME, c.CONSTRAINT_NAME",
        database,
    ):
        if table in parts:
            parts[table]["checks"].append(Check(name, clause or "", origin))
    for part in parts.values():
        _json_columns(part)
    tables = tuple(
        Table(
            name=name,
            columns=tuple(parts[name]["columns"]),
            primary_key=parts[name]["primary_key"],
            foreign_keys=tuple(parts[name]["foreign_keys"]),
            uniques=tuple(parts[name]["uniques"]),
            indexes=tuple(parts[name]["indexes"]),
            checks=tuple(parts[name]["checks"]),
            origin=origin,
        )
        for name in names
    )
    return Schema(ref, tables=tables)


def _rows(conn: Any, sql: str, database: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in conn.exec_driver_sql(sql, (database,)).fetchall()]


def _empty() -> dict[str, Any]:
    return {
        "columns": [],
        "primary_key": None,
        "foreign_keys": [],
        "uniques": [],
        "indexes": [],
        "checks": [],
    }


def _columns(conn: Any, database: str, parts: dict[str, Any], origin: Origin) -> None:
    for table, column, ctype, nullable, default, extra, expression in _rows(
        conn,
        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, "
        "GENERATION_EXPRESSION FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = %s "
        "ORDER BY TABLE_NAME, ORDINAL_POSITION",
        database,
    ):
        if table not in parts:
            continue  # a view
        extra = (extra or "").lower()
        generated = "generated" in extra
        parts[table]["columns"].append(
            Column(
                name=column,
                type=column_type(ctype),
                nullable=nullable == "YES",
                default=None if default == "NULL" or generated else default,
                identity="auto_increment" if "auto_increment" in extra else None,
                generated=(expression or "") if generated else None,
                origin=origin,
            )
        )


def _json_columns(part: dict[str, Any]) -> None:
    """MariaDB stores ``JSON`` as ``longtext`` with a ``json_valid(`col`)`` check: json again."""
    valid = {c.expression.replace(" ", "").lower() for c in part["checks"]}
    part["columns"] = [
        replace(c, type=Type("json", c.type.sql))
        if c.type.sql == "longtext" and f"json_valid(`{c.name.lower()}`)" in valid
        else c
        for c in part["columns"]
    ]


def column_type(column_type: str) -> Type:
    """The canonical type of a ``COLUMN_TYPE``, kept exactly as the server spells it."""
    from dbdrift.types import mysql as mytypes

    found = _COLUMN_TYPE.match(column_type)
    if found is None:
        return Type("other", column_type)
    name = found["name"]
    rest = found["rest"].split()
    raw = found["params"] or ""
    if name in ("enum", "set"):
        values = tuple(mytypes.enum_members(column_type))
        typ = mytypes.column_type(name.upper(), (), values)
    elif name in _BARE and not raw:
        family, spelled = _BARE[name]
        typ = Type(family, spelled)
    else:
        params = tuple(int(p) for p in raw.split(",") if p.strip().isdigit())
        typ = mytypes.column_type(
            name.upper(), params, unsigned="unsigned" in rest, zerofill="zerofill" in rest
        )
    return (typ or Type("other", column_type)).with_sql(column_type)


def _keys(conn: Any, database: str, parts: dict[str, Any], origin: Origin) -> None:
    """Primary key, unique constraints and plain indexes, from STATISTICS and constraints."""
    columns: dict[tuple[str, str], list[str]] = {}
    unique: dict[tuple[str, str], bool] = {}
    method: dict[tuple[str, str], str] = {}
    for table, index, non_unique, column, index_type in _rows(
        conn,
        "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, INDEX_TYPE "
        "FROM information_schema.STATISTICS "
        "WHERE TABLE_SCHEMA = %s ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
        database,
    ):
        columns.setdefault((table, index), []).append(column)
        unique[(table, index)] = int(non_unique) == 0
        method[(table, index)] = (index_type or "").lower() or "btree"
    constraints = {
        (table, name): kind
        for table, name, kind in _rows(
            conn,
            "SELECT TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE "
            "FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = %s "
            "AND CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE')",  # a CHECK may share a name
            database,
        )
    }
    for (table, index), cols in sorted(columns.items()):
        if table not in parts:
            continue
        kind = constraints.get((table, index))
        if kind == "PRIMARY KEY":
            parts[table]["primary_key"] = PrimaryKey(index, tuple(cols), origin)
        elif kind == "UNIQUE":
            parts[table]["uniques"].append(Unique(index, tuple(cols), origin))
        else:
            parts[table]["indexes"].append(
                Index(
                    index, tuple(cols), unique[(table, index)], method[(table, index)], None, origin
                )
            )


def _foreign_keys(conn: Any, database: str, parts: dict[str, Any], origin: Origin) -> None:
    rules = {
        (table, name): (ref_table, delete, update)
        for table, name, ref_table, delete, update in _rows(
            conn,
            "SELECT TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME, DELETE_RULE, UPDATE_RULE "
            "FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = %s",
            database,
        )
    }
    columns: dict[tuple[str, str], list[tuple[str, str | None, str]]] = {}
    for table, name, column, ref_schema, ref_column in _rows(
        conn,
        "SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, "
        "REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
        "WHERE TABLE_SCHEMA = %s AND REFERENCED_TABLE_NAME IS NOT NULL "
        "ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
        database,
    ):
        columns.setdefault((table, name), []).append((column, ref_schema, ref_column))
    for (table, name), (ref_table, delete, update) in sorted(rules.items()):
        if table not in parts:
            continue
        cols = columns.get((table, name), [])
        ref_schema = cols[0][1] if cols and cols[0][1] != database else None
        parts[table]["foreign_keys"].append(
            ForeignKey(
                name=name,
                columns=tuple(c for c, _, _ in cols),
                ref_table=ref_table,
                ref_columns=tuple(r for _, _, r in cols),
                ref_schema=ref_schema,
                on_delete=delete,
                on_update=update,
                origin=origin,
            )
        )
