"""The names Prisma gives what the schema does not name: keys, indexes, foreign keys, join tables.

Prisma's convention (psl ``ConstraintNames``) is PostgreSQL's: ``<table>_pkey``,
``<table>_<columns>_key`` for a unique index, ``<table>_<columns>_idx`` for any other index and
``<table>_<columns>_fkey`` for a foreign key, always from the *database* names (``@@map``,
``@map``).  When a name would not fit the connector's identifier limit, the part before the
suffix is cut (at a character boundary, counting bytes) so that the suffix survives.
Implicit many-to-many tables follow their own rules (sql_schema_calculator.rs
``push_relation_tables``), which count characters, not bytes.
"""

from __future__ import annotations

from collections.abc import Sequence


def _floor(text: str, nbytes: int) -> str:
    """The longest prefix of `text` whose UTF-8 encoding fits in `nbytes` bytes."""
    data = text.encode()
    if len(data) <= nbytes:
        return text
    return data[:nbytes].decode("utf-8", errors="ignore")


def _with_suffix(stem: str, suffix: str, limit: int) -> str:
    """``stem + suffix``, the stem cut when it reaches ``limit - len(suffix)`` bytes."""
    room = limit - len(suffix)
    if len(stem.encode()) >= room:
        stem = _floor(stem, room)
    return stem + suffix


def primary_key_name(table: str, limit: int) -> str:
    return _with_suffix(table, "_pkey", limit)


def unique_index_name(table: str, columns: Sequence[str], limit: int) -> str:
    return _with_suffix(f"{table}_{'_'.join(columns)}", "_key", limit)


def index_name(table: str, columns: Sequence[str], limit: int) -> str:
    return _with_suffix(f"{table}_{'_'.join(columns)}", "_idx", limit)


def foreign_key_name(table: str, columns: Sequence[str], limit: int) -> str:
    return _with_suffix(f"{table}_{'_'.join(columns)}", "_fkey", limit)


def join_table_name(relation: str, limit: int) -> str:
    """``_<relation name>``, cut to the identifier limit in characters."""
    return f"_{relation}"[:limit]


def join_table_names(table: str, limit: int, primary_key: bool) -> dict[str, str]:
    """The names of a join table's unique key (or primary key), B index and two foreign keys.

    Prisma cuts the table name to leave room for each suffix; the ``A`` and ``B`` foreign keys
    compare with ``>`` and ``>=`` respectively, which only differs when nothing is cut.
    """
    suffix = "_AB_pkey" if primary_key else "_AB_unique"
    fk_room = limit - len("_fkey") - 2
    fk_a = table[:fk_room] if len(table) > fk_room else table
    fk_b = table[:fk_room] if len(table) >= fk_room else table
    return {
        "unique": table[: limit - len(suffix)] + suffix,
        "index": table[: limit - len("_B_index")] + "_B_index",
        "fk_a": f"{fk_a}_A_fkey",
        "fk_b": f"{fk_b}_B_fkey",
    }
