"""Keys as MariaDB finishes a table definition (``mysql_prepare_create_table``): the names
it gives unnamed keys (``email``, ``email_2``), foreign keys (``orders_ibfk_1``) and checks
(``CONSTRAINT_1``), the index InnoDB adds behind a foreign key and drops once another
covers it, key length limits, and which column types InnoDB lets a foreign key join."""

from __future__ import annotations

import re

from dbdrift.readers.sql.mysql.common import Refused, is_lob, same
from dbdrift.readers.sql.mysql.model import MyCheck, MyCol, MyKey, MyTable
from dbdrift.types import Type
from dbdrift.types import mysql as mytypes


def covers(key: MyKey, columns: list[str]) -> bool:
    """Whether `key` can serve a foreign key on `columns`: they are its leading columns."""
    if key.kind in ("fulltext", "spatial") or len(key.parts) < len(columns):
        return False
    return all(
        same(kc, c) and length is None for (kc, length), c in zip(key.parts, columns, strict=False)
    )


def _generated_prefix(a: MyKey, b: MyKey) -> bool:
    """sql_table.cc foreign_key_prefix(): one key is generated and a prefix of the other."""
    if a.generated:
        if b.generated and len(a.parts) > len(b.parts):
            a, b = b, a
    else:
        if not b.generated:
            return False
        a, b = b, a
    if len(a.parts) > len(b.parts):
        return False
    return all(same(x[0], y[0]) and x[1] == y[1] for x, y in zip(a.parts, b.parts, strict=False))


def prune_generated(keys: list[MyKey]) -> list[MyKey]:
    """Drop an implicit foreign-key index that another index makes redundant."""
    kept: list[MyKey] = []
    for key in keys:
        ignore = False
        for other in kept:
            if not _generated_prefix(key, other):
                continue
            if not other.generated or (key.generated and len(key.parts) < len(other.parts)):
                ignore = True
            else:
                kept.remove(other)
            break
        if not ignore:
            kept.append(key)
    return kept


MAX_KEY_BYTES = 3072  # InnoDB with the default DYNAMIC row format


def _part_bytes(col: MyCol, prefix: int | None) -> int | None:
    """Bytes a key part takes; ``None`` for a TEXT/BLOB without a prefix length."""
    t = col.type
    if is_lob(t):
        return (
            None if prefix is None else prefix * (col.bytes_per_char if t.family != "binary" else 1)
        )
    if t.length is not None:
        n = t.length if prefix is None else min(prefix, t.length)
        return n * (col.bytes_per_char if t.family == "text" else 1)
    return 8  # a fixed-size type: close enough for the 3072-byte limit


def check_key_length(table: MyTable, key: MyKey) -> None:
    """MariaDB: a unique key of any length becomes a hash; a one-column index is silently
    shortened; a primary key or a multi-column index over the limit is refused."""
    if key.kind in ("unique", "fulltext", "spatial"):
        return
    sizes = []
    for column, prefix in key.parts:
        col = table.col(column)
        if col is None:
            return
        size = _part_bytes(col, prefix)
        if size is None and key.kind == "primary":
            raise Refused(
                f"BLOB/TEXT column '{col.name}' used in key specification without a key "
                "length (MariaDB error 1170)"
            )
        sizes.append(size)
    if key.kind == "index" and len(sizes) == 1:
        return
    if any(size is None for size in sizes) or sum(s or 0 for s in sizes) > MAX_KEY_BYTES:
        raise Refused(
            f"Specified key was too long; max key length is {MAX_KEY_BYTES} bytes "
            "(MariaDB error 1071)"
        )


def name_keys(keys: list[MyKey]) -> None:
    """Name unnamed keys after their first column (``email``, ``email_2``...), as MariaDB does."""
    for i, key in enumerate(keys):
        if key.kind == "primary":
            key.name = "PRIMARY"
            continue
        earlier = {k.name.lower() for k in keys[:i] if k.name}
        if key.name is not None:
            if key.name.lower() in earlier or same(key.name, "PRIMARY"):
                raise Refused(f"Duplicate key name '{key.name}' (MariaDB error 1061)")
            continue
        base = key.parts[0][0]
        name = base
        n = 2
        while name.lower() in earlier or same(name, "PRIMARY"):
            name = f"{base}_{n}"
            n += 1
        key.name = name


IBFK = re.compile(r"(.*)_ibfk_(\d+)\Z", re.IGNORECASE)


def name_fks(table: MyTable) -> None:
    """Unnamed foreign keys become ``<table>_ibfk_<n>``, n one past the highest so far."""
    highest = 0
    for f in table.fks:
        m = IBFK.match(f.name or "")
        if m and m.group(1) == table.name:
            highest = max(highest, int(m.group(2)))
    for f in table.fks:
        if f.name is None:
            highest += 1
            f.name = f"{table.name}_ibfk_{highest}"


def name_checks(table: MyTable, new: list[MyCheck]) -> None:
    """Unnamed checks become ``CONSTRAINT_<n>``: the first n not taken."""
    taken = {c.name.lower() for c in table.all_checks() if c.name}
    nr = 1
    for ch in new:
        if ch.name:
            continue
        while f"constraint_{nr}" in taken:
            nr += 1
        ch.name = f"CONSTRAINT_{nr}"
        taken.add(ch.name.lower())


def same_key_width(old: Type, new: Type) -> bool:
    """Whether an index part built for `old` still fits a column re-added as `new`: the same
    type, or a string at least as long (the part keeps its old length)."""
    if old.sql == new.sql:
        return True
    strings = ("char", "varchar")
    if old.sql.split("(")[0] in strings and new.sql.split("(")[0] in strings:
        return (new.length or 0) >= (old.length or 0)
    return False


def type_changed(a: Type, b: Type) -> bool:
    """A change InnoDB refuses on a foreign-key column (display widths do not count)."""
    if a.family in ("integer", "boolean") and b.family in ("integer", "boolean"):
        return _storage_class(a) != _storage_class(b)
    return a.sql != b.sql


def fk_compatible(a: Type, b: Type) -> bool:
    """InnoDB's cmp_cols_are_equal(): same storage class (see `_storage_class`)."""
    return _storage_class(a) == _storage_class(b)


# Bytes of InnoDB's DATA_INT columns.
_INT_BYTES = {"tinyint": 1, "smallint": 2, "mediumint": 3, "int": 4, "bigint": 8}


def _storage_class(t: Type) -> str:
    """How InnoDB stores a column (get_innobase_type_from_mysql_type), as far as foreign keys
    care: integers by width and sign; ENUM and YEAR are unsigned integers; non-binary strings
    match each other; DECIMAL, DATETIME, TIMESTAMP, TIME, BINARY, BIT, BLOB and UUID are all
    fixed or variable binary and match each other too."""
    sql = t.sql
    base = sql.split("(")[0].split()[0]
    if base in _INT_BYTES:
        return f"int{_INT_BYTES[base]}{' unsigned' if ' unsigned' in sql else ''}"
    if t.family == "enum":
        return "int1 unsigned" if len(mytypes.enum_members(sql)) < 256 else "int2 unsigned"
    if base == "year":
        return "int1 unsigned"
    if t.family == "text" or t.family == "json":
        return "string"
    if t.family in ("numeric", "timestamp", "time", "binary", "uuid"):
        return "binary"
    if t.family == "float":
        return "float" if t.bits == 32 else "double"
    return sql
