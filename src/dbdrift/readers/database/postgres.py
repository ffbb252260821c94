"""A live PostgreSQL database read from its catalog, in exactly the IR the static replay builds.

Every spelling comes from the server itself: ``format_type(atttypid, atttypmod)`` for types,
``pg_get_expr`` for defaults, generated expressions and partial-index predicates,
``pg_get_constraintdef`` for checks, ``pg_enum`` in sort order for enum values.  The queries
are the ones the test oracle (tests/oracle/postgres.py) uses, so the two agree by
construction and the oracle tests prove it on every fixture stream.

Assumptions: tables are ordinary or partitioned tables (``relkind`` r, p) outside the system
schemas and not owned by an extension; the connection keeps the server's default
``search_path``, so ``format_type`` qualifies names as an ordinary session would see them.
"""

from __future__ import annotations

from typing import Any

from dbdrift.schema import (
    Check,
    Column,
    Enum,
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

SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")

# pg_constraint.confdeltype / confupdtype -> the action as SQL spells it.
FK_ACTIONS = {
    "a": "NO ACTION",
    "r": "RESTRICT",
    "c": "CASCADE",
    "n": "SET NULL",
    "d": "SET DEFAULT",
}

QUOTED_CHAR = '"char"'

# pg_attribute.attidentity -> Column.identity.
IDENTITY = {"a": "always", "d": "by default"}

_SCHEMAS = "SELECT nspname FROM pg_namespace ORDER BY nspname"

_TABLES = """
SELECT c.oid, n.nspname, c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND n.nspname = ANY (%(schemas)s)
  AND n.nspname !~ '^pg_(toast_)?temp_'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                    AND d.deptype = 'e')
ORDER BY n.nspname, c.relname
"""

_COLUMNS = """
SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
       t.typtype, t.typname, et.typtype, et.typname,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = ANY (%(oids)s) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
"""

_CONSTRAINTS = """
SELECT k.conrelid, k.conname, k.contype, k.conkey::int2[],
       rn.nspname, r.relname, k.confkey::int2[], k.confrelid, k.confdeltype, k.confupdtype,
       pg_get_constraintdef(k.oid, true)
FROM pg_constraint k
LEFT JOIN pg_class r ON r.oid = k.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace
WHERE k.conrelid = ANY (%(oids)s) AND k.contype IN ('p', 'f', 'u', 'c')
ORDER BY k.conrelid, k.conname
"""

_INDEXES = """
SELECT i.indrelid, ic.relname, i.indkey::int2[], i.indnkeyatts, i.indisunique,
       pg_get_expr(i.indpred, i.indrelid), am.amname, i.indexrelid
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
WHERE i.indrelid = ANY (%(oids)s)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                  WHERE k.conrelid = i.indrelid AND k.conindid = i.indexrelid
                    AND k.contype IN ('p', 'u', 'x'))
ORDER BY i.indrelid, ic.relname
"""

_INDEX_EXPRESSION = "SELECT pg_get_indexdef(%(index)s, %(position)s, true)"

_ATTNAMES = """
SELECT attrelid, attnum, attname FROM pg_attribute
WHERE attrelid = ANY (%(oids)s) AND attnum > 0
"""

_REFERENCED = """
SELECT DISTINCT confrelid FROM pg_constraint WHERE conrelid = ANY (%(oids)s) AND contype = 'f'
"""

_ENUMS = """
SELECT n.nspname, t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname = ANY (%(schemas)s)
GROUP BY n.nspname, t.typname
ORDER BY n.nspname, t.typname
"""


def read_catalog(conn: Any, ref: SourceRef, schemas: list[str] | None) -> Schema:
    """The schema of the database behind `conn` (a SQLAlchemy connection in a read-only
    transaction); `schemas` limits it, by default every schema but PostgreSQL's own."""
    if schemas is None:
        schemas = [n for (n,) in _rows(conn, _SCHEMAS, {}) if n not in SYSTEM_SCHEMAS]
    params: dict[str, Any] = {"schemas": list(schemas)}
    origin = Origin(ref.id, 1)
    tables = {oid: (nsp, name) for oid, nsp, name in _rows(conn, _TABLES, params)}
    params["oids"] = list(tables)
    parts: dict[int, dict[str, Any]] = {oid: _empty() for oid in tables}
    _columns(conn, params, parts, origin)
    attnames = _attnames(conn, params)
    _constraints(conn, params, parts, attnames, origin)
    _indexes(conn, params, parts, attnames, origin)
    built = tuple(
        Table(
            name=name,
            schema=nsp,
            columns=tuple(parts[oid]["columns"]),
            primary_key=parts[oid]["primary_key"],
            foreign_keys=tuple(parts[oid]["foreign_keys"]),
            uniques=tuple(parts[oid]["uniques"]),
            indexes=tuple(parts[oid]["indexes"]),
            checks=tuple(parts[oid]["checks"]),
            origin=origin,
        )
        for oid, (nsp, name) in tables.items()
    )
    enums = tuple(
        Enum(name, tuple(values), nsp, origin) for nsp, name, values in _rows(conn, _ENUMS, params)
    )
    return Schema(ref, tables=built, enums=enums)


def _rows(conn: Any, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in conn.exec_driver_sql(sql, params).fetchall()]


def _empty() -> dict[str, Any]:
    return {
        "columns": [],
        "primary_key": None,
        "foreign_keys": [],
        "uniques": [],
        "indexes": [],
        "checks": [],
    }


def _columns(conn: Any, params: dict[str, Any], parts: dict[int, Any], origin: Origin) -> None:
    for row in _rows(conn, _COLUMNS, params):
        relid, name, type_sql, notnull, expr, identity, generated = row[:7]
        typ = column_type(type_sql, *row[7:])
        # A stored generated column keeps its expression in pg_attrdef too: it is not a default.
        parts[relid]["columns"].append(
            Column(
                name=name,
                type=typ,
                nullable=not notnull,
                default=None if generated else expr,
                identity=IDENTITY.get(identity),
                generated=expr if generated else None,
                origin=origin,
            )
        )


def column_type(
    sql: str,
    typtype: str,
    typname: str,
    element_typtype: str | None = None,
    element_typname: str | None = None,
    domain_base: str | None = None,
) -> Type:
    """The canonical type of a column whose ``format_type`` is `sql`: read by PostgreSQL's
    parser like a type written in DDL, with `sql` kept exactly as the server printed it.
    A domain has the family and parameters of its base type (`domain_base`), as in the replay.
    """
    from dbdrift.types import postgres as pgtypes
    from dbdrift.types.prisma import unsupported_type

    if domain_base is not None:
        return column_type(domain_base, "b", "").with_sql(sql)
    if sql == QUOTED_CHAR:  # PostgreSQL's one-byte "char", which the parser reads as char(1)
        return pgtypes.builtin_type([sql], [], False) or Type("other", sql)
    if typtype == "e":
        return Type("enum", sql, enum=typname)
    if element_typtype == "e" and element_typname is not None:
        element = Type("enum", sql.removesuffix("[]"), enum=element_typname)
        return pgtypes.array_of(element)
    return unsupported_type("postgresql", sql).with_sql(sql)


def _attnames(conn: Any, params: dict[str, Any]) -> dict[tuple[int, int], str]:
    """(relation oid, attnum) -> column name, for every table (referenced ones too)."""
    referenced = [oid for (oid,) in _rows(conn, _REFERENCED, params)]
    every = {"oids": sorted({*params["oids"], *referenced})}
    return {(relid, num): name for relid, num, name in _rows(conn, _ATTNAMES, every)}


def _constraints(
    conn: Any,
    params: dict[str, Any],
    parts: dict[int, Any],
    attnames: dict[tuple[int, int], str],
    origin: Origin,
) -> None:
    for row in _rows(conn, _CONSTRAINTS, params):
        relid, name, kind, conkey, ref_nsp, ref_rel, confkey, ref_oid, on_del, on_upd, text = row
        table = parts[relid]
        cols = tuple(attnames[(relid, n)] for n in conkey or ())
        if kind == "p":
            table["primary_key"] = PrimaryKey(name, cols, origin)
        elif kind == "u":
            table["uniques"].append(Unique(name, cols, origin))
        elif kind == "c":
            expression = text.removeprefix("CHECK ").removesuffix(" NOT VALID")
            table["checks"].append(Check(name, expression, origin))
        elif kind == "f":
            table["foreign_keys"].append(
                ForeignKey(
                    name=name,
                    columns=cols,
                    ref_table=ref_rel,
                    ref_columns=tuple(attnames[(ref_oid, n)] for n in confkey or ()),
                    ref_schema=ref_nsp,
                    on_delete=FK_ACTIONS[on_del],
                    on_update=FK_ACTIONS[on_upd],
                    origin=origin,
                )
            )


def _indexes(
    conn: Any,
    params: dict[str, Any],
    parts: dict[int, Any],
    attnames: dict[tuple[int, int], str],
    origin: Origin,
) -> None:
    for relid, name, indkey, nkey, unique, where, method, index_oid in _rows(
        conn, _INDEXES, params
    ):
        keys = []
        for position, attnum in enumerate(list(indkey)[:nkey], start=1):
            if attnum != 0:
                keys.append(attnames[(relid, attnum)])
                continue
            (expr,) = _rows(conn, _INDEX_EXPRESSION, {"index": index_oid, "position": position})[0]
            keys.append(f"({expr})")
        parts[relid]["indexes"].append(
            Index(name, tuple(keys), bool(unique), method, where, origin)
        )
