"""Two readings of one database, compared item by item: what `verify` prints, and what an
oracle test can assert on.

Both sides are reduced to the fields a database reports back -- tables by physical name
(`align.table_key`), columns in order with their type spelling, nullability, default,
identity and whether they are generated, the primary key, foreign keys, unique
constraints, indexes (expression keys as ``<expr>``, a partial predicate by presence),
check constraint names and enum labels -- and every difference is one sorted line naming
the table and column it is about.  Names of unnamed constraints (SQLite keeps none) are
compared by their columns instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dbdrift.align import DEFAULT_SCHEMAS, table_key
from dbdrift.schema import Column, Schema, Table

EXPR = "<expr>"
"""How an expression key of an index is compared: its text is each side's own deparse."""

_COLUMN_FIELDS = ("type", "nullable", "default", "identity", "generated")


def differences(
    left: Schema, right: Schema, names: tuple[str, str] = ("left", "right")
) -> list[str]:
    """Every way `right` differs from `left`, one line each, sorted; empty when they agree.

    `names` says how each side is called in the lines (``("dbdrift", "database")``).
    """
    a, b = names
    ltables = {table_key(t): t for t in left.tables}
    rtables = {table_key(t): t for t in right.tables}
    found: list[str] = []
    for key in sorted(ltables.keys() - rtables.keys()):
        found.append(f"table {key}: in {a}, not in {b}")
    for key in sorted(rtables.keys() - ltables.keys()):
        found.append(f"table {key}: in {b}, not in {a}")
    for key in sorted(ltables.keys() & rtables.keys()):
        found.extend(_table(key, ltables[key], rtables[key], a, b))
    lenums = {_enum_key(e.schema, e.name): e.values for e in left.enums}
    renums = {_enum_key(e.schema, e.name): e.values for e in right.enums}
    for key in sorted(lenums.keys() | renums.keys()):
        lv, rv = lenums.get(key), renums.get(key)
        if lv == rv:
            continue
        if lv is None or rv is None:
            side, other = (a, b) if rv is None else (b, a)
            found.append(f"enum {key}: in {side}, not in {other}")
        else:
            found.append(f"enum {key} values: {a} {list(lv)} != {b} {list(rv)}")
    return sorted(found)


def _enum_key(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema and schema not in DEFAULT_SCHEMAS else name


def column_fields(column: Column) -> tuple[Any, ...]:
    """What is compared of a column, in `_COLUMN_FIELDS` order."""
    return (
        column.type.sql,
        column.nullable,
        column.default,
        column.identity,
        column.generated is not None,
    )


def _table(key: str, left: Table, right: Table, a: str, b: str) -> list[str]:
    found: list[str] = []
    lcols = {c.name: c for c in left.columns}
    rcols = {c.name: c for c in right.columns}
    for name in sorted(lcols.keys() - rcols.keys()):
        found.append(f"column {key}.{name}: in {a}, not in {b}")
    for name in sorted(rcols.keys() - lcols.keys()):
        found.append(f"column {key}.{name}: in {b}, not in {a}")
    for name in sorted(lcols.keys() & rcols.keys()):
        lf, rf = column_fields(lcols[name]), column_fields(rcols[name])
        for field, lv, rv in zip(_COLUMN_FIELDS, lf, rf, strict=True):
            if lv != rv:
                found.append(f"column {key}.{name} {field}: {a} {lv!r} != {b} {rv!r}")
    lorder = [c.name for c in left.columns if c.name in rcols]
    rorder = [c.name for c in right.columns if c.name in lcols]
    if lorder != rorder:
        found.append(f"table {key} column order: {a} {lorder} != {b} {rorder}")
    lpk = _pk(left)
    rpk = _pk(right)
    if lpk != rpk:
        found.append(f"table {key} primary key: {a} {lpk} != {b} {rpk}")
    for label, litems, ritems in (
        ("foreign key", _fks(left), _fks(right)),
        ("unique", _uniques(left), _uniques(right)),
        ("index", _indexes(left), _indexes(right)),
    ):
        found.extend(_items(key, label, litems, ritems, a, b))
    lchecks, rchecks = _names(c.name for c in left.checks), _names(c.name for c in right.checks)
    if lchecks != rchecks:
        found.append(f"table {key} checks: {a} {lchecks} != {b} {rchecks}")
    return found


def _items(
    key: str,
    label: str,
    left: dict[str, tuple[Any, ...]],
    right: dict[str, tuple[Any, ...]],
    a: str,
    b: str,
) -> Iterable[str]:
    for item in sorted(left.keys() | right.keys()):
        lv, rv = left.get(item), right.get(item)
        if lv == rv:
            continue
        if rv is None:
            yield f"table {key} {label} {item}: in {a}, not in {b}"
        elif lv is None:
            yield f"table {key} {label} {item}: in {b}, not in {a}"
        else:
            yield f"table {key} {label} {item}: {a} {lv} != {b} {rv}"


def _item_key(name: str | None, columns: Iterable[str]) -> str:
    return name if name is not None else "(" + ", ".join(columns) + ")"


def _keyed(items: Iterable[tuple[str, tuple[Any, ...]]]) -> dict[str, tuple[Any, ...]]:
    """Items by key; a key seen twice (two unnamed constraints on the same columns) counts."""
    out: dict[str, tuple[Any, ...]] = {}
    for key, value in items:
        k, n = key, 1
        while k in out:
            n += 1
            k = f"{key}#{n}"
        out[k] = value
    return out


def _pk(table: Table) -> tuple[Any, ...] | None:
    pk = table.primary_key
    return (pk.name, list(pk.columns)) if pk else None


def _fks(table: Table) -> dict[str, tuple[Any, ...]]:
    return _keyed(
        sorted(
            (
                _item_key(f.name, f.columns),
                (
                    list(f.columns),
                    f.ref_schema if f.ref_schema not in DEFAULT_SCHEMAS else None,
                    f.ref_table,
                    list(f.ref_columns),
                    f.on_delete,
                    f.on_update,
                ),
            )
            for f in table.foreign_keys
        )
    )


def _uniques(table: Table) -> dict[str, tuple[Any, ...]]:
    return _keyed(sorted((_item_key(u.name, u.columns), (list(u.columns),)) for u in table.uniques))


def _indexes(table: Table) -> dict[str, tuple[Any, ...]]:
    return _keyed(
        sorted(
            (
                _item_key(i.name, i.columns),
                (
                    [EXPR if c.startswith("(") else c for c in i.columns],
                    "unique" if i.unique else "not unique",
                    "partial" if i.where is not None else "total",
                ),
            )
            for i in table.indexes
        )
    )


def _names(names: Iterable[str | None]) -> list[str | None]:
    """Check names sorted, unnamed ones first."""
    return sorted(names, key=lambda n: (n is not None, n or ""))
