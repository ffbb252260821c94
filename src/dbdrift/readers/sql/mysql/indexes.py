"""CREATE INDEX and DROP INDEX, which MariaDB runs as ALTER TABLE ... ADD / DROP INDEX."""

from __future__ import annotations

import re
from typing import Any

from sqlglot.errors import ParseError

from dbdrift.readers.sql.catalog import Catalog
from dbdrift.readers.sql.mysql.actions import refuse_bare_primary
from dbdrift.readers.sql.mysql.common import (
    Refused,
    name_of,
    parse,
    same,
    syntax_message,
    unquote,
)
from dbdrift.readers.sql.mysql.model import MyTable
from dbdrift.readers.sql.mysql.statements import Statement
from dbdrift.schema import Origin

_CREATE_INDEX = re.compile(
    r"\A\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:(UNIQUE|FULLTEXT|SPATIAL)\s+)?INDEX\s+"
    r"(IF\s+NOT\s+EXISTS\s+)?(`(?:[^`]|``)+`|[\w$]+)\s*(?:USING\s+\w+\s+)?ON\s+"
    r"(?:(?:`(?:[^`]|``)+`|[\w$]+)\s*\.\s*)?(`(?:[^`]|``)+`|[\w$]+)\s*(\(.*)\Z",
    re.IGNORECASE | re.DOTALL,
)


class IndexStatements:
    """CREATE INDEX and DROP INDEX (a mixin of `Replay`)."""

    catalog: Catalog
    tables: dict[str, MyTable]

    def create_index(self, st: Statement, origin: Origin) -> None:
        """CREATE INDEX is ALTER TABLE ... ADD INDEX in MariaDB (sql_yacc.yy)."""
        table, kind, index, if_not_exists, parts_text = _create_index_parts(st)
        if table is None:
            raise Refused(syntax_message(ParseError("could not read CREATE INDEX")))
        current = self.tables.get(table)
        if current is not None and if_not_exists and current.key(index) is not None:
            self.catalog.note("skipped", f"Index '{index}' already exists", origin)
            return
        quoted = index.replace("`", "``")
        sql = f"CREATE TABLE _x ({kind} `{quoted}` {parts_text})"
        parsed = parse(sql)
        element = parsed.this.expressions[0]
        self.apply_alter(table, [("element", element, st.line)], st, origin)

    def drop_index(self, st: Statement, origin: Origin) -> None:
        """DROP INDEX name ON table, which MariaDB runs as ALTER TABLE ... DROP INDEX."""
        parsed = parse(st.text)
        on = parsed.args.get("cluster")
        table = name_of(on.this) if on is not None else ""
        node = parsed.args["tables"][0] if parsed.args.get("tables") else None
        index = name_of(node)
        if not table:
            raise Refused(syntax_message(ParseError("DROP INDEX needs ON <table>")))
        refuse_bare_primary(node)
        action: tuple[Any, ...] = (
            ("drop_primary", st.line)
            if same(index, "PRIMARY")
            else ("drop_index", index, bool(parsed.args.get("exists")), st.line)
        )
        self.apply_alter(table, [action], st, origin)


def _create_index_parts(st: Statement) -> tuple[str | None, str, str, bool, str]:
    m = _CREATE_INDEX.match(st.text)
    if not m:
        return None, "", "", False, ""
    kind = {"UNIQUE": "UNIQUE KEY", "FULLTEXT": "FULLTEXT KEY", "SPATIAL": "SPATIAL KEY"}.get(
        (m.group(1) or "").upper(), "KEY"
    )
    parts = _balanced_parens(m.group(5))
    return unquote(m.group(4)), kind, unquote(m.group(3)), bool(m.group(2)), parts


def _balanced_parens(text: str) -> str:
    depth = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return text[: i + 1]
    return text
