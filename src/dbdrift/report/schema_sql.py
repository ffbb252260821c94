"""One schema as normalized DDL (``dbdrift schema --format sql``), in the source's dialect.

Statements follow one declared order of phases, as pg_dump orders them, so the output
applies to an empty database and reproduces the schema: schemas, enum types, sequences,
tables (columns, primary key, unique and check constraints), indexes, then foreign keys,
which may point at any table.  Within a phase, objects keep the schema's order.

What the intermediate representation does not carry cannot be written, so it is lost
in the round trip: SQLite's table options (``WITHOUT ROWID``, ``STRICT``), collations,
``ON CONFLICT`` clauses, deferrable foreign keys, and whether a generated column is
stored or virtual (it is written ``STORED``).  What that means for SQLite: a WITHOUT
ROWID table comes back as a rowid table with the same columns and keys (its key columns
written NOT NULL, as the representation has them), except that an INTEGER PRIMARY KEY
which WITHOUT ROWID numbered after the table's UNIQUE constraints comes back numbered
first; and two UNIQUE constraints that differ only in collation come back as one, since
SQLite gives equal keys one index.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from dbdrift.schema import Column, ForeignKey, Index, Schema, SourceRef, Table


def _double_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _backtick(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _pg_quote(name: str) -> str:
    from dbdrift.types.postgres import quote_ident

    return quote_ident(name)


def _as_written(default: str) -> str:
    return default


# What SQLite's grammar takes bare after DEFAULT (``ccons`` in parse.y): a literal, a
# signed number, or a name (bare or quoted, which it stores as written).  Anything else
# is an expression and must be parenthesised; the parentheses are not part of the text
# SQLite reports, so the default reads back the same.
_SQLITE_BARE_DEFAULT = re.compile(
    r"""[+-]?(?:0[xX][0-9a-fA-F]+|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
      | '(?:[^']|'')*'
      | [xX]'[0-9a-fA-F]*'
      | "(?:[^"]|"")*" | `(?:[^`]|``)*` | \[[^\]]*\]
      | [A-Za-z_\x80-\U0010ffff][A-Za-z0-9_$\x80-\U0010ffff]*""",
    re.VERBOSE,
)


def _sqlite_default(default: str) -> str:
    return default if _SQLITE_BARE_DEFAULT.fullmatch(default) else f"({default})"


# A declared type SQLite reads back as written (``typetoken`` in parse.y): names, then
# optionally one or two signed numbers in parentheses.
_SQLITE_TYPE_NAME = re.compile(r"[A-Za-z_\x80-\U0010ffff][A-Za-z0-9_$\x80-\U0010ffff]*")
_SQLITE_NUMBER = r"\s*[+-]?(?:0[xX][0-9a-fA-F]+|[0-9.]+(?:[eE][+-]?[0-9]+)?)\s*"
_SQLITE_TYPE = re.compile(
    rf"{_SQLITE_TYPE_NAME.pattern}(?:\s+{_SQLITE_TYPE_NAME.pattern})*"
    rf"(?:\s*\({_SQLITE_NUMBER}(?:,{_SQLITE_NUMBER})?\))?"
)


def _sqlite_type(declared: str) -> str:
    """A declared type that is not a plain ``typetoken`` (SQLite reports the dequoted text
    of a quoted one, e.g. ``big int](10, 2`` for ``[big int](10, 2)``) is written quoted,
    which SQLite reads back as the same text."""
    from dbdrift.readers.sql.sqlite.common import RESERVED

    words = _SQLITE_TYPE_NAME.findall(declared)
    if not declared or (
        _SQLITE_TYPE.fullmatch(declared) and not any(w.upper() in RESERVED for w in words)
    ):
        return declared
    return _double_quote(declared)


@dataclass(frozen=True, slots=True)
class Spelling:
    """What a dialect needs spelled its own way; the renderer never asks for the dialect name."""

    quote: Callable[[str], str]
    """Quote an identifier (PostgreSQL: only when ``quote_identifier`` would)."""
    schemas: str | None = None
    """The default schema: tables elsewhere are qualified and their schema created.  ``None``
    when the dialect has no schemas inside a database."""
    enum_types: bool = False
    """Whether enums are types of their own (``CREATE TYPE ... AS ENUM``)."""
    serials: Mapping[str, str] = field(default_factory=dict)
    """Column type -> serial pseudo-type, for NOT NULL columns whose default is the
    ``nextval`` of the sequence that type would create."""
    identity: Mapping[str, str] = field(default_factory=dict)
    """`Column.identity` -> the column clause."""
    inline_foreign_keys: bool = False
    """Whether foreign keys must be declared in CREATE TABLE (SQLite cannot add them later)."""
    index_using: str | None = None
    """Where an index method goes: ``"table"`` (after the table name), ``"columns"`` (after
    the key parts) or ``None`` (the dialect has no methods)."""
    default_index_method: str = "btree"
    index_kinds: frozenset[str] = frozenset()
    """Index methods that are kinds of index, written before INDEX (MySQL's FULLTEXT)."""
    default_action: str = "NO ACTION"
    """The referential action a foreign key gets when none is written (MySQL: RESTRICT)."""
    type_name: Callable[[str], str] = _as_written
    """A column type as the column clause writes it (SQLite: quoted unless it reads back)."""
    default: Callable[[str], str] = _as_written
    """A column default as the DEFAULT clause writes it (SQLite: an expression in parentheses)."""
    autoindex_names: bool = False
    """Whether the database names the index behind each PRIMARY KEY and UNIQUE constraint
    itself, numbered in the order the constraints are declared (SQLite's
    ``sqlite_autoindex_<table>_<n>``): such names are not written, and the constraints are
    declared in the order their names number them, so they come back with the same names."""
    rowid_alias: str | None = None
    """The declared type that makes a one-column PRIMARY KEY an alias of the rowid, with no
    index and no name (SQLite: ``INTEGER``).  A named key of that type is a real key, which
    only the column form with DESC declares (``id INTEGER PRIMARY KEY DESC``)."""


SPELLINGS: dict[str, Spelling] = {
    # https://www.postgresql.org/docs/current/sql-createtable.html
    "postgresql": Spelling(
        quote=_pg_quote,
        schemas="public",
        enum_types=True,
        serials={"smallint": "smallserial", "integer": "serial", "bigint": "bigserial"},
        identity={
            "always": "GENERATED ALWAYS AS IDENTITY",
            "by default": "GENERATED BY DEFAULT AS IDENTITY",
        },
        index_using="table",
    ),
    # https://dev.mysql.com/doc/refman/8.0/en/create-table.html
    "mysql": Spelling(
        quote=_backtick,
        identity={"auto_increment": "AUTO_INCREMENT"},
        index_using="columns",
        index_kinds=frozenset({"fulltext", "spatial"}),
        # information_schema reports RESTRICT for an unwritten action.
        default_action="RESTRICT",
    ),
    # https://www.sqlite.org/lang_createtable.html -- AUTOINCREMENT only on an INTEGER
    # PRIMARY KEY column, written inline (see `_column`); "ROWIDs and the INTEGER PRIMARY
    # KEY" for `rowid_alias`; https://www.sqlite.org/fileformat2.html#representation_of_sql_indices
    # for the autoindex names.
    "sqlite": Spelling(
        quote=_double_quote,
        inline_foreign_keys=True,
        type_name=_sqlite_type,
        default=_sqlite_default,
        autoindex_names=True,
        rowid_alias="INTEGER",
    ),
}

_NEXTVAL = re.compile(r"nextval\('((?:[^']|'')+)'::regclass\)")


def render(schema: Schema) -> str:
    """The DDL that recreates `schema` on an empty database, deterministic to the byte."""
    spelling = SPELLINGS.get(schema.source.dialect, SPELLINGS["postgresql"])
    writer = _Writer(schema, spelling)
    header = [f"-- dbdrift: {schema.source.id} ({schema.source.kind}, {schema.source.dialect})"]
    header += [f"-- not read: {e.origin}: {' '.join(e.message.split())}" for e in schema.errors]
    phases = (
        writer.schemas,
        writer.enums,
        writer.sequences,
        writer.tables,
        writer.indexes,
        writer.foreign_keys,
    )
    statements = [stmt for phase in phases for stmt in phase()]
    return "\n".join(header) + "\n\n" + "".join(f"{s};\n\n" for s in statements).rstrip() + "\n"


class _Writer:
    """The statements of each phase, for one schema in one spelling."""

    def __init__(self, schema: Schema, spelling: Spelling) -> None:
        self.schema = schema
        self.sp = spelling
        self.q = spelling.quote

    # names -------------------------------------------------------------------

    def name(self, schema: str | None, name: str) -> str:
        if self.sp.schemas is None or schema in (None, self.sp.schemas):
            return self.q(name)
        return f"{self.q(schema)}.{self.q(name)}"

    def columns(self, names: tuple[str, ...]) -> str:
        return ", ".join(c if c.startswith("(") else self.q(c) for c in names)

    def serial_of(self, table: Table, column: Column) -> str | None:
        """The serial type that would give `column` its type, NOT NULL and default."""
        serial = self.sp.serials.get(column.type.sql)
        if serial is None or column.nullable or column.identity:
            return None
        sequence = self.name(table.schema, f"{table.name}_{column.name}_seq")
        expected = "nextval('" + sequence.replace("'", "''") + "'::regclass)"
        return serial if column.default == expected else None

    # phases ------------------------------------------------------------------

    def schemas(self) -> Iterator[str]:
        if self.sp.schemas is None:
            return
        names = {t.schema for t in self.schema.tables} | {e.schema for e in self.schema.enums}
        for name in sorted(n for n in names if n and n != self.sp.schemas):
            yield f"CREATE SCHEMA IF NOT EXISTS {self.q(name)}"

    def enums(self) -> Iterator[str]:
        if not self.sp.enum_types:
            return
        for enum in self.schema.enums:
            values = ", ".join(_literal(v) for v in enum.values)
            yield f"CREATE TYPE {self.name(enum.schema, enum.name)} AS ENUM ({values})"

    def sequences(self) -> Iterator[str]:
        """Sequences that defaults draw from, unless a serial type will create them."""
        seen: set[str] = set()
        for table in self.schema.tables:
            for column in table.columns:
                match = _NEXTVAL.fullmatch(column.default or "")
                if match is None or self.serial_of(table, column):
                    continue
                sequence = match.group(1).replace("''", "'")
                if sequence not in seen:
                    seen.add(sequence)
                    yield f"CREATE SEQUENCE IF NOT EXISTS {sequence}"

    def tables(self) -> Iterator[str]:
        for table in self.schema.tables:
            on_column = self.column_keys(table)
            lines = [self.column(table, c, on_column.get(c.name)) for c in table.columns]
            lines += list(self.table_constraints(table, on_column))
            body = ",\n".join(f"    {line}" for line in lines)
            yield f"CREATE TABLE {self.name(table.schema, table.name)} (\n{body}\n)"

    def indexes(self) -> Iterator[str]:
        for table in self.schema.tables:
            for index in table.indexes:
                yield self.index(table, index)

    def foreign_keys(self) -> Iterator[str]:
        if self.sp.inline_foreign_keys:
            return
        for table in self.schema.tables:
            for fk in table.foreign_keys:
                yield f"ALTER TABLE {self.name(table.schema, table.name)} ADD {self.fk(fk)}"

    # pieces ------------------------------------------------------------------

    def column(self, table: Table, column: Column, key: str | None = None) -> str:
        serial = self.serial_of(table, column)
        parts = [self.q(column.name), serial or self.sp.type_name(column.type.sql)]
        if column.generated is not None:
            parts.append(f"GENERATED ALWAYS AS ({column.generated}) STORED")
        if column.identity and self.sp.identity:
            parts.append(self.sp.identity[column.identity])
        if column.default is not None and serial is None:
            parts.append(f"DEFAULT {self.sp.default(column.default)}")
        if not column.nullable:
            parts.append("NOT NULL")
        if key:
            parts.append(key)
        return " ".join(p for p in parts if p)

    def column_keys(self, table: Table) -> dict[str, str]:
        """Keys SQLite must be told on their column, by column name: an identity is
        ``INTEGER PRIMARY KEY AUTOINCREMENT``; a named key of the rowid-alias type is
        ``PRIMARY KEY DESC``, the one spelling that keeps it from being the rowid (which has
        no index and no name); and the one-column UNIQUEs SQLite numbered before such a key
        go on their columns too, so the autoindexes are created in the same order."""
        pk = table.primary_key
        if pk is None or len(pk.columns) != 1:
            return {}
        column = table.column(pk.columns[0])
        if column is None:
            return {}
        if column.identity is not None and not self.sp.identity:
            return {column.name: "PRIMARY KEY AUTOINCREMENT"}
        alias = self.sp.rowid_alias
        if alias is None or pk.name is None or column.type.sql.upper() != alias:
            return {}
        keys = {column.name: "PRIMARY KEY DESC"}
        number = _autoindex_number(pk.name)
        before = sorted(
            (u for u in table.uniques if _autoindex_number(u.name) < number),
            key=lambda u: _autoindex_number(u.name),
        )
        names = [c.name for c in table.columns]
        places = [
            names.index(u.columns[0]) if len(u.columns) == 1 and u.columns[0] in names else -1
            for u in before
        ]
        # Written on their columns, they are created in column order, before the key.
        if places == sorted(set(places)) and all(0 <= p < names.index(column.name) for p in places):
            keys |= {u.columns[0]: "UNIQUE" for u in before}
        return keys

    def table_constraints(self, table: Table, on_column: dict[str, str]) -> Iterator[str]:
        yield from self.key_constraints(table, on_column)
        for check in table.checks:
            yield f"{self.constraint(check.name)}CHECK ({check.expression})"
        if self.sp.inline_foreign_keys:
            yield from (self.fk(fk) for fk in table.foreign_keys)

    def key_constraints(self, table: Table, on_column: dict[str, str]) -> Iterator[str]:
        """PRIMARY KEY and UNIQUE constraints, except those written on their column."""
        pk = table.primary_key
        keys = []
        if pk is not None and not (len(pk.columns) == 1 and pk.columns[0] in on_column):
            keys.append((pk, "PRIMARY KEY"))
        keys += [
            (u, "UNIQUE")
            for u in table.uniques
            if not (len(u.columns) == 1 and on_column.get(u.columns[0]) == "UNIQUE")
        ]
        if self.sp.autoindex_names:
            keys.sort(key=lambda k: _autoindex_number(k[0].name))
        for key, kind in keys:
            name = None if self.sp.autoindex_names else key.name
            yield f"{self.constraint(name)}{kind} ({self.columns(key.columns)})"

    def constraint(self, name: str | None) -> str:
        return f"CONSTRAINT {self.q(name)} " if name else ""

    def fk(self, fk: ForeignKey) -> str:
        ref = self.name(fk.ref_schema, fk.ref_table)
        if fk.ref_columns:  # none: the parent's primary key, resolved by the database
            ref += f" ({self.columns(fk.ref_columns)})"
        text = (
            f"{self.constraint(fk.name)}FOREIGN KEY ({self.columns(fk.columns)}) REFERENCES {ref}"
        )
        if fk.on_delete != self.sp.default_action:
            text += f" ON DELETE {fk.on_delete}"
        if fk.on_update != self.sp.default_action:
            text += f" ON UPDATE {fk.on_update}"
        return text

    def index(self, table: Table, index: Index) -> str:
        name = index.name or _index_name(table, index)
        method = index.method if self.sp.index_using else None
        if method and method.lower() == self.sp.default_index_method:
            method = None
        kind = ""
        if method and method.lower() in self.sp.index_kinds:
            kind, method = f"{method.upper()} ", None
        using = f" USING {method}" if method else ""
        text = "CREATE UNIQUE INDEX" if index.unique else f"CREATE {kind}INDEX"
        text += f" {self.q(name)} ON {self.name(table.schema, table.name)}"
        if self.sp.index_using == "table":
            text += using
        text += f" ({self.columns(index.columns)})"
        if self.sp.index_using == "columns":
            text += using
        if index.where is not None:
            text += f" WHERE {index.where}"
        return text


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _autoindex_number(name: str | None) -> int:
    """The ``<n>`` of ``sqlite_autoindex_<table>_<n>``: the order SQLite declared the key in.
    A key with no number (a rowid alias has no index) comes first; the sort is stable."""
    match = re.search(r"_([0-9]+)\Z", name or "")
    return int(match.group(1)) if match else 0


def _index_name(table: Table, index: Index) -> str:
    """A name for an unnamed index, as PostgreSQL would choose it (``<table>_<cols>_idx``)."""
    parts = ["expr" if c.startswith("(") else c for c in index.columns]
    return f"{table.name}_{'_'.join(parts)}_{'key' if index.unique else 'idx'}"


# One table at a time, for the fix writers (fix/sql.py): the same renderer, so a fix and
# ``dbdrift schema --format sql`` spell a table alike.


def _one_table_writer(table: Table, dialect: str, quote: Callable[[str], str] | None) -> _Writer:
    spelling = SPELLINGS.get(dialect, SPELLINGS["postgresql"])
    if quote is not None:
        spelling = replace(spelling, quote=quote)
    schema = Schema(SourceRef("fix", "fix", dialect), tables=(table,))
    return _Writer(schema, spelling)


def table_statements(
    table: Table, dialect: str, quote: Callable[[str], str] | None = None
) -> list[str]:
    """The statements that create `table` alone: its sequences, CREATE TABLE, its indexes
    and its foreign keys (without the trailing semicolons).  `quote` replaces the dialect's
    identifier quoting."""
    writer = _one_table_writer(table, dialect, quote)
    phases = (writer.sequences, writer.tables, writer.indexes, writer.foreign_keys)
    return [stmt for phase in phases for stmt in phase()]


def column_definition(
    table: Table, column: Column, dialect: str, quote: Callable[[str], str] | None = None
) -> str:
    """`column` as a CREATE TABLE column clause (``name type [DEFAULT x] [NOT NULL]``)."""
    return _one_table_writer(table, dialect, quote).column(table, column)


def foreign_key_clause(
    table: Table, fk: ForeignKey, dialect: str, quote: Callable[[str], str] | None = None
) -> str:
    """`fk` as a table constraint clause (``[CONSTRAINT n] FOREIGN KEY (...) REFERENCES ...``)."""
    return _one_table_writer(table, dialect, quote).fk(fk)
