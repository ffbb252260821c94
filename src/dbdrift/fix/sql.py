"""Fixes as SQL statements for migration streams and schema snapshots, per dialect.

Tables and column clauses are spelled by the same renderer as ``dbdrift schema --format
sql`` (report/schema_sql.py), so a fix creates exactly the column a scan compares; only the
ALTER around them is written here.  Identifiers are quoted only when the dialect needs it.
Syntax: https://www.postgresql.org/docs/current/sql-altertable.html,
https://mariadb.com/kb/en/alter-table/, https://www.sqlite.org/lang_altertable.html.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from dbdrift.findings import Edit
from dbdrift.schema import Column, Table

_BARE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

# Words MySQL reserves beyond what the other dialects reserve
# (https://dev.mysql.com/doc/refman/8.0/en/keywords.html, the ones marked (R)).
_MYSQL_RESERVED = frozenset(
    """ACCESSIBLE ADD ALL ALTER ANALYZE AND AS ASC BEFORE BETWEEN BIGINT BINARY BLOB BOTH BY
    CALL CASCADE CASE CHANGE CHAR CHARACTER CHECK COLLATE COLUMN CONDITION CONSTRAINT
    CONTINUE CONVERT CREATE CROSS CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER
    CURSOR DATABASE DATABASES DEC DECIMAL DECLARE DEFAULT DELAYED DELETE DESC DESCRIBE
    DISTINCT DIV DOUBLE DROP DUAL EACH ELSE ELSEIF ENCLOSED ESCAPED EXISTS EXIT EXPLAIN FALSE
    FETCH FLOAT FOR FORCE FOREIGN FROM FULLTEXT FUNCTION GENERATED GET GRANT GROUP GROUPS
    HAVING IF IGNORE IN INDEX INFILE INNER INOUT INSERT INT INTEGER INTERVAL INTO IS ITERATE
    JOIN KEY KEYS KILL LEADING LEAVE LEFT LIKE LIMIT LINES LOAD LOCALTIME LOCALTIMESTAMP LOCK
    LONG LOOP MATCH MOD MODIFIES NATURAL NOT NULL NUMERIC ON OPTION OR ORDER OUT OUTER OUTFILE
    OVER PARTITION PRECISION PRIMARY PROCEDURE RANGE RANK READ REAL RECURSIVE REFERENCES
    REGEXP RELEASE RENAME REPEAT REPLACE REQUIRE RESTRICT RETURN REVOKE RIGHT RLIKE ROW ROWS
    SCHEMA SCHEMAS SELECT SET SHOW SIGNAL SMALLINT SPATIAL SQL STARTING STORED TABLE
    TERMINATED THEN TO TRAILING TRIGGER TRUE UNION UNIQUE UNLOCK UNSIGNED UPDATE USAGE USE
    USING VALUES VARCHAR VARYING VIRTUAL WHEN WHERE WHILE WINDOW WITH WRITE XOR ZEROFILL""".split()  # noqa: SIM905
)


def _postgres_quote(name: str) -> str:
    from dbdrift.types.postgres import quote_ident

    return quote_ident(name)


def _mysql_quote(name: str) -> str:
    if _BARE.match(name) and name.upper() not in _MYSQL_RESERVED:
        return name
    return "`" + name.replace("`", "``") + "`"


def _sqlite_quote(name: str) -> str:
    from dbdrift.readers.sql.sqlite.common import RESERVED

    if _BARE.match(name) and name.upper() not in RESERVED:
        return name
    return '"' + name.replace('"', '""') + '"'


QUOTES: dict[str, Callable[[str], str]] = {
    "postgresql": _postgres_quote,
    "mysql": _mysql_quote,
    "mariadb": _mysql_quote,
    "sqlite": _sqlite_quote,
}


def _dialect(edit: Edit) -> str:
    return "mysql" if edit.dialect == "mariadb" else edit.dialect


def write(edit: Edit) -> tuple[str, str]:
    """The statements (or, where SQL cannot say it, the comment) that carry out `edit`."""
    dialect = _dialect(edit)
    quote = QUOTES.get(dialect, _postgres_quote)
    w = _Sql(edit, dialect, quote)
    branch = getattr(w, edit.action.replace("-", "_"), None)
    if branch is None:
        from dbdrift.fix import describe

        return "sql", f"-- {describe(edit)}"
    return "sql", branch()


class _Sql:
    def __init__(self, edit: Edit, dialect: str, quote: Callable[[str], str]) -> None:
        self.edit = edit
        self.dialect = dialect
        self.q = quote
        self.table = edit.table

    # names -------------------------------------------------------------------

    def name(self, table: Table, name: str | None = None) -> str:
        bare = self.q(name or table.name)
        if self.dialect == "postgresql" and table.schema not in (None, "public"):
            return f"{self.q(table.schema)}.{bare}"
        return bare

    @property
    def column(self) -> Column:
        if self.edit.column is None:
            raise ValueError(f"{self.edit.action} needs a column")
        return self.edit.column

    def definition(self, column: Column) -> str:
        from dbdrift.report.schema_sql import column_definition

        return column_definition(self.table, column, self.dialect, self.q)

    def alter(self, *actions: str) -> str:
        return f"ALTER TABLE {self.name(self.table)} " + ",\n    ".join(actions) + ";"

    # tables ------------------------------------------------------------------

    def add_table(self) -> str:
        from dbdrift.report.schema_sql import table_statements

        return "\n\n".join(s + ";" for s in table_statements(self.table, self.dialect, self.q))

    def drop_table(self) -> str:
        return f"DROP TABLE {self.name(self.table)};"

    def map_table(self) -> str:
        old = self.edit.old or self.table.name
        return f"ALTER TABLE {self.name(self.table, old)} RENAME TO {self.q(self.table.name)};"

    def regenerate(self) -> str:
        stream = self.edit.old or self.edit.note or "<stream>"
        path = self.edit.source
        return (
            f"-- {path} is generated from {stream}: regenerate it with\n"
            f"-- dbdrift schema . --source {stream} --format sql > {path}"
        )

    def edit_source(self) -> str:
        from dbdrift.fix import describe

        return f"-- {describe(self.edit)}"

    # columns -----------------------------------------------------------------

    def add_column(self) -> str:
        text = self.alter(f"ADD COLUMN {self.definition(self.column)}")
        c = self.column
        if self.dialect == "sqlite" and not c.nullable and c.default is None:
            text = "-- SQLite adds a NOT NULL column only with a default.\n" + text
        return text

    def drop_column(self) -> str:
        name = self.edit.column.name if self.edit.column is not None else self.edit.old
        return self.alter(f"DROP COLUMN {self.q(name or '')}")

    def map_column(self) -> str:
        old = self.edit.old or self.column.name
        return self.alter(f"RENAME COLUMN {self.q(old)} TO {self.q(self.column.name)}")

    def alter_column(self) -> str:
        target = self.column
        if self.dialect == "mysql":
            return self.alter(f"MODIFY COLUMN {self.definition(target)}")
        if self.dialect == "sqlite":
            return (
                f"-- SQLite cannot alter a column: rebuild {self.table.name} with\n"
                f"--   {self.definition(target)}\n"
                f"-- (create the new table, copy the rows, drop the old one, rename the new one)."
            )
        return self.alter(*self._postgres_changes(target))

    def _postgres_changes(self, target: Column) -> list[str]:
        """Only what differs from the column as the edited source has it; everything when
        the edit does not carry that column."""
        current = self.edit.table.column(self.edit.old or target.name)
        if current is None or _same(current, target):
            current = None
        c = f"ALTER COLUMN {self.q(target.name)}"
        changes: list[str] = []
        type_changes = current is None or current.type.sql != target.type.sql
        if type_changes:
            if current is not None and current.default is not None:
                changes.append(f"{c} DROP DEFAULT")
            clause = f"{c} TYPE {target.type.sql}"
            if current is not None and current.type.family != target.type.family:
                clause += f" USING {self.q(target.name)}::{target.type.sql}"
            changes.append(clause)
        if current is None or current.nullable != target.nullable:
            changes.append(f"{c} {'DROP' if target.nullable else 'SET'} NOT NULL")
        dropped = type_changes and current is not None and current.default is not None
        if current is None or current.default != target.default or dropped:
            if target.default is not None:
                changes.append(f"{c} SET DEFAULT {target.default}")
            elif not dropped:
                changes.append(f"{c} DROP DEFAULT")
        return changes

    # foreign keys ------------------------------------------------------------

    def add_foreign_key(self) -> str:
        from dbdrift.report.schema_sql import foreign_key_clause

        fk = self.edit.foreign_key
        if fk is None:
            raise ValueError("add-foreign-key needs a foreign key")
        clause = foreign_key_clause(self.table, fk, self.dialect, self.q)
        if self.dialect == "sqlite":
            return (
                f"-- SQLite cannot add a foreign key: rebuild {self.table.name} with\n--   {clause}"
            )
        return self.alter(f"ADD {clause}")

    def drop_foreign_key(self) -> str:
        fk = self.edit.foreign_key
        if fk is None:
            raise ValueError("drop-foreign-key needs a foreign key")
        if self.dialect == "sqlite":
            return f"-- SQLite cannot drop a foreign key: rebuild {self.table.name} without it."
        if fk.name is None:
            cols = ", ".join(fk.columns)
            return f"-- Drop the foreign key ({cols}) of {self.table.name}: look up its name."
        verb = "DROP FOREIGN KEY" if self.dialect == "mysql" else "DROP CONSTRAINT"
        return self.alter(f"{verb} {self.q(fk.name)}")


def _same(a: Column, b: Column) -> bool:
    return (a.type.sql, a.nullable, a.default) == (b.type.sql, b.nullable, b.default)
