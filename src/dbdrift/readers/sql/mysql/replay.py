"""The MySQL / MariaDB replay: SQL files applied statement by statement, as MariaDB would.

A file is first split into statements the way the ``mysql`` client splits it (sqlglot's
MySQL tokenizer finds strings and comments; the client's ``DELIMITER`` command is honoured),
then each statement is parsed on its own with sqlglot, so one bad statement becomes an
`Error` and the replay goes on.  The replay mirrors what MariaDB 10.11 does where the result
shows in ``information_schema``: implicit NOT NULL on key columns, the names it generates
for keys (``email``, ``email_2``), foreign keys (``orders_ibfk_1``) and checks
(``CONSTRAINT_1``), the index InnoDB adds behind a foreign key and drops again once another
index covers it, defaults as ``COLUMN_DEFAULT`` prints them, and the statements it refuses.

Errors carry the line the ``mysql`` client reports ("ERROR 1146 (42S02) at line 12"): the
first line of the statement, or of the earlier statement still being read when that line
began.  Session state (``SET FOREIGN_KEY_CHECKS``) lasts for one file, as with ``mysql < f``.

This module holds the replay's state and its dispatch (files, statements, SET); `Replay`
gathers the statement handlers from the package's other modules, one mixin each:

- statements.py splits a file and holds the sqlglot dialect; common.py what every module
  shares (`Refused`, parsing, names); model.py the tables as MariaDB knows them;
- tables.py (CREATE TABLE), columns.py (column definitions), defaults.py (DEFAULT as
  MariaDB stores it), elements.py (keys, foreign keys, checks as written), keys.py (their
  names, length limits and type rules), prepare.py (the checks on a finished definition);
- alter.py and alter_columns.py (ALTER TABLE), actions.py (reading its actions),
  indexes.py (CREATE / DROP INDEX), drop_rename.py (DROP / RENAME TABLE), triggers.py
  and data.py (what becomes a note after MariaDB's own checks).
"""

from __future__ import annotations

import logging
import re

from sqlglot.errors import SqlglotError

from dbdrift.readers.sql.catalog import Catalog
from dbdrift.readers.sql.mysql.alter import AlterTable
from dbdrift.readers.sql.mysql.alter_columns import ColumnChanges
from dbdrift.readers.sql.mysql.common import Refused, parse, syntax_message
from dbdrift.readers.sql.mysql.data import DataStatements
from dbdrift.readers.sql.mysql.drop_rename import DropAndRename
from dbdrift.readers.sql.mysql.indexes import IndexStatements
from dbdrift.readers.sql.mysql.model import MyTable
from dbdrift.readers.sql.mysql.prepare import DefinitionChecks
from dbdrift.readers.sql.mysql.statements import Statement, split
from dbdrift.readers.sql.mysql.tables import CreateTable
from dbdrift.readers.sql.mysql.triggers import TriggerStatements
from dbdrift.schema import Origin

log = logging.getLogger(__name__)


_FK_CHECKS = re.compile(
    r"(?<![\w@])(?:@@(?:session\.)?)?foreign_key_checks\s*:?=\s*(@?\w+)", re.IGNORECASE
)

_NOTE_KINDS = {
    "VIEW": "view",
    "TRIGGER": "trigger",
    "PROCEDURE": "procedure",
    "FUNCTION": "function",
    "EVENT": "event",
    "DATABASE": "database",
    "SCHEMA": "database",
    "USER": "privilege",
    "ROLE": "privilege",
    "SEQUENCE": "sequence",
    "SERVER": "other",
    "TABLESPACE": "other",
    "PACKAGE": "procedure",
}

_DATA = frozenset(
    {
        "INSERT",
        "REPLACE",
        "UPDATE",
        "DELETE",
        "SELECT",
        "WITH",
        "CALL",
        "DO",
        "LOAD",
        "HANDLER",
        "VALUES",
        "TABLE",
    }
)
_SESSION = frozenset(
    {
        "SET",
        "USE",
        "LOCK",
        "UNLOCK",
        "FLUSH",
        "RESET",
        "PURGE",
        "KILL",
        "SHOW",
        "DESCRIBE",
        "DESC",
        "EXPLAIN",
        "ANALYZE",
        "OPTIMIZE",
        "CHECK",
        "CHECKSUM",
        "REPAIR",
        "INSTALL",
        "UNINSTALL",
        "HELP",
        "BINLOG",
        "CACHE",
        "PREPARE",
        "EXECUTE",
        "DEALLOCATE",
        "SIGNAL",
        "RESIGNAL",
        "GET",
    }
)
_TRANSACTION = frozenset({"START", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "XA"})
_PRIVILEGE = frozenset({"GRANT", "REVOKE"})


class Replay(
    CreateTable,
    DefinitionChecks,
    AlterTable,
    ColumnChanges,
    IndexStatements,
    DropAndRename,
    TriggerStatements,
    DataStatements,
):
    """Replays MySQL/MariaDB SQL files onto a `Catalog`, statement by statement."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.tables: dict[str, MyTable] = {}
        self.triggers: dict[str, str] = {}  # trigger name (lower) -> table
        self.fk_checks = True
        self.path = ""

    def file(self, path: str, text: str) -> None:
        """Replay one file; each file runs in a fresh session, as ``mysql < file`` does."""
        self.path = path
        self.fk_checks = True
        for st in split(text):
            self._run(st)
        self._publish()

    def _run(self, st: Statement) -> None:
        origin = Origin(self.path, st.client_line)
        try:
            if st.unterminated:
                raise Refused(
                    "syntax error (MariaDB error 1064): unterminated string, identifier or comment"
                )
            self._dispatch(st, origin)
        except Refused as refused:
            self.catalog.error(str(refused), origin)
        except SqlglotError as error:
            self.catalog.error(syntax_message(error), origin)
        except Exception as bug:
            log.warning("Skipped statement at %s because of an internal error: %r", origin, bug)
            self.catalog.error(
                f"dbdrift could not replay this statement (internal error: {bug!r})", origin
            )

    def _publish(self) -> None:
        """Hand the current tables to the catalog, in the order they were created."""
        self.catalog.tables = {(None, t.name): t.mut() for t in self.tables.values()}

    def _dispatch(self, st: Statement, origin: Origin) -> None:
        words = [w for w in st.words if w]
        if not words:
            return
        head = words[0].split()[0]  # "LOCK TABLES" is one keyword token
        if head == "CREATE":
            obj = _created_object(st.words)
            if obj == "TABLE":
                if "TEMPORARY" in st.words[:4]:
                    self.catalog.note("temporary", "CREATE TEMPORARY TABLE is not modelled", origin)
                    return
                self.create_table(st, origin)
            elif obj == "INDEX":
                self.create_index(st, origin)
            elif obj == "TRIGGER":
                self.create_trigger(st, origin)
            else:
                kind = _NOTE_KINDS.get(obj or "", "other")
                self.catalog.note(kind, f"CREATE {obj or '?'} is not modelled", origin)
            return
        if head == "ALTER":
            if _word_after(words, ("ALTER", "ONLINE", "OFFLINE", "IGNORE")) == "TABLE":
                self.alter_table(st, origin)
            else:
                obj = _word_after(words, ("ALTER", "DEFINER", "ALGORITHM", "SQL", "SECURITY"))
                self.catalog.note(
                    _NOTE_KINDS.get(obj or "", "other"), f"ALTER {obj} is not modelled", origin
                )
            return
        if head == "DROP":
            obj = _word_after(words, ("DROP", "TEMPORARY"))
            if obj == "TABLE":
                self.drop_table(st, origin)
            elif obj == "INDEX":
                self.drop_index(st, origin)
            elif obj == "TRIGGER":
                self.drop_trigger(st, origin)
            else:
                self.catalog.note(
                    _NOTE_KINDS.get(obj or "", "other"), f"DROP {obj} is not modelled", origin
                )
            return
        if head == "RENAME" and len(words) > 1 and words[1] == "TABLE":
            self.rename_tables(st, origin)
            return
        if head == "TRUNCATE":
            self.data_statement(st, origin)
            return
        if head in _DATA:
            self.data_statement(st, origin)
            return
        if head == "SET":
            self._set(st, origin)
            return
        if head in _SESSION:
            self.catalog.note("session", f"{head} is not modelled", origin)
            return
        if head in _TRANSACTION:
            self.catalog.note("transaction", f"{head} is not modelled", origin)
            return
        if head in _PRIVILEGE:
            self.catalog.note("privilege", f"{head} is not modelled", origin)
            return
        parsed = parse(st.text)
        self.catalog.note("other", f"{type(parsed).__name__} statement is not modelled", origin)

    def _set(self, st: Statement, origin: Origin) -> None:
        for match in _FK_CHECKS.finditer(st.text):
            value = match.group(1).upper()
            if value in ("0", "OFF", "FALSE"):
                self.fk_checks = False
            elif value in ("1", "ON", "TRUE") or value.startswith("@"):
                self.fk_checks = True  # @OLD_FOREIGN_KEY_CHECKS: mysqldump's restore
        self.catalog.note("session", "SET is not modelled", origin)


def _created_object(words: tuple[str, ...]) -> str | None:
    for w in words[1:]:
        if w in ("TABLE", "INDEX", *_NOTE_KINDS):
            return w
        if w in ("UNIQUE", "FULLTEXT", "SPATIAL"):
            return "INDEX"
    return None


def _word_after(words: list[str], skip: tuple[str, ...]) -> str | None:
    for w in words:
        if w not in skip and "=" not in w:
            return w
    return None
