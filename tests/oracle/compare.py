"""The projection every oracle test compares: what dbdrift read vs what a database reports.

Both sides are reduced to the same plain structure, so a test is one equality assertion and
a failure shows a readable diff.  Expression keys of indexes are compared as ``<expr>``
(their text is the database's own deparse), partial-index predicates by presence.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dbdrift.schema import Schema

EXPR = "<expr>"


def key_name(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name


def index_columns(columns: tuple[str, ...] | list[str]) -> list[str]:
    return [EXPR if c.startswith("(") else c for c in columns]


def check_names(names: Iterable[str | None]) -> list[str | None]:
    """Check names sorted, unnamed ones (SQLite keeps no name) first."""
    return sorted(names, key=lambda n: (n is not None, n or ""))


def project(schema: Schema) -> dict[str, Any]:
    """dbdrift's reading of a source, as the oracle projection."""
    tables: dict[str, Any] = {}
    for t in schema.tables:
        tables[key_name(t.schema, t.name)] = {
            "columns": [
                [c.name, c.type.sql, c.nullable, c.default, c.identity, c.generated is not None]
                for c in t.columns
            ],
            "primary_key": [t.primary_key.name, list(t.primary_key.columns)]
            if t.primary_key
            else None,
            "foreign_keys": sorted(
                [
                    f.name,
                    list(f.columns),
                    f.ref_schema,
                    f.ref_table,
                    list(f.ref_columns),
                    f.on_delete,
                    f.on_update,
                ]
                for f in t.foreign_keys
            ),
            "uniques": sorted([u.name, list(u.columns)] for u in t.uniques),
            "indexes": sorted(
                [i.name, index_columns(i.columns), i.unique, i.where is not None] for i in t.indexes
            ),
            "checks": check_names(c.name for c in t.checks),
        }
    enums = {key_name(e.schema, e.name): list(e.values) for e in schema.enums}
    return {"tables": tables, "enums": enums}
