"""The SQLite replay: statements applied, one at a time, the way SQLite itself would.

Why the DDL is read by a small parser over sqlglot's tokens rather than by sqlglot's
SQLite parser: SQLite reports a column's declared type and default *as written* (the
exact source text), names autoindexes by the order constraints appear in, and accepts
DDL that sqlglot 30 rejects or misreads (``WITHOUT ROWID``, ``ON CONFLICT`` clauses,
``PRIMARY KEY (a DESC)``, ``unsigned big int``, ``MATCH FULL``).  So each file is split
into statements with sqlglot's tokenizer (following SQLite's ``complete.c``, which keeps a
``CREATE TRIGGER ... BEGIN ...; END;`` whole), DDL is parsed by the grammar of SQLite's
``parse.y`` over those tokens, and sqlglot (``read="sqlite"``) parses everything else:
expressions, views, data statements.  A statement SQLite would refuse becomes an `Error`
at its first line and the replay goes on; SQLite undoes a failed statement as a whole,
so every handler checks before it changes anything.

This module holds the replay's state and its dispatch (files, statements, name
resolution, PRAGMA, transactions); `Replay` gathers the statement handlers from the
package's other modules, one mixin each:

- statements.py cuts a file into statements, parser.py is the grammar's cursor and
  terminals, syntax.py asks sqlglot and guards against what it forgives;
- tables.py (CREATE TABLE), columns.py (column definitions), builder.py (the table
  being built), objects.py (indexes, views, triggers, virtual tables, DROP), alter.py
  (ALTER TABLE), dependents.py (what views and triggers use), data.py (INSERT, ...);
- state.py and common.py hold what they share.

Decisions worth knowing when reading the result:

- Table and index names are matched without regard to ASCII case, as SQLite does; a
  table's `schema` is ``None`` (SQLite's ``main``); ``TEMP`` objects are tracked so that
  later statements resolve, but are not part of the schema.
- A primary key that is an alias of the rowid (``INTEGER PRIMARY KEY``) has no index
  and its `PrimaryKey.name` is ``None``; any other primary key is named after the
  autoindex SQLite creates for it (``sqlite_autoindex_<table>_<n>``), which is the only
  name SQLite ever reports for it.  UNIQUE constraints are `Unique`s named likewise;
  ``CONSTRAINT x`` names are dropped, as SQLite drops them.
- A foreign key written ``REFERENCES parent`` without columns has empty `ref_columns`:
  it refers to the parent's primary key, resolved by SQLite only when it is enforced.
- ``AUTOINCREMENT`` gives ``Column.identity == "autoincrement"``; a plain rowid alias has
  no identity.  Check names follow SQLite's rule: a ``CONSTRAINT x`` applies to every
  CHECK after it up to the next comma.
- Views and triggers become notes, but the tables and columns they use are remembered:
  SQLite re-checks every one of them on RENAME and DROP COLUMN and refuses the ALTER if
  one no longer resolves (the classic failure of a table rebuild under a view).
- Data statements (INSERT, UPDATE, ...) become notes after the checks SQLite makes when
  it prepares them (tables, columns, VALUES width).  What they do to rows is not
  modelled beyond whether a table holds rows, which decides whether SQLite accepts an
  ``ADD COLUMN ... NOT NULL`` without a default; a constraint a row violates at run time
  (UNIQUE, NOT NULL, a foreign key) is not predicted.
- sqlglot is more forgiving than SQLite's grammar; `syntax.plausible` and friends refuse the
  forgiven patterns met in practice (stray commas, reserved words taken for names, a
  JOIN without FROM), not every one.
"""

from __future__ import annotations

from typing import Any

from dbdrift.readers.sql.catalog import Catalog, MutTable
from dbdrift.readers.sql.sqlite.alter import AlterStatements
from dbdrift.readers.sql.sqlite.columns import ColumnGrammar
from dbdrift.readers.sql.sqlite.common import NOTED, RESERVED, Refused, fold
from dbdrift.readers.sql.sqlite.data import DataStatements
from dbdrift.readers.sql.sqlite.dependents import DependentChecks
from dbdrift.readers.sql.sqlite.objects import ObjectStatements
from dbdrift.readers.sql.sqlite.parser import Parser
from dbdrift.readers.sql.sqlite.state import State, copy_table
from dbdrift.readers.sql.sqlite.statements import Statement, Tok, split
from dbdrift.readers.sql.sqlite.syntax import balanced
from dbdrift.readers.sql.sqlite.tables import TableStatements
from dbdrift.readers.sql.text import LineIndex
from dbdrift.schema import Origin
from dbdrift.types.sqlite import dequote

_TRUTHY = {"1", "ON", "TRUE", "YES"}


class Replay(
    TableStatements,
    ColumnGrammar,
    ObjectStatements,
    AlterStatements,
    DependentChecks,
    DataStatements,
):
    """Replays SQLite files into a `Catalog`, one statement at a time."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.state = State()
        self.path = ""
        self.text = ""
        self.lines = LineIndex("")
        # Open transaction and savepoints, innermost last: (savepoint name, snapshot).
        self._tx: list[tuple[str | None, tuple[Any, ...]]] = []
        # Connection settings (PRAGMA), which a ROLLBACK does not undo.
        self.foreign_keys = False
        self.legacy_alter_table = False

    def file(self, path: str, text: str) -> None:
        """Replay one file; a statement SQLite refuses costs only that statement."""
        self.path = path
        self.text = text
        self.lines = LineIndex(text)
        for statement in split(text, self.lines):
            self._run(statement)

    def origin_of(self, tok: Tok) -> Origin:
        """Where a token is: a constraint's origin is its own line, not the statement's."""
        return Origin(self.path, self.lines.line(tok.start))

    def _run(self, st: Statement) -> None:
        origin = Origin(self.path, st.line)
        if st.problem is not None:
            self.catalog.error(st.problem, origin)
            return
        p = Parser(st.tokens, self.text)
        first = st.tokens[0].word
        try:
            balanced(st.tokens)
            if first == "CREATE":
                self._create(p, origin)
            elif first == "ALTER":
                self.alter_table(p, origin)
            elif first == "DROP":
                self.drop(p, origin)
            elif first == "PRAGMA":
                self._pragma(p, origin)
            elif first in ("BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"):
                self._transaction(p)
            elif first in NOTED:
                self.data_statement(p, first, origin)
            else:
                self._other(p, origin)
        except Refused as exc:
            self.catalog.error(str(exc), origin)

    # Names -------------------------------------------------------------------------

    def find_table(self, name: str) -> MutTable | None:
        """The table `name` in main, matched as SQLite matches names, or ``None``."""
        return self.state.tables.get(fold(name))

    def taken_by_table(self, name: str) -> str | None:
        """What a table-like object called `name` in main is: table, view or virtual."""
        key = fold(name)
        if key in self.state.tables:
            return "table"
        if key in self.state.views:
            return "view"
        if key in self.state.virtual:
            return "table"
        return None

    def autoindexes(self) -> dict[str, str]:
        """Folded names of every autoindex in main (named PRIMARY KEY and UNIQUE) -> table."""
        names: dict[str, str] = {}
        for key, table in self.state.tables.items():
            if table.primary_key and table.primary_key.name:
                names[fold(table.primary_key.name)] = key
            for u in table.uniques:
                if u.name:
                    names[fold(u.name)] = key
        return names

    def index_exists(self, name: str) -> bool:
        """Whether an index called `name` exists in main, autoindexes included."""
        return fold(name) in self.state.indexes or fold(name) in self.autoindexes()

    @staticmethod
    def check_object_name(name: str) -> None:
        """``sqlite3CheckObjectName``: names starting ``sqlite_`` are SQLite's own."""
        if fold(name).startswith("sqlite_"):
            raise Refused(f"object name reserved for internal use: {name}")

    @staticmethod
    def database(schema: str | None) -> str | None:
        """``main`` or ``temp`` for a qualifier; anything else is not attached."""
        if schema is None:
            return None
        if fold(schema) in ("main", "temp"):
            return fold(schema)
        raise Refused(f"unknown database {schema}")

    def resolve(self, schema: str | None, name: str) -> str | None:
        """Where a table name resolves: ``temp`` first, then ``main`` (or ``None``)."""
        db = self.database(schema)
        if db != "main" and fold(name) in self.state.temp:
            return "temp"
        if db != "temp" and (
            fold(name) in self.state.tables
            or fold(name) in self.state.views
            or fold(name) in self.state.virtual
        ):
            return "main"
        return None

    # CREATE --------------------------------------------------------------------------

    def _create(self, p: Parser, origin: Origin) -> None:
        p.expect("CREATE")
        temp = p.take("TEMP", "TEMPORARY") is not None
        if p.take("TABLE"):
            self.create_table(p, origin, temp)
        elif p.take("VIEW"):
            self.create_view(p, origin, temp)
        elif p.take("TRIGGER"):
            self.create_trigger(p, origin, temp)
        elif not temp and p.at("UNIQUE", "INDEX"):
            self.create_index(p, origin)
        elif not temp and p.take("VIRTUAL"):
            self.create_virtual(p, origin)
        else:
            raise p.error()

    def creation_target(self, p: Parser, temp: bool, kind: str) -> tuple[bool, bool, str]:
        """Read ``[IF NOT EXISTS] [db.]name``: (temp, if-not-exists, name)."""
        ine = p.if_not_exists()
        schema, name = p.qualified()
        db = self.database(schema)
        if temp and db == "main":
            raise Refused(f"temporary {kind} name must be unqualified")
        return temp or db == "temp", ine, name

    # PRAGMA, transactions, the rest --------------------------------------------------

    def _pragma(self, p: Parser, origin: Origin) -> None:
        p.expect("PRAGMA")
        _, name = p.qualified()
        value: Tok | None = None
        if p.take_op("="):
            if not p.take_op("-"):
                p.take_op("+")
            value = p.peek()
            # nmnum in parse.y: a number, a name, ON, DELETE or DEFAULT
            if value is None or (
                value.word in RESERVED and value.word not in ("ON", "DELETE", "DEFAULT")
            ):
                raise p.error()
            p.i += 1
        elif p.at_op("("):
            opened, closed = p.group()
            value = p.toks[opened + 1] if closed > opened + 1 else None
        p.end()
        setting = fold(name)
        if value is not None and setting in ("foreign_keys", "legacy_alter_table"):
            on = dequote(value.raw).upper() in _TRUTHY
            if setting == "legacy_alter_table":
                self.legacy_alter_table = on
            elif not self._tx:  # a no-op inside a transaction
                self.foreign_keys = on
        self.catalog.note("pragma", f"PRAGMA {name}", origin)

    def _transaction(self, p: Parser) -> None:
        """BEGIN / COMMIT / ROLLBACK / SAVEPOINT / RELEASE, with ROLLBACK undoing changes."""
        word = p.take("BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE")
        if word == "BEGIN":
            p.take("DEFERRED", "IMMEDIATE", "EXCLUSIVE")
            if p.take("TRANSACTION") and not p.done():
                p.name()
            p.end()
            if self._tx:
                raise Refused("cannot start a transaction within a transaction")
            self._tx.append((None, self._snapshot()))
        elif word in ("COMMIT", "END"):
            if p.take("TRANSACTION") and not p.done():
                p.name()
            p.end()
            if not self._tx:
                raise Refused("cannot commit - no transaction is active")
            self._tx.clear()
        elif word == "SAVEPOINT":
            name = p.name()
            p.end()
            self._tx.append((fold(name), self._snapshot()))
        else:
            self._rollback_or_release(p, word)

    def _rollback_or_release(self, p: Parser, word: str | None) -> None:
        to = None
        if word == "ROLLBACK":
            if p.take("TRANSACTION") and not p.done() and not p.at("TO"):
                p.name()
            if p.take("TO"):
                p.take("SAVEPOINT")
                to = p.name()
            p.end()
            if to is None:
                if not self._tx:
                    raise Refused("cannot rollback - no transaction is active")
                self._restore(self._tx[0][1])
                self._tx.clear()
                return
        else:
            p.take("SAVEPOINT")
            to = p.name()
            p.end()
        depth = next(
            (k for k in range(len(self._tx) - 1, -1, -1) if self._tx[k][0] == fold(to)), None
        )
        if depth is None:
            raise Refused(f"no such savepoint: {to}")
        if word == "ROLLBACK":
            self._restore(self._tx[depth][1])
            self._tx[depth] = (self._tx[depth][0], self._snapshot())
            del self._tx[depth + 1 :]
        else:
            del self._tx[depth:]

    def _snapshot(self) -> tuple[Any, ...]:
        """A copy of everything a ROLLBACK restores.  The schema objects are frozen, so
        only the containers holding them are copied (a deep copy per BEGIN is too slow
        for streams that wrap every file in a transaction)."""
        tables = {key: copy_table(t) for key, t in self.catalog.tables.items()}
        return tables, self.state.copy(tables)

    def _restore(self, snapshot: tuple[Any, ...]) -> None:
        """Put a snapshot back; it is not used again (ROLLBACK TO takes a new one)."""
        self.catalog.tables, self.state = snapshot

    def _other(self, p: Parser, origin: Origin) -> None:
        """No SQLite statement starts this way (``sqlite3RunParser`` stops at once)."""
        raise p.error()
