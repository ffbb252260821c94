"""Data statements (INSERT, REPLACE, UPDATE, DELETE, TRUNCATE, ...) become notes, after
the check MariaDB makes first: the target table, and the columns INSERT names, exist."""

from __future__ import annotations

from sqlglot.tokens import TokenType

from dbdrift.readers.sql.catalog import Catalog
from dbdrift.readers.sql.mysql.common import Refused
from dbdrift.readers.sql.mysql.model import MyTable
from dbdrift.readers.sql.mysql.statements import LITERALS, Statement
from dbdrift.schema import Origin

_INSERT_SKIP = frozenset({"LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "INTO", "QUICK"})


class DataStatements:
    """INSERT, UPDATE, DELETE, TRUNCATE, ... (a mixin of `Replay`)."""

    catalog: Catalog
    tables: dict[str, MyTable]

    def data_statement(self, st: Statement, origin: Origin) -> None:
        """Data statements are notes, but one on a missing table or column fails in MariaDB."""
        target, columns = _data_target(st)
        if target is not None:
            table = self.tables.get(target)
            if table is None:
                raise Refused(f"Table '{target}' doesn't exist (MariaDB error 1146)")
            for c in columns:
                if table.col(c) is None:
                    raise Refused(f"Unknown column '{c}' in 'field list' (MariaDB error 1054)")
        head = next(w for w in st.words if w)
        self.catalog.note(
            "data", f"{head} {target or ''} is not modelled".replace("  ", " "), origin
        )


def _data_target(st: Statement) -> tuple[str | None, list[str]]:
    """The table an INSERT/REPLACE/UPDATE/DELETE FROM/TRUNCATE names, and INSERT's columns."""
    tokens = list(st.tokens)
    upper = [tk.text.upper() if tk.token_type not in LITERALS else "" for tk in tokens]
    head = upper[0] if upper else ""
    i = 1
    if head in ("INSERT", "REPLACE"):
        while i < len(upper) and upper[i] in _INSERT_SKIP:
            i += 1
    elif head == "UPDATE":
        while i < len(upper) and upper[i] in ("LOW_PRIORITY", "IGNORE"):
            i += 1
    elif head == "DELETE":
        while i < len(upper) and upper[i] in ("LOW_PRIORITY", "QUICK", "IGNORE"):
            i += 1
        if i >= len(upper) or upper[i] != "FROM":
            return None, []
        i += 1
    elif head == "TRUNCATE":
        if i < len(upper) and upper[i] == "TABLE":
            i += 1
    else:
        return None, []
    if i >= len(tokens) or tokens[i].token_type not in (TokenType.VAR, TokenType.IDENTIFIER):
        return None, []
    name = tokens[i].text
    i += 1
    if i + 1 < len(tokens) and tokens[i].token_type == TokenType.DOT:
        name = tokens[i + 1].text
        i += 2
    if head == "UPDATE" and i < len(upper) and upper[i] not in ("SET",):
        return None, []  # a multi-table UPDATE: not checked
    if head == "DELETE" and i < len(upper) and upper[i] in ("USING", ","):
        return None, []
    columns: list[str] = []
    if (
        head in ("INSERT", "REPLACE")
        and i < len(tokens)
        and tokens[i].token_type == TokenType.L_PAREN
    ):
        i += 1
        while i < len(tokens) and tokens[i].token_type != TokenType.R_PAREN:
            if tokens[i].token_type in (TokenType.VAR, TokenType.IDENTIFIER) or (
                tokens[i].token_type not in LITERALS
                and tokens[i].token_type != TokenType.COMMA
                and tokens[i].text.isidentifier()
            ):
                columns.append(tokens[i].text)
            i += 1
    return name, columns
