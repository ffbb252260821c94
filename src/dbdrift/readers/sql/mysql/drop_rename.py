"""DROP TABLE and RENAME TABLE, with what InnoDB checks first: the foreign keys that still
reference a dropped table, and those a renamed table takes over; generated foreign-key
names (``old_ibfk_1``) follow a rename."""

from __future__ import annotations

from sqlglot import exp
from sqlglot.errors import ParseError

from dbdrift.readers.sql.catalog import Catalog
from dbdrift.readers.sql.mysql.common import (
    Refused,
    last_name,
    name_of,
    parse,
    syntax_message,
    top_level_groups,
)
from dbdrift.readers.sql.mysql.keys import IBFK
from dbdrift.readers.sql.mysql.model import MyTable
from dbdrift.readers.sql.mysql.statements import LITERALS, Statement
from dbdrift.schema import Origin


class DropAndRename:
    """DROP TABLE and RENAME TABLE (a mixin of `Replay`)."""

    catalog: Catalog
    tables: dict[str, MyTable]
    triggers: dict[str, str]
    fk_checks: bool

    def drop_table(self, st: Statement, origin: Origin) -> None:
        """DROP TABLE, all named tables checked; those that can go are dropped."""
        parsed = parse(st.text)
        if not isinstance(parsed, exp.Drop):
            raise Refused(syntax_message(ParseError("could not read DROP TABLE")))
        if parsed.args.get("temporary"):
            self.catalog.note("temporary", "DROP TEMPORARY TABLE is not modelled", origin)
            return
        names = [name_of(t) for t in parsed.args.get("tables") or []]
        if len(set(names)) != len(names):
            twice = next(n for n in names if names.count(n) > 1)
            raise Refused(f"Not unique table/alias: '{twice}' (MariaDB error 1066)")
        missing: list[str] = []
        refused: str | None = None
        for name in names:
            if name not in self.tables:
                missing.append(name)
                continue
            try:
                self.check_droppable([name], origin)
            except Refused as error:
                refused = refused or str(error)
                continue
            del self.tables[name]
            self.triggers = {k: v for k, v in self.triggers.items() if v != name}
        if refused:
            raise Refused(refused)
        if missing and not parsed.args.get("exists"):
            raise Refused(f"Unknown table '{','.join(missing)}' (MariaDB error 1051)")
        if missing:
            self.catalog.note("skipped", f"Unknown table '{','.join(missing)}' (IF EXISTS)", origin)

    def check_droppable(self, names: list[str], origin: Origin) -> None:
        """Refuse to drop a table another table's foreign key references (unless checks are off)."""
        if not self.fk_checks:
            return
        for other in self.tables.values():
            if other.name in names:
                continue
            for f in other.fks:
                if f.ref_table in names:
                    raise Refused(
                        "Cannot delete or update a parent row: a foreign key constraint fails: "
                        f"'{other.name}' references '{f.ref_table}' through '{f.name}' "
                        "(MariaDB error 1451)"
                    )

    def rename_tables(self, st: Statement, origin: Origin) -> None:
        """RENAME TABLE a TO b, ...: the whole statement is checked before anything moves."""
        pairs = _rename_pairs(st)
        if not pairs:
            raise Refused(syntax_message(ParseError("could not read RENAME TABLE")))
        present = set(self.tables)
        for old, new in pairs:  # the whole statement is checked before anything moves
            if old not in present:
                raise Refused(f"Table '{old}' doesn't exist (MariaDB error 1146)")
            if new in present:
                raise Refused(f"Table '{new}' already exists (MariaDB error 1050)")
            present.remove(old)
            present.add(new)
        for old, new in pairs:
            self.check_adoption(old, new, self.tables[old])
            self.commit_rename([(old, new)], {})
            self.tables[new].origin = Origin(origin.path, st.line)

    def check_adoption(self, old: str, new: str, table: MyTable) -> None:
        """A table renamed to a name that foreign keys already reference (made while
        FOREIGN_KEY_CHECKS was 0) must suit them, or InnoDB refuses the rename."""
        others = [o for o in self.tables.values() if o.name != old]
        for other in [table, *others]:  # its own keys to the new name become self-references
            for f in other.fks:
                if f.ref_table != new:
                    continue
                why = self.fk_problem(other, f, table, missing_ok=False)
                if why:
                    raise Refused(
                        f"Error on rename of '{old}' to '{new}' (errno: 150 \"Foreign key "
                        f'constraint is incorrectly formed"): {why} (MariaDB error 1025)'
                    )

    def commit_rename(self, pairs: list[tuple[str, str]], replacing: dict[str, MyTable]) -> None:
        """Rename tables, with the foreign keys and triggers that name them."""
        for old, new in pairs:
            table = replacing.get(old) or self.tables[old]
            table.name = new
            self.tables = {
                (new if k == old else k): (table if k == old else v) for k, v in self.tables.items()
            }
            for f in table.fks:  # InnoDB renames generated names: old_ibfk_1 -> new_ibfk_1
                m = IBFK.match(f.name or "")
                if m and m.group(1) == old:
                    f.name = f"{new}_ibfk_{m.group(2)}"
            for other in self.tables.values():
                for f in other.fks:
                    if f.ref_table == old:
                        f.ref_table = new
            self.triggers = {k: (new if v == old else v) for k, v in self.triggers.items()}


def _rename_pairs(st: Statement) -> list[tuple[str, str]]:
    """RENAME TABLE a TO b [, c TO d ...] from tokens (sqlglot reads it as a Command)."""
    pairs: list[tuple[str, str]] = []
    for group in top_level_groups(list(st.tokens[2:])):
        texts = [tk.text for tk in group]
        upper = [
            t.upper() if tk.token_type not in LITERALS else ""
            for t, tk in zip(texts, group, strict=True)
        ]
        if "TO" not in upper:
            return []
        at = upper.index("TO")
        old, new = last_name(group[:at]), last_name(group[at + 1 :])
        if not old or not new:
            return []
        pairs.append((old, new))
    return pairs
