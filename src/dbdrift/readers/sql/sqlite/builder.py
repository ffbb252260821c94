"""A table while its CREATE TABLE (or one column while its ADD COLUMN) is being read,
and how it becomes a `MutTable`: the checks SQLite makes once every column is known
(``sqlite3EndTable``), the autoindexes it creates for PRIMARY KEY and UNIQUE, and the
columns as ``PRAGMA table_xinfo`` reports them."""

from __future__ import annotations

from dataclasses import dataclass, field

from dbdrift.readers.sql.catalog import MutTable
from dbdrift.readers.sql.sqlite.common import Refused, fold
from dbdrift.readers.sql.sqlite.parser import column_refs
from dbdrift.readers.sql.sqlite.state import TableFacts
from dbdrift.readers.sql.sqlite.statements import Tok
from dbdrift.schema import Check, Column, ForeignKey, Origin, PrimaryKey, Unique
from dbdrift.types.sqlite import declared_type, is_std_type


@dataclass
class ColumnDef:
    """A column as its definition was read: the declared type as written, its constraints."""

    name: str
    declared: str
    origin: Origin
    notnull: bool = False
    default: str | None = None
    default_constant: bool = True
    generated: str | None = None
    stored: bool = False
    collation: str | None = None
    primary: bool = False


@dataclass
class AutoIndex:
    """An autoindex SQLite creates for a PRIMARY KEY or UNIQUE constraint."""

    name: str
    kind: str  # "pk" | "u"
    columns: tuple[str, ...]
    key: tuple[tuple[str, str], ...]  # (folded column, folded collation)
    origin: Origin


@dataclass
class TableBuilder:
    """A table while its CREATE TABLE (or ADD COLUMN) is being read.

    `semantic` is false when the statement will not create anything (IF NOT EXISTS on
    an existing table): SQLite then checks only the syntax.
    """

    name: str
    origin: Origin
    semantic: bool = True
    columns: list[ColumnDef] = field(default_factory=list)
    has_pk: bool = False
    pk_columns: tuple[str, ...] = ()
    pk_origin: Origin | None = None
    ipk: str | None = None  # the rowid alias column
    autoinc: bool = False
    autos: list[AutoIndex] = field(default_factory=list)
    fks: list[tuple[ForeignKey, str | None]] = field(default_factory=list)
    checks: list[tuple[Check, str | None, list[Tok]]] = field(default_factory=list)
    generated: list[tuple[str, list[Tok]]] = field(default_factory=list)

    def fail(self, message: str) -> None:
        if self.semantic:
            raise Refused(message)

    def column(self, name: str) -> ColumnDef | None:
        return next((c for c in self.columns if fold(c.name) == fold(name)), None)

    def autoindex(
        self, columns: list[tuple[ColumnDef, str | None]], kind: str, origin: Origin
    ) -> None:
        """Create an autoindex unless an equivalent one exists (``sqlite3CreateIndex``).

        Two constraints on the same columns in the same order with the same collations
        share one index; a PRIMARY KEY turns an equivalent UNIQUE index into its own.
        """
        key = tuple((fold(c.name), fold(coll or c.collation or "BINARY")) for c, coll in columns)
        for auto in self.autos:
            if auto.key == key:
                if kind == "pk":
                    auto.kind = "pk"
                return
        name = f"sqlite_autoindex_{self.name}_{len(self.autos) + 1}"
        self.autos.append(AutoIndex(name, kind, tuple(c.name for c, _ in columns), key, origin))


def finish_table(b: TableBuilder, facts: TableFacts) -> MutTable:
    """``sqlite3EndTable``: the checks made once every column is known, then the table."""
    names = {fold(c.name) for c in b.columns}
    if facts.strict:
        for col in b.columns:
            if not col.declared:
                b.fail(f"missing datatype for {b.name}.{col.name}")
            elif not is_std_type(col.declared):
                b.fail(f'unknown datatype for {b.name}.{col.name}: "{col.declared}"')
    if facts.without_rowid:
        if b.autoinc:
            b.fail("AUTOINCREMENT not allowed on WITHOUT ROWID tables")
        if not b.has_pk:
            b.fail(f"PRIMARY KEY missing on table {b.name}")
        if b.ipk is not None:
            # convertToWithoutRowidTable makes the rowid alias a real index, last.
            col = b.column(b.ipk)
            assert col is not None
            b.autoindex([(col, None)], "pk", b.pk_origin or b.origin)
            b.ipk = None
    for _, _, tokens in b.checks:
        known_columns(tokens, names, b)
    for _, tokens in b.generated:
        known_columns(tokens, names, b)
    return _mut_table(b, facts)


def known_columns(tokens: list[Tok], names: set[str], b: TableBuilder) -> None:
    """A CHECK or generated expression may name only the table's own columns."""
    for name, _ in column_refs(tokens, strict=True):
        if fold(name) not in names:
            b.fail(f"no such column: {name}")


def _mut_table(b: TableBuilder, facts: TableFacts) -> MutTable:
    table = MutTable(b.name, None, b.origin)
    pk_cols = {fold(c) for c in b.pk_columns} if facts.without_rowid else set()
    for col in b.columns:
        table.columns[col.name] = build_column(col, b, pk_cols)
    pk_index = next((a for a in b.autos if a.kind == "pk"), None)
    if b.pk_columns:
        table.primary_key = PrimaryKey(
            pk_index.name if pk_index else None, b.pk_columns, b.pk_origin
        )
    table.uniques = [Unique(a.name, a.columns, a.origin) for a in b.autos if a.kind == "u"]
    table.foreign_keys = [fk for fk, _ in b.fks]
    facts.fk_owner = [fold(o) if o else None for _, o in b.fks]
    table.checks = [c for c, _, _ in b.checks]
    facts.check_owner = [fold(o) if o else None for _, o, _ in b.checks]
    return table


def build_column(col: ColumnDef, b: TableBuilder, pk_cols: set[str]) -> Column:
    """The `Column` SQLite reports for a definition; WITHOUT ROWID key columns are NOT NULL."""
    return Column(
        name=col.name,
        type=declared_type(col.declared),
        nullable=not (col.notnull or fold(col.name) in pk_cols),
        default=col.default,
        identity="autoincrement" if b.autoinc and b.ipk == col.name else None,
        generated=col.generated,
        origin=col.origin,
    )
