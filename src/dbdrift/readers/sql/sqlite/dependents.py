"""What views and triggers depend on, and the check SQLite makes with it.

SQLite re-reads every view and trigger after ``ALTER TABLE ... RENAME`` and ``DROP
COLUMN`` and refuses the ALTER if one of them no longer resolves (the classic failure of
a table rebuild under a view), so the replay remembers the tables and columns each one
names and re-checks them at those moments.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dbdrift.readers.sql.sqlite.common import Refused, fold, has_column
from dbdrift.readers.sql.sqlite.statements import Tok
from dbdrift.types.sqlite import dequote

if TYPE_CHECKING:
    from dbdrift.readers.sql.sqlite.state import State


def table_refs(trees: list[Any]) -> set[str]:
    """Folded names of the tables a parsed statement reads or writes (CTEs excluded)."""
    from sqlglot import exp

    ctes = {fold(c.alias_or_name) for tree in trees for c in tree.find_all(exp.CTE)}
    names: set[str] = set()
    for tree in trees:
        for table in tree.find_all(exp.Table):
            if not isinstance(table.this, exp.Identifier):
                continue  # a table-valued function such as json_each(...)
            name = fold(table.name)
            if name and name not in ctes:
                names.add(name)
    return names


@dataclass
class Uses:
    """The tables and columns a view or trigger names.

    SQLite re-reads every view and trigger after RENAME and DROP COLUMN and refuses the
    ALTER if one of them no longer resolves, so a replay must remember what they use.
    A column is ``(folded table, folded column)``, with table ``None`` when unqualified
    (it then belongs to one of `tables`).
    """

    tables: set[str] = field(default_factory=set)
    columns: set[tuple[str | None, str]] = field(default_factory=set)
    closed: bool = True  # every source is a plain table: unqualified names must be theirs
    dangling: set[str] = field(default_factory=set)  # "q.c" whose q names no source

    def copy(self) -> Uses:
        return Uses(set(self.tables), set(self.columns), self.closed, set(self.dangling))

    def renamed_table(self, old: str, new: str) -> None:
        self.tables = {new if t == old else t for t in self.tables}
        self.columns = {(new if t == old else t, c) for t, c in self.columns}

    def renamed_column(self, table: str, old: str, new: str) -> None:
        unqualified = table in self.tables
        self.columns = {
            (t, new) if c == old and (t == table or (t is None and unqualified)) else (t, c)
            for t, c in self.columns
        }

    def uses_column(self, table: str, column: str) -> bool:
        return (table, column) in self.columns or (
            (None, column) in self.columns and table in self.tables
        )


def uses_of(trees: list[Any]) -> Uses:
    """The tables and columns parsed statements name, table aliases resolved."""
    from sqlglot import exp

    uses = Uses(tables=table_refs(trees))
    for tree in trees:
        aliases: dict[str, str] = {}
        for table in tree.find_all(exp.Table):
            if isinstance(table.this, exp.Identifier):
                aliases[fold(table.alias_or_name)] = fold(table.name)
                aliases.setdefault(fold(table.name), fold(table.name))
            else:
                uses.closed = False
        if next(tree.find_all(exp.CTE, exp.Subquery), None) is not None:
            uses.closed = False
        outputs = {fold(a.alias) for a in tree.find_all(exp.Alias)}
        for column in tree.find_all(exp.Column):
            if isinstance(column.this, exp.Star):
                continue
            qualifier = fold(column.table) if column.table else None
            if qualifier is None:
                if fold(column.name) not in outputs and not column.this.args.get("quoted"):
                    uses.columns.add((None, fold(column.name)))
            elif qualifier in aliases:
                uses.columns.add((aliases[qualifier], fold(column.name)))
            else:
                uses.dangling.add(f"{column.table}.{column.name}")
    return uses


def trigger_uses(commands: list[list[Any]], tokens: list[Tok], table: str) -> Uses:
    """What a trigger uses: the tables and columns of its commands, and ``NEW.x`` /
    ``OLD.x`` (read from the tokens) as columns of the trigger's own table."""
    own = fold(table)
    uses = Uses()
    for trees in commands:
        found = uses_of(trees)
        uses.tables |= found.tables
        uses.columns |= {(t, c) for t, c in found.columns if t not in ("new", "old")}
        uses.dangling |= {d for d in found.dangling if fold(d.split(".")[0]) not in ("new", "old")}
        uses.closed = uses.closed and found.closed
    for k, tok in enumerate(tokens[:-2]):
        if tok.word in ("NEW", "OLD") and tokens[k + 1].is_op("."):
            uses.columns.add((own, fold(dequote(tokens[k + 2].raw))))
    return uses


class DependentChecks:
    """The replay's view of its views and triggers (a mixin of `Replay`)."""

    state: State
    legacy_alter_table: bool

    def users(self) -> Iterator[tuple[str, Uses]]:
        """Every view and trigger, as SQLite names it in its messages, with what it uses."""
        for view, uses in self.state.views.items():
            yield f"view {self.state.view_names.get(view, view)}", uses
        for trigger, (_, uses) in self.state.triggers.items():
            yield f"trigger {trigger}", uses

    def schema_still_valid(self, dropped: tuple[str, str] | None = None) -> None:
        """After RENAME or DROP COLUMN SQLite re-reads every view and trigger; one that
        names a table that is gone (or the column being dropped) makes the ALTER fail.
        Not so under ``PRAGMA legacy_alter_table=ON``."""
        if self.legacy_alter_table:
            return
        known = set(self.state.tables) | set(self.state.views) | set(self.state.virtual)
        known |= {"sqlite_master", "sqlite_schema", "sqlite_sequence"}
        for who, uses in self.users():
            for ref in sorted(uses.tables - known):
                raise Refused(f"error in {who}: no such table: main.{ref}")
            if dropped is not None and uses.uses_column(*dropped):
                raise Refused(f"error in {who} after drop column: no such column: {dropped[1]}")
            self._columns_resolve(who, uses)

    def _columns_resolve(self, who: str, uses: Uses) -> None:
        """Every column a view or trigger names must still exist in the table it names."""
        tables = {t: self.state.tables.get(t) for t in uses.tables}
        for name in sorted(uses.dangling) if uses.closed else []:
            raise Refused(f"error in {who}: no such column: {name}")
        for table_name, column in sorted(uses.columns, key=lambda tc: (tc[0] or "", tc[1])):
            if table_name is not None:
                table = self.state.tables.get(table_name)
                if table is not None and not has_column(table, column):
                    raise Refused(f"error in {who}: no such column: {column}")
            elif (
                uses.closed
                and tables
                and all(tables.values())
                and not any(has_column(t, column) for t in tables.values() if t)
            ):
                raise Refused(f"error in {who}: no such column: {column}")
