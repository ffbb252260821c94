"""The table of stable rule ids: every family imported, every rule listed (ruff's codes.rs).

Ids are grouped in hundreds: DBD1xx coverage of tables and columns, DBD2xx types, DBD3xx
keys, foreign keys, uniques and indexes, DBD4xx nullability and defaults, DBD5xx sources and
migration streams, DBD9xx reading and what was not compared.  An id is never reused: a
retired rule stays registered with ``status="removed"``.
"""

from __future__ import annotations

import importlib

from dbdrift.checks.registry import REGISTRY, Rule

FAMILIES = (
    "dbdrift.checks.tables",
    "dbdrift.checks.columns",
    "dbdrift.checks.types",
    "dbdrift.checks.keys",
    "dbdrift.checks.nullability",
    "dbdrift.checks.sources",
    "dbdrift.checks.database",
    "dbdrift.checks.reading",
    "dbdrift.checks.verification",
)


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by id (families are imported on first use)."""
    for family in FAMILIES:
        importlib.import_module(family)
    return [REGISTRY[key] for key in sorted(REGISTRY)]


def get(rule_id: str) -> Rule | None:
    """The rule with this id or name (or an alias of either), or ``None``."""
    wanted = rule_id.strip()
    for r in all_rules():
        if wanted.upper() == r.id or wanted == r.name or wanted in r.aliases:
            return r
    return None
