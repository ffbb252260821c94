"""What each database adds or renames when it runs Prisma's CREATE statements.

- PostgreSQL: ``autoincrement()`` is ``SERIAL``, whose sequence PostgreSQL names
  ``<table>_<column>_seq`` (``ChooseRelationName``: cut to 63 bytes, a number appended when
  taken), and the default draws from it.  CockroachDB uses ``unique_rowid()``.
- MySQL/MariaDB: the primary key is named ``PRIMARY``; ``autoincrement()`` is
  ``AUTO_INCREMENT``; a ``JSON`` column is ``LONGTEXT`` with a ``json_valid`` check named after
  the column (MariaDB); InnoDB adds an index, named like the foreign key, behind every
  foreign key no other index leads with.
- SQLite: a single-column ``Int`` id is written ``INTEGER PRIMARY KEY AUTOINCREMENT`` (Prisma
  makes it autoincrement whether or not ``@default(autoincrement())`` says so) and is the
  rowid, with no index; any other primary key is the index ``sqlite_autoindex_<table>_1``.
  SQLite keeps no foreign key names.
"""

from __future__ import annotations

from dataclasses import replace

from dbdrift.readers.prisma.common import Context, Draft
from dbdrift.schema import Check, Index
from dbdrift.types import mysql as mytypes


def finish(ctx: Context, draft: Draft) -> None:
    """Apply the database's own additions to a derived table, in table creation order."""
    if ctx.dialect == "postgresql":
        _postgres(ctx, draft)
    elif ctx.dialect == "mysql":
        _mysql(draft)
    else:
        _sqlite(draft)


def _postgres(ctx: Context, draft: Draft) -> None:
    from dbdrift.readers.sql.postgres.names import choose_name
    from dbdrift.types.postgres import qualified

    taken = ctx.taken(draft.schema)
    for column in list(draft.columns):
        if column.name not in draft.autoincrement:
            continue
        if ctx.provider == "cockroachdb":
            default = "unique_rowid()"
        else:
            schema = draft.schema or "public"
            sequence = choose_name(draft.name, column.name, "seq", taken.__contains__)
            taken.add(sequence)
            default = f"nextval('{qualified(schema, sequence, schema == 'public')}'::regclass)"
        draft.replace_column(replace(column, default=default, nullable=False))
    taken.add(draft.name)
    if draft.primary_key is not None and draft.primary_key.name:
        taken.add(draft.primary_key.name)


def _mysql(draft: Draft) -> None:
    if draft.primary_key is not None:
        draft.primary_key = replace(draft.primary_key, name="PRIMARY")
    for column in list(draft.columns):
        if column.name in draft.autoincrement:
            draft.replace_column(replace(column, identity="auto_increment", default=None))
        if column.type.family == "json" and mytypes.FLAVOURS["mariadb"].json_check:
            draft.checks.append(Check(column.name, f"json_valid(`{column.name}`)", column.origin))
    _foreign_key_indexes(draft)


def _foreign_key_indexes(draft: Draft) -> None:
    """InnoDB's index behind a foreign key whose columns no key starts with."""
    keys: list[tuple[str, ...]] = []
    if draft.primary_key is not None:
        keys.append(draft.primary_key.columns)
    keys.extend(u.columns for u in draft.uniques)
    keys.extend(i.columns for i in draft.indexes if i.method != "fulltext")
    for fk in draft.foreign_keys:
        wanted = [c.lower() for c in fk.columns]
        if any([c.lower() for c in key[: len(wanted)]] == wanted for key in keys):
            continue
        draft.indexes.append(Index(fk.name, fk.columns, False, None, None, fk.origin))
        keys.append(fk.columns)


def _sqlite(draft: Draft) -> None:
    pk = draft.primary_key
    if pk is not None:
        single = draft.column(pk.columns[0]) if len(pk.columns) == 1 else None
        rowid = single is not None and single.type.sql.upper() == "INTEGER"
        name = None if rowid else f"sqlite_autoindex_{draft.name}_1"
        draft.primary_key = replace(pk, name=name)
        if single is not None and draft.scalar_of.get(single.name) == "Int":
            draft.replace_column(replace(single, identity="autoincrement"))
    draft.foreign_keys = [replace(fk, name=None) for fk in draft.foreign_keys]
