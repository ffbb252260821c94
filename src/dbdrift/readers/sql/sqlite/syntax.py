"""sqlglot, asked about what the replay does not parse itself (expressions, views, data
statements), and the guards against what sqlglot forgives but SQLite's grammar refuses:
stray commas, reserved words taken for names, a JOIN without FROM, unbalanced parentheses.
The guards refuse the forgiven patterns met in practice, not every one."""

from __future__ import annotations

import logging
from typing import Any

from dbdrift.readers.sql.sqlite.common import JOIN_KW, RESERVED, Refused
from dbdrift.readers.sql.sqlite.statements import Tok


def sqlglot_parse(sql: str) -> tuple[list[Any], str | None]:
    """sqlglot's SQLite parse of `sql`, or the first problem it reports.

    sqlglot logs a warning when it falls back to an opaque command; a library must not
    print, so that logger is quietened for the call.
    """
    import sqlglot
    from sqlglot.errors import ParseError, TokenError

    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return [e for e in sqlglot.parse(sql, read="sqlite") if e is not None], None
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        return [], str(first.get("description") or exc).split("\n")[0]
    except TokenError as exc:
        return [], str(exc).split("\n")[0]
    finally:
        logger.setLevel(level)


def check_expression(text: str, tokens: list[Tok]) -> None:
    """Refuse an expression sqlglot cannot parse (SQLite's own check is its parser)."""
    from sqlglot import exp

    if not tokens:
        raise Refused("incomplete input")
    plausible(tokens)
    expression = text[tokens[0].start : tokens[-1].end]
    trees, problem = sqlglot_parse("SELECT " + expression)
    if problem is not None:
        raise Refused(problem)
    # One bare expression: sqlglot would read "a b" as an alias, "1 FROM t" as a query.
    tree = trees[0] if len(trees) == 1 else None
    extra = [k for k, v in tree.args.items() if v and k != "expressions"] if tree else []
    if (
        not isinstance(tree, exp.Select)
        or len(tree.expressions) != 1
        or extra
        or any(a.find_ancestor(exp.Select) is tree for a in tree.find_all(exp.Alias))
    ):
        raise Refused("syntax error in expression")
    reserved_names(trees)


# Reserved words that may stand right after / before a comma, and at the very end.
_AFTER_COMMA = frozenset({"NULL", "NOT", "CASE", "EXISTS"})
_BEFORE_COMMA = frozenset({"NULL", "ISNULL", "NOTNULL"})
_AT_END = frozenset({"NULL", "NOTHING", "VALUES", "ISNULL", "NOTNULL"})
_DANGLING = frozenset({"BY"})  # fallback words that still cannot end a statement


def plausible(tokens: list[Tok]) -> None:
    """Token patterns SQLite's grammar never accepts but sqlglot forgives: stray commas,
    a reserved word where a table name must be, INSERT without INTO, a dangling keyword."""

    def reserved(tok: Tok | None) -> bool:
        return tok is not None and tok.kind == "word" and tok.word in RESERVED

    def near(tok: Tok | None) -> Refused:
        return Refused(f'near "{tok.raw}": syntax error') if tok else Refused("incomplete input")

    for k, tok in enumerate(tokens):
        prev = tokens[k - 1] if k else None
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if tok.is_op(","):
            if prev is None or prev.is_op("(") or prev.is_op(","):
                raise near(tok)
            if reserved(prev) and prev.word not in _BEFORE_COMMA:
                raise near(tok)
            if nxt is None or nxt.is_op(")") or (reserved(nxt) and nxt.word not in _AFTER_COMMA):
                raise near(nxt)
        elif tok.word in ("FROM", "JOIN", "INTO") and (
            nxt is None or (reserved(nxt) and nxt.word not in JOIN_KW)
        ):
            raise near(nxt)
    head = [t.word for t in tokens[:3]]
    if head[:1] in (["INSERT"], ["REPLACE"]):
        into = 3 if head[:2] == ["INSERT", "OR"] else 1
        if len(tokens) <= into or tokens[into].word != "INTO":
            raise near(tokens[into] if len(tokens) > into else None)
    last = tokens[-1]
    if (reserved(last) and last.word not in _AT_END) or last.word in _DANGLING:
        raise Refused("incomplete input")


def reserved_names(trees: list[Any]) -> None:
    """A reserved word sqlglot took for a name is a syntax error to SQLite."""
    from sqlglot import exp

    for tree in trees:
        for ident in tree.find_all(exp.Identifier):
            word = ident.name.split()[0].upper() if ident.name.strip() else ""
            if not ident.quoted and word in RESERVED and word not in JOIN_KW:
                raise Refused(f'near "{ident.name}": syntax error')


def joins_need_from(trees: list[Any]) -> None:
    """sqlglot accepts ``SELECT ... JOIN`` without FROM; SQLite's grammar does not."""
    from sqlglot import exp

    for tree in trees:
        for select in tree.find_all(exp.Select):
            if select.args.get("from_"):
                continue
            if select.args.get("joins"):
                raise Refused('near "JOIN": syntax error')
            for e in select.expressions:
                if isinstance(e, exp.Star) or isinstance(e.unalias(), exp.Star):
                    raise Refused("no tables specified")


def balanced(tokens: list[Tok]) -> None:
    """Parentheses must pair up before any parser is asked (sqlglot forgives some)."""
    depth = 0
    for tok in tokens:
        if tok.is_op("("):
            depth += 1
        elif tok.is_op(")"):
            depth -= 1
            if depth < 0:
                raise Refused('near ")": syntax error')
    if depth:
        raise Refused("incomplete input")


def for_sqlglot(tokens: list[Tok], sql: str) -> str:
    """SQLite spellings sqlglot does not parse, rewritten to ones it does (same meaning):
    ``REPLACE INTO`` is ``INSERT OR REPLACE INTO``; ``UPDATE OR x`` loses the ``OR x``."""
    base = tokens[0].start
    first = tokens[0].word
    if first == "REPLACE":
        return "INSERT OR " + sql
    if first == "UPDATE" and len(tokens) > 2 and tokens[1].word == "OR":
        return sql[: tokens[1].start - base] + sql[tokens[2].end - base :]
    return sql
