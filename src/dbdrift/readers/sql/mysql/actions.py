"""ALTER TABLE read into the replay's small action tuples (``("add_column", cd, position,
if_not_exists, line)``, ``("drop_index", name, if_exists, line)``, ...): through sqlglot
when it reads the whole statement, else split at top-level commas and each action read
alone, as an ALTER TABLE action or as a CREATE TABLE element."""

from __future__ import annotations

import re
from typing import Any

from sqlglot import exp
from sqlglot.errors import ParseError
from sqlglot.tokens import TokenType

from dbdrift.readers.sql.mysql.common import (
    Refused,
    line_of,
    name_of,
    parse,
    same,
    top_level_groups,
    unquote,
)
from dbdrift.readers.sql.mysql.statements import Statement


def alter_actions(st: Statement) -> tuple[str, list[tuple[Any, ...]]]:
    """The table name and the actions of an ALTER TABLE, one sqlglot parse or one per action."""
    try:
        parsed = parse(st.text)
    except ParseError:
        parsed = None
    if isinstance(parsed, exp.Alter) and parsed.args.get("kind", "").upper() == "TABLE":
        actions: list[tuple[Any, ...]] = []
        for a in parsed.args.get("actions") or []:
            actions.extend(_action(a, st.line))
        return name_of(parsed.this), actions
    return _alter_by_parts(st)


def _alter_by_parts(st: Statement) -> tuple[str, list[tuple[Any, ...]]]:
    """ALTER TABLE that sqlglot cannot read whole: split at top-level commas, read each."""
    tokens = list(st.tokens)
    i = 0
    while i < len(tokens) and tokens[i].text.upper() != "TABLE":
        i += 1
    if i + 1 >= len(tokens):
        raise ParseError("could not read ALTER TABLE")
    j = i + 1
    name = tokens[j].text
    j += 1
    while j + 1 < len(tokens) and tokens[j].token_type == TokenType.DOT:
        name = tokens[j + 1].text
        j += 2
    t0 = tokens[0].start  # token offsets count from the segment the tokens were read in
    actions: list[tuple[Any, ...]] = []
    for group in top_level_groups(tokens[j:]):
        text = st.text[group[0].start - t0 : group[-1].end + 1 - t0]
        line = st.line + group[0].line - tokens[0].line
        actions.extend(_one_action(text, line))
    return name, actions


_ADD = re.compile(r"\A\s*ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?\(", re.IGNORECASE)
_ADD_ELEMENT = re.compile(r"\A\s*ADD\s+", re.IGNORECASE)


def _one_action(text: str, line: int) -> list[tuple[Any, ...]]:
    """One ALTER TABLE action: through sqlglot, else as a CREATE TABLE element."""
    text = re.sub(r"\A(\s*RENAME)\s+AS\s+", r"\1 TO ", text, flags=re.IGNORECASE)
    try:
        parsed = parse(f"ALTER TABLE _x {text}")
    except ParseError:
        parsed = None
    if isinstance(parsed, exp.Alter) and parsed.args.get("actions"):
        return [x for a in parsed.args["actions"] for x in _action(a, line)]
    if isinstance(parsed, exp.Alter) and parsed.args.get("options"):
        return []  # table options (ENGINE=, ALGORITHM=, ...) do not change the schema
    if _ADD.match(text):  # ADD [COLUMN] (a INT, b INT)
        inner = text[text.index("(") :]
        body = parse(f"CREATE TABLE _x {inner}")
        return [("add_column", cd, None, False, line) for cd in body.this.expressions]
    column = _column_action(text, line)
    if column is not None:
        return [column]
    if _ADD_ELEMENT.match(text):  # ADD CHECK (...), ADD CONSTRAINT c CHECK (...), ...
        element_text = _ADD_ELEMENT.sub("", text, count=1)
        body = parse(f"CREATE TABLE _x ({element_text})")
        return [("element", e, line) for e in body.this.expressions]
    if parsed is None:
        parse(f"ALTER TABLE _x {text}")  # raises the syntax error
    return [("note", f"ALTER TABLE action not modelled: {text.strip()[:60]}", line)]


_COLUMN_VERB = re.compile(
    r"\A\s*(ADD|MODIFY|CHANGE)\b(\s+COLUMN\b)?(\s+IF\s+(?:NOT\s+)?EXISTS\b)?\s*", re.IGNORECASE
)
_NAME = r"(`(?:[^`]|``)+`|[\w$]+)"
_TRAILING_POSITION = re.compile(r"\s+(FIRST|AFTER\s+" + _NAME + r")\s*\Z", re.IGNORECASE)
_ELEMENT_WORDS = frozenset(
    {"CONSTRAINT", "CHECK", "PRIMARY", "UNIQUE", "INDEX", "KEY", "FOREIGN", "FULLTEXT", "SPATIAL"}
)


def _column_action(text: str, line: int) -> tuple[Any, ...] | None:
    """ADD/MODIFY/CHANGE of one column that sqlglot cannot read in ALTER TABLE (``INT UNIQUE
    AFTER a``): the definition read as in CREATE TABLE, the position cut off by hand."""
    m = _COLUMN_VERB.match(text)
    if m is None:
        return None
    verb, rest = m.group(1).upper(), text[m.end() :]
    first_word = rest.split(None, 1)[0].upper() if rest.split() else ""
    if verb == "ADD" and not m.group(2) and first_word in _ELEMENT_WORDS:
        return None
    old = None
    if verb == "CHANGE":
        name = re.match(_NAME + r"\s+", rest)
        if name is None:
            return None
        old, rest = unquote(name.group(1)), rest[name.end() :]
    position: tuple[str, str | None] | None = None
    trailing = _TRAILING_POSITION.search(rest)
    if trailing:
        after = trailing.group(2)
        position = ("FIRST", None) if after is None else ("AFTER", unquote(after))
        rest = rest[: trailing.start()]
    body = parse(f"CREATE TABLE _x ({rest})")
    cd = body.this.expressions[0] if isinstance(body.this, exp.Schema) else None
    if not isinstance(cd, exp.ColumnDef):
        return None
    if verb == "ADD":
        return ("add_column", cd, position, bool(m.group(3)), line)
    return ("modify", cd, old, position, line)


def _position(cd: exp.Expression) -> tuple[str, str | None] | None:
    pos = cd.args.get("position")
    if pos is None:
        # sqlglot reads `INT UNIQUE FIRST` as a unique constraint named FIRST.
        for c in cd.args.get("constraints") or []:
            kind = c.args.get("kind")
            name = kind.args.get("this") if isinstance(kind, exp.UniqueColumnConstraint) else None
            if isinstance(name, exp.Identifier) and not name.quoted and same(name.this, "FIRST"):
                return ("FIRST", None)
        return None
    where = str(pos.args.get("position") or "").upper()
    if where == "FIRST":
        return ("FIRST", None)
    return ("AFTER", name_of(pos.this))


def _action(a: exp.Expression, line: int) -> list[tuple[Any, ...]]:
    """sqlglot's ALTER TABLE action as the replay's own small tuple."""
    at = line_of(a, line)
    if isinstance(a, exp.ColumnDef):
        return [("add_column", a, _position(a), bool(a.args.get("exists")), at)]
    if isinstance(a, exp.ModifyColumn):
        cd = a.this
        old = name_of(a.args.get("rename_from")) or None
        return [("modify", cd, old, _position(cd), at)]
    if isinstance(a, exp.RenameColumn):
        return [("rename_column", name_of(a.this), name_of(a.args.get("to")), at)]
    if isinstance(a, exp.AlterColumn):
        column = name_of(a.this)
        if a.args.get("drop"):
            return [("set_default", column, None, at)]
        if a.args.get("default") is not None:
            return [("set_default", column, a.args["default"], at)]
        return [("note", f"ALTER COLUMN {column} is not modelled", at)]
    if isinstance(a, exp.AddConstraint):
        return [("element", e, at) for e in a.expressions]
    if isinstance(a, exp.DropPrimaryKey):
        return [("drop_primary", at)]
    if isinstance(a, exp.Drop):
        kind = str(a.args.get("kind") or "").upper()
        names = [name_of(t) for t in a.args.get("tables") or []]
        exists = bool(a.args.get("exists"))
        ops = {
            "COLUMN": "drop_column",
            "INDEX": "drop_index",
            "KEY": "drop_index",
            "FOREIGN KEY": "drop_fk",
            "CHECK": "drop_check",
            "CONSTRAINT": "drop_constraint",
        }
        if kind in ops:
            out: list[tuple[Any, ...]] = []
            if ops[kind] == "drop_index":
                for node in a.args.get("tables") or []:
                    refuse_bare_primary(node)
            for n in names:
                if ops[kind] == "drop_index" and same(n, "PRIMARY"):
                    out.append(("drop_primary", at))
                else:
                    out.append((ops[kind], n, exists, at))
            return out
        return [("note", f"ALTER TABLE DROP {kind} is not modelled", at)]
    if isinstance(a, exp.AlterRename):
        return [("rename_table", name_of(a.this), at)]
    if type(a).__name__ == "RenameIndex":
        return [("rename_index", name_of(a.this), name_of(a.args.get("to")), at)]
    return [("note", f"ALTER TABLE action not modelled: {a.sql(dialect='mysql')[:60]}", at)]


def refuse_bare_primary(node: exp.Expression | None) -> None:
    """PRIMARY is a reserved word: ``DROP INDEX PRIMARY`` needs it in backticks."""
    ident = node.this if isinstance(node, exp.Table | exp.Column) else node
    if isinstance(ident, exp.Identifier) and not ident.quoted and same(ident.this, "PRIMARY"):
        raise Refused(
            "syntax error (MariaDB error 1064): PRIMARY is reserved; write DROP PRIMARY KEY "
            "or `PRIMARY`"
        )
