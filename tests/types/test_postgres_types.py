"""PostgreSQL spellings: a column type as written -> the canonical type, one case per line.

The expected `sql` is what ``format_type`` prints (checked against a live server in
tests/readers/test_pg_defaults_oracle.py); here the mapping table itself is pinned.
"""

from __future__ import annotations

import json

import pytest
from pglast.parser import parse_sql_json

from dbdrift.types.postgres import builtin_type, quote_ident


def canonical(spelling: str):
    tree = json.loads(parse_sql_json(f"CREATE TABLE t (c {spelling})"))
    type_name = tree["stmts"][0]["stmt"]["CreateStmt"]["tableElts"][0]["ColumnDef"]["typeName"]
    names = [n["String"]["sval"] for n in type_name["names"]]
    mods = [m["A_Const"].get("ival", {}).get("ival", 0) for m in type_name.get("typmods", [])]
    return builtin_type(names, mods, bool(type_name.get("arrayBounds")))


@pytest.mark.parametrize(
    ("spelling", "sql", "family"),
    [
        ("int", "integer", "integer"),
        ("INT8", "bigint", "integer"),
        ("smallint", "smallint", "integer"),
        ("varchar(255)", "character varying(255)", "text"),
        ("character varying", "character varying", "text"),
        ("char(3)", "character(3)", "text"),
        ("char", "character(1)", "text"),
        ("text", "text", "text"),
        ("numeric(12,2)", "numeric(12,2)", "numeric"),
        ("decimal(5)", "numeric(5,0)", "numeric"),
        ("numeric", "numeric", "numeric"),
        ("real", "real", "float"),
        ("float", "double precision", "float"),
        ("float(24)", "real", "float"),
        ("float(25)", "double precision", "float"),
        ("timestamp", "timestamp without time zone", "timestamp"),
        ("timestamp(3)", "timestamp(3) without time zone", "timestamp"),
        ("timestamptz", "timestamp with time zone", "timestamp"),
        ("timestamp(6) with time zone", "timestamp(6) with time zone", "timestamp"),
        ("time", "time without time zone", "time"),
        ("timetz(2)", "time(2) with time zone", "time"),
        ("interval", "interval", "interval"),
        ("interval hour to minute", "interval hour to minute", "interval"),
        ("boolean", "boolean", "boolean"),
        ("uuid", "uuid", "uuid"),
        ("jsonb", "jsonb", "json"),
        ("bytea", "bytea", "binary"),
        ("bit varying(3)", "bit varying(3)", "binary"),
        ("text[]", "text[]", "array"),
        ("integer[][]", "integer[]", "array"),
        ("inet", "inet", "other"),
    ],
)
def test_spelling(spelling: str, sql: str, family: str) -> None:
    typ = canonical(spelling)
    assert typ is not None
    assert (typ.sql, typ.family) == (sql, family)


def test_user_type_is_not_builtin() -> None:
    assert builtin_type(["mood"], [], False) is None


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("users", "users"),
        ("User", '"User"'),
        ("user", '"user"'),
        ("select", '"select"'),
        ("a b", '"a b"'),
        ("1x", '"1x"'),
        ("name", "name"),
        ('we"ird', '"we""ird"'),
    ],
)
def test_quote_ident(name: str, quoted: str) -> None:
    assert quote_ident(name) == quoted
