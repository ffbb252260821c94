"""What every module of the SQLite replay shares: SQLite's keyword tables, how it
compares names, and `Refused`, the one way a handler says "SQLite would not do this"."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dbdrift.readers.sql.catalog import MutTable


# Every SQLite keyword (https://www.sqlite.org/lang_keywords.html).
# fmt: off
KEYWORDS = frozenset(
    {
        "ABORT", "ACTION", "ADD", "AFTER", "ALL", "ALTER", "ALWAYS", "ANALYZE", "AND", "AS",
        "ASC", "ATTACH", "AUTOINCREMENT", "BEFORE", "BEGIN", "BETWEEN", "BY", "CASCADE", "CASE",
        "CAST", "CHECK", "COLLATE", "COLUMN", "COMMIT", "CONFLICT", "CONSTRAINT", "CREATE",
        "CROSS", "CURRENT", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "DATABASE",
        "DEFAULT", "DEFERRABLE", "DEFERRED", "DELETE", "DESC", "DETACH", "DISTINCT", "DO",
        "DROP", "EACH", "ELSE", "END", "ESCAPE", "EXCEPT", "EXCLUDE", "EXCLUSIVE", "EXISTS",
        "EXPLAIN", "FAIL", "FILTER", "FIRST", "FOLLOWING", "FOR", "FOREIGN", "FROM", "FULL",
        "GENERATED", "GLOB", "GROUP", "GROUPS", "HAVING", "IF", "IGNORE", "IMMEDIATE", "IN",
        "INDEX", "INDEXED", "INITIALLY", "INNER", "INSERT", "INSTEAD", "INTERSECT", "INTO",
        "IS", "ISNULL", "JOIN", "KEY", "LAST", "LEFT", "LIKE", "LIMIT", "MATCH", "MATERIALIZED",
        "NATURAL", "NO", "NOT", "NOTHING", "NOTNULL", "NULL", "NULLS", "OF", "OFFSET", "ON",
        "OR", "ORDER", "OTHERS", "OUTER", "OVER", "PARTITION", "PLAN", "PRAGMA", "PRECEDING",
        "PRIMARY", "QUERY", "RAISE", "RANGE", "RECURSIVE", "REFERENCES", "REGEXP", "REINDEX",
        "RELEASE", "RENAME", "REPLACE", "RESTRICT", "RETURNING", "RIGHT", "ROLLBACK", "ROW",
        "ROWS", "SAVEPOINT", "SELECT", "SET", "TABLE", "TEMP", "TEMPORARY", "THEN", "TIES",
        "TO", "TRANSACTION", "TRIGGER", "UNBOUNDED", "UNION", "UNIQUE", "UPDATE", "USING",
        "VACUUM", "VALUES", "VIEW", "VIRTUAL", "WHEN", "WHERE", "WINDOW", "WITH", "WITHOUT",
    }
)

# Keywords the grammar accepts where a name is expected (``%fallback ID`` in parse.y,
# with LIKE_KW = LIKE GLOB REGEXP and CTIME_KW = CURRENT_*), plus INDEXED (class id).
FALLBACK = frozenset(
    {
        "ABORT", "ACTION", "AFTER", "ANALYZE", "ASC", "ATTACH", "BEFORE", "BEGIN", "BY",
        "CASCADE", "CAST", "COLUMN", "CONFLICT", "DATABASE", "DEFERRED", "DESC", "DETACH", "DO",
        "EACH", "END", "EXCLUSIVE", "EXPLAIN", "FAIL", "FOR", "IGNORE", "IMMEDIATE",
        "INITIALLY", "INSTEAD", "LIKE", "GLOB", "REGEXP", "MATCH", "NO", "PLAN", "QUERY", "KEY",
        "OF", "OFFSET", "PRAGMA", "RAISE", "RECURSIVE", "RELEASE", "REPLACE", "RESTRICT", "ROW",
        "ROWS", "ROLLBACK", "SAVEPOINT", "TEMP", "TEMPORARY", "TRIGGER", "VACUUM", "VIEW",
        "VIRTUAL", "WITH", "WITHOUT", "NULLS", "FIRST", "LAST", "CURRENT", "FOLLOWING",
        "PARTITION", "PRECEDING", "RANGE", "UNBOUNDED", "EXCLUDE", "GROUPS", "OTHERS", "TIES",
        "GENERATED", "ALWAYS", "MATERIALIZED", "REINDEX", "RENAME", "CURRENT_DATE",
        "CURRENT_TIME", "CURRENT_TIMESTAMP", "IF", "INDEXED",
    }
)

# fmt: on

# JOIN_KW: not a fallback, but allowed as a name (``nm ::= id | STRING | JOIN_KW``).
JOIN_KW = frozenset(["CROSS", "FULL", "INNER", "LEFT", "NATURAL", "OUTER", "RIGHT"])
RESERVED = KEYWORDS - FALLBACK


# Statements the replay reads but does not model, by leading keyword -> note kind.
NOTED = {
    "SELECT": "data",
    "VALUES": "data",
    "WITH": "data",
    "INSERT": "data",
    "REPLACE": "data",
    "UPDATE": "data",
    "DELETE": "data",
    "VACUUM": "maintenance",
    "ANALYZE": "maintenance",
    "REINDEX": "maintenance",
    "ATTACH": "other",
    "DETACH": "other",
    "EXPLAIN": "other",
}


def fold(name: str) -> str:
    """SQLite compares names ignoring ASCII case only (``sqlite3StrICmp``)."""
    return name.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class Refused(Exception):
    """What SQLite would refuse; the statement is abandoned and the replay goes on."""


def has_column(table: MutTable, name: str) -> bool:
    """Whether `table` has a column `name`, matched as SQLite matches names."""
    return any(fold(c) == fold(name) for c in table.columns)
