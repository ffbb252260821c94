"""CREATE and DROP TRIGGER become notes, after what MariaDB checks first: trigger names
are unique, the table exists, and NEW.x / OLD.x name its columns and exist for the event."""

from __future__ import annotations

from sqlglot.tokens import Token, TokenType

from dbdrift.readers.sql.catalog import Catalog
from dbdrift.readers.sql.mysql.common import Refused, last_name
from dbdrift.readers.sql.mysql.model import MyTable
from dbdrift.readers.sql.mysql.statements import LITERALS, Statement
from dbdrift.schema import Origin


class TriggerStatements:
    """CREATE TRIGGER and DROP TRIGGER (a mixin of `Replay`)."""

    catalog: Catalog
    tables: dict[str, MyTable]
    triggers: dict[str, str]

    def create_trigger(self, st: Statement, origin: Origin) -> None:
        """CREATE TRIGGER: a note, after MariaDB's checks of its name, table and rows."""
        name, table, if_not_exists = _trigger_parts(st)
        if name and name.lower() in self.triggers:
            if if_not_exists:
                self.catalog.note("trigger", f"Trigger '{name}' already exists", origin)
                return
            raise Refused(f"Trigger '{name}' already exists (MariaDB error 1359)")
        if table and table not in self.tables:
            raise Refused(f"Table '{table}' doesn't exist (MariaDB error 1146)")
        if table:
            _check_trigger_rows(st, self.tables[table])
        if name:
            self.triggers[name.lower()] = table or ""
        self.catalog.note("trigger", f"CREATE TRIGGER {name} ON {table} is not modelled", origin)

    def drop_trigger(self, st: Statement, origin: Origin) -> None:
        """DROP TRIGGER: a note, or an error for a trigger that does not exist."""
        words = [w for w in st.words if w]
        if_exists = "EXISTS" in words[:5]
        names = [
            tk.text
            for tk in st.tokens[2:]
            if tk.token_type in (TokenType.VAR, TokenType.IDENTIFIER)
            and tk.text.upper() not in ("IF", "EXISTS")
        ]
        name = names[-1] if names else ""
        if name.lower() not in self.triggers:
            if if_exists:
                self.catalog.note("trigger", f"Trigger '{name}' does not exist", origin)
                return
            raise Refused(f"Trigger does not exist: '{name}' (MariaDB error 1360)")
        del self.triggers[name.lower()]
        self.catalog.note("trigger", f"DROP TRIGGER {name} is not modelled", origin)


def _trigger_parts(st: Statement) -> tuple[str, str, bool]:
    tokens = list(st.tokens)
    upper = [tk.text.upper() if tk.token_type not in LITERALS else "" for tk in tokens]
    if "TRIGGER" not in upper:
        return "", "", False
    at = upper.index("TRIGGER") + 1
    if_not_exists = upper[at : at + 3] == ["IF", "NOT", "EXISTS"]
    if if_not_exists:
        at += 3
    name_tokens: list[Token] = []
    while at < len(tokens) and upper[at] not in ("BEFORE", "AFTER"):
        name_tokens.append(tokens[at])
        at += 1
    table = ""
    if "ON" in upper[at:]:
        on = upper.index("ON", at) + 1
        table_tokens: list[Token] = []
        while on < len(tokens) and upper[on] not in ("FOR", "FOLLOWS", "PRECEDES"):
            table_tokens.append(tokens[on])
            on += 1
        table = last_name(table_tokens)
    return last_name(name_tokens), table, if_not_exists


def _check_trigger_rows(st: Statement, table: MyTable) -> None:
    """NEW.x and OLD.x must name columns, and exist for the event (MariaDB 1054, 1363)."""
    tokens = list(st.tokens)
    upper = [tk.text.upper() if tk.token_type not in LITERALS else "" for tk in tokens]
    event = next((w for w in upper if w in ("INSERT", "UPDATE", "DELETE")), "")
    for i in range(len(tokens) - 2):
        row = upper[i]
        if row not in ("NEW", "OLD") or tokens[i + 1].token_type != TokenType.DOT:
            continue
        if i > 0 and tokens[i - 1].token_type == TokenType.DOT:
            continue
        if (row, event) in (("NEW", "DELETE"), ("OLD", "INSERT")):
            raise Refused(f"There is no {row} row in on {event} trigger (MariaDB error 1363)")
        column = tokens[i + 2].text
        if table.col(column) is None:
            raise Refused(f"Unknown column '{column}' in '{row}' (MariaDB error 1054)")
