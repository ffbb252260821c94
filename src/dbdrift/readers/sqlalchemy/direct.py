"""The replay's catalog built straight from the specs, when nothing in them needs a decision
only the replay can make.

Replaying the DDL of every table (ddl.py) costs more than reading the models.  Most model
tables are plain: typed columns, a primary key, uniques, indexes, foreign keys between
tables that exist, every name free.  For those the outcome is fixed — PostgreSQL's default
names (``users_pkey``, ``users_email_key``, ``users_id_seq``), NOT NULL on primary key
columns, foreign keys to a primary key or unique — so `build` writes it down directly.  Types
and server defaults still get the replay's own spelling: every distinct (type, default) pair
is replayed once, as a column of one scratch table.  Anything else (an enum, a schema, a
CHECK, an identity or generated column, a taken name, a foreign key the database would
refuse) makes `build` return ``None``, and the whole source goes through the DDL replay.
"""

from __future__ import annotations

import re
from dataclasses import replace

from dbdrift.readers.sql.postgres import names as pg_names
from dbdrift.readers.sqlalchemy.ddl import _EXTENSIONS, _SERIAL, _named, autoincrement_column
from dbdrift.readers.sqlalchemy.model import ColumnSpec, Context, FKSpec, TableSpec
from dbdrift.schema import (
    Column,
    ForeignKey,
    Index,
    Origin,
    PrimaryKey,
    Schema,
    Table,
    Unique,
)

_PUBLIC = "public"
_PLAIN = re.compile(r"[a-z_][a-z0-9_]*")  # a sequence name that regclass prints unquoted
_ACTIONS = frozenset({"NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"})
_NO_EQUALITY = frozenset({"enum", "other", "array"})


class _Refused(Exception):
    """Something only the replay can decide: fall back to it."""


def build(ctx: Context, schema: Schema) -> Schema | None:
    """The schema the DDL replay would give for `ctx`'s tables, or ``None`` when it alone
    can say (the caller then replays)."""
    if ctx.index.dialect != "postgresql":
        return None
    try:
        return _Builder(ctx).schema(schema)
    except _Refused:
        return None


def _check(condition: object) -> None:
    if not condition:
        raise _Refused


class _Builder:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.relations: set[str] = set()  # tables, sequences, indexes of schema public
        self.constraints: set[str] = set()
        self.tables: dict[str, _Table] = {}
        self.spelled: dict[tuple[str, str | None], Column] = {}

    def claim(self, taken: set[str], name: str) -> str:
        _check(name not in taken)
        taken.add(name)
        return name

    def schema(self, schema: Schema) -> Schema:
        for spec in self.ctx.tables:
            self.vet(spec)
        self.spell(schema)
        for spec in self.ctx.tables:
            self.table(spec)
        for table in self.tables.values():
            self.foreign_keys(table)
        return Schema(
            schema.source,
            tables=tuple(t.freeze() for t in self.tables.values()),
            notes=schema.notes,
            errors=schema.errors,
        )

    # Types and defaults -----------------------------------------------------------------

    def vet(self, spec: TableSpec) -> None:
        """Refuse what the replay alone decides; note each (type, default) pair to spell."""
        _check(spec.schema is None)
        _check(not any(c.kind == "check" or c.where for c in spec.constraints))
        serial = autoincrement_column(spec)
        for col in spec.columns:
            typ = col.type
            _check(col.name and typ is not None and not col.raw_type and col.enum is None)
            _check(not (col.identity or col.computed or col.checks or col.type_checks))
            assert typ is not None
            base = typ.element or typ
            _check(base.family != "enum" and base.sql.partition("(")[0] not in _EXTENSIONS)
            default = None if col is serial else col.server_default
            self.spelled.setdefault((typ.sql, default), Column("", typ))

    def spell(self, schema: Schema) -> None:
        """Every distinct (type, default) as the replay stores it: one scratch table."""
        from dbdrift.readers.sql.catalog import Catalog
        from dbdrift.readers.sql.postgres import Replay

        if not self.spelled:
            return
        keys = list(self.spelled)
        items = []
        for i, (sql, default) in enumerate(keys):
            items.append(f"c{i} {sql}" + (f" DEFAULT {default}" if default is not None else ""))
        catalog = Catalog(schema.source)
        Replay(catalog).file("<types>", "CREATE TABLE t (\n" + ",\n".join(items) + "\n);\n")
        _check(not catalog.errors and not catalog.notes)
        table = catalog.table(_PUBLIC, "t")
        _check(table is not None)
        assert table is not None
        for i, key in enumerate(keys):
            self.spelled[key] = table.columns[f"c{i}"]

    # Tables -------------------------------------------------------------------------------

    def table(self, spec: TableSpec) -> None:
        name = self.claim(self.relations, pg_names.truncate_identifier(spec.name))
        origin = Origin(spec.module.path, spec.line)
        table = _Table(spec, name, origin)
        self.tables[name] = table
        serial = autoincrement_column(spec)
        for col in spec.columns:
            table.add(self.column(table, col, col is serial))
        self.primary_key(table)
        uniques = [(c.name, c.columns) for c in spec.constraints if c.kind == "unique"]
        uniques += [(None, [c.name or ""]) for c in spec.columns if c.unique and not c.index]
        for explicit, columns in uniques:
            keys = table.keys(columns)
            addition = pg_names.name_addition(pg_names.index_column_names(keys))
            label = _named(spec, "uq", explicit, columns)
            uq = self.index_name(label, name, addition, "key")
            table.uniques.append(Unique(uq, keys, origin))
        for col in spec.columns:
            if col.index:
                label = _named(spec, "ix", None, [col.name or ""]) or ""
                ix = self.claim(self.relations, pg_names.truncate_identifier(label))
                keys = table.keys([col.name or ""])
                table.indexes.append(Index(ix, keys, col.unique, "btree", None, origin))
        for con in spec.constraints:
            label = _named(spec, "ix", con.name, con.columns) if con.kind == "index" else None
            if label:
                ix = self.claim(self.relations, pg_names.truncate_identifier(label))
                keys = table.keys(con.columns)
                table.indexes.append(Index(ix, keys, con.unique, "btree", None, origin))

    def column(self, table: _Table, col: ColumnSpec, serial: bool) -> Column:
        assert col.type is not None
        default = None if serial else col.server_default
        spelled = self.spelled[(col.type.sql, default)]
        name = pg_names.truncate_identifier(col.name or "")
        value = spelled.default
        if serial:
            _check(col.type.sql in _SERIAL)
            seq = pg_names.make_object_name(table.name, name, "seq")
            _check(_PLAIN.fullmatch(seq))
            value = f"nextval('{self.claim(self.relations, seq)}'::regclass)"
        attr = col.attr if col.attr and col.attr != name else None
        nullable = bool(col.nullable) and not serial
        return Column(name, spelled.type, nullable, value, None, None, col.origin, attr)

    def primary_key(self, table: _Table) -> None:
        spec = table.spec
        columns = [c.name or "" for c in spec.columns if c.primary_key]
        explicit = None
        primaries = [c for c in spec.constraints if c.kind == "primary"]
        if primaries:
            columns, explicit = primaries[0].columns, primaries[0].name
        if not columns:
            return
        _check(len(primaries) <= 1)
        keys = table.keys(columns)
        name = self.index_name(_named(spec, "pk", explicit, columns), table.name, None, "pkey")
        for key in keys:
            table.columns[key] = replace(table.columns[key], nullable=False)
        table.primary_key = PrimaryKey(name, keys, table.origin)

    def index_name(self, explicit: str | None, table: str, addition: str | None, label: str) -> str:
        """A constraint's index: its own name, or PostgreSQL's when that one is free."""
        if explicit:
            name = pg_names.truncate_identifier(explicit)
        else:
            name = pg_names.make_object_name(table, addition, label)
        self.claim(self.relations, name)
        return self.claim(self.constraints, name)

    # Foreign keys -------------------------------------------------------------------------

    def foreign_keys(self, table: _Table) -> None:
        spec = table.spec
        found = [(fk, [c.name or ""]) for c in spec.columns for fk in c.foreign_keys]
        found += [(con.fk, con.fk.columns) for con in spec.constraints if con.fk is not None]
        for fk, columns in found:
            if any(t == "?" for t in fk.targets):
                continue
            table.foreign_keys.append(self.foreign_key(table, fk, columns))

    def foreign_key(self, table: _Table, fk: FKSpec, columns: list[str]) -> ForeignKey:
        parts = [t.split(".") for t in fk.targets]
        _check(all(len(p) == 2 for p in parts))
        target = self.tables.get(pg_names.truncate_identifier(parts[0][0]))
        _check(target is not None)
        assert target is not None
        keys = table.keys(columns)
        refs = target.keys([p[1] for p in parts])
        _check(len(keys) == len(refs) and target.unique_on(refs))
        for key, ref in zip(keys, refs, strict=True):
            a, b = table.columns[key].type, target.columns[ref].type
            _check(a.family == b.family and (a.family not in _NO_EQUALITY or a.sql == b.sql))
        on_delete = (fk.on_delete or "NO ACTION").upper()
        on_update = (fk.on_update or "NO ACTION").upper()
        _check(on_delete in _ACTIONS and on_update in _ACTIONS)
        explicit = _named(
            table.spec,
            "fk",
            fk.name,
            columns,
            referred=parts[0][0],
            referred_columns=[p[1] for p in parts],
        )
        if explicit:
            name = pg_names.truncate_identifier(explicit)
        else:
            name = pg_names.make_object_name(table.name, pg_names.name_addition(keys), "fkey")
        self.claim(self.constraints, name)
        origin = Origin(table.spec.module.path, fk.line)
        return ForeignKey(
            name, keys, target.name, refs, _PUBLIC, on_delete, on_update, origin=origin
        )


class _Table:
    """A table being built: like the replay's ``MutTable``."""

    def __init__(self, spec: TableSpec, name: str, origin: Origin) -> None:
        self.spec = spec
        self.name = name
        self.origin = origin
        self.columns: dict[str, Column] = {}
        self.primary_key: PrimaryKey | None = None
        self.foreign_keys: list[ForeignKey] = []
        self.uniques: list[Unique] = []
        self.indexes: list[Index] = []

    def add(self, column: Column) -> None:
        _check(column.name not in self.columns)
        self.columns[column.name] = column

    def keys(self, names: list[str]) -> tuple[str, ...]:
        """Column names as a constraint lists them: each must exist, none twice."""
        keys = tuple(pg_names.truncate_identifier(n) for n in names)
        _check(keys and len(set(keys)) == len(keys) and all(k in self.columns for k in keys))
        return keys

    def unique_on(self, columns: tuple[str, ...]) -> bool:
        wanted = set(columns)
        keys = [u.columns for u in self.uniques] + [i.columns for i in self.indexes if i.unique]
        if self.primary_key is not None:
            keys.append(self.primary_key.columns)
        return any(set(key) == wanted for key in keys)

    def freeze(self) -> Table:
        return Table(
            self.name,
            _PUBLIC,
            tuple(self.columns.values()),
            self.primary_key,
            tuple(self.foreign_keys),
            tuple(self.uniques),
            tuple(self.indexes),
            (),
            self.origin,
        )
