"""The replay's state beyond the catalog: what SQLite keeps about each table that the
frozen schema does not carry, and the indexes, views, triggers and TEMP objects that
later statements resolve against.  `State.copy` is what a BEGIN saves for a ROLLBACK."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from dbdrift.readers.sql.catalog import MutTable
from dbdrift.readers.sql.sqlite.common import fold

if TYPE_CHECKING:
    from dbdrift.readers.sql.sqlite.dependents import Uses


@dataclass
class TableFacts:
    """What a replay must remember about a table beyond `MutTable`.

    `check_owner` and `fk_owner` run parallel to the table's checks and foreign keys:
    the folded name of the column whose definition holds the constraint (it goes when
    that column is dropped), or ``None`` for a table constraint.
    """

    without_rowid: bool = False
    strict: bool = False
    has_rows: bool = False
    check_owner: list[str | None] = field(default_factory=list)
    fk_owner: list[str | None] = field(default_factory=list)


@dataclass
class State:
    """Everything in SQLite's schema besides the modelled tables."""

    tables: dict[str, MutTable] = field(default_factory=dict)  # folded name -> table
    facts: dict[str, TableFacts] = field(default_factory=dict)
    indexes: dict[str, str] = field(default_factory=dict)  # folded index -> folded table
    views: dict[str, Uses] = field(default_factory=dict)  # folded view -> what it reads
    view_names: dict[str, str] = field(default_factory=dict)
    virtual: dict[str, str] = field(default_factory=dict)
    triggers: dict[str, tuple[str, Uses]] = field(default_factory=dict)  # -> (table, uses)
    temp: dict[str, MutTable | None] = field(default_factory=dict)  # TEMP tables and views
    temp_indexes: dict[str, str] = field(default_factory=dict)  # -> folded temp table
    temp_triggers: dict[str, str] = field(default_factory=dict)

    def copy(self, tables: dict[tuple[str | None, str], MutTable]) -> State:
        """A copy whose tables are `tables` (the catalog's, already copied)."""
        by_key = {fold(name): t for (_, name), t in tables.items()}
        return replace(
            self,
            tables={key: by_key[key] for key in self.tables},
            facts={
                key: replace(f, check_owner=list(f.check_owner), fk_owner=list(f.fk_owner))
                for key, f in self.facts.items()
            },
            indexes=dict(self.indexes),
            views={key: u.copy() for key, u in self.views.items()},
            view_names=dict(self.view_names),
            virtual=dict(self.virtual),
            triggers={key: (owner, u.copy()) for key, (owner, u) in self.triggers.items()},
            temp={key: copy_table(t) if t else None for key, t in self.temp.items()},
            temp_indexes=dict(self.temp_indexes),
            temp_triggers=dict(self.temp_triggers),
        )


def copy_table(table: MutTable) -> MutTable:
    """A copy of `table` whose containers can change without touching the original."""
    return replace(
        table,
        columns=dict(table.columns),
        foreign_keys=list(table.foreign_keys),
        uniques=list(table.uniques),
        indexes=list(table.indexes),
        checks=list(table.checks),
    )
