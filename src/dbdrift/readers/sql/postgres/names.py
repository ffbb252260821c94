"""The names PostgreSQL chooses for what the user did not name.

Mirrors ``makeObjectName``, ``ChooseRelationName``, ``ChooseConstraintName`` and
``ChooseIndexColumnNames`` in ``src/backend/commands/indexcmds.c`` and
``src/backend/catalog/pg_constraint.c``: ``<table>_<columns>_<label>``, each part cut to fit
63 bytes (the longer part first), and a number appended to the label until the name is free.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

NAMEDATALEN = 64


def _clip(name: str, nbytes: int) -> str:
    """The longest prefix of `name` that fits in `nbytes` UTF-8 bytes (``pg_mbcliplen``)."""
    data = name.encode()
    if len(data) <= nbytes:
        return name
    return data[:nbytes].decode("utf-8", errors="ignore")


def truncate_identifier(name: str) -> str:
    """Identifiers longer than 63 bytes are cut by the parser."""
    return _clip(name, NAMEDATALEN - 1)


def make_object_name(name1: str, name2: str | None, label: str | None) -> str:
    """``makeObjectName``: join the parts with underscores, cutting the longer part first."""
    n1 = len(name1.encode())
    n2 = len(name2.encode()) if name2 is not None else 0
    overhead = (1 if name2 is not None else 0) + (len(label) + 1 if label else 0)
    available = NAMEDATALEN - 1 - overhead
    while n1 + n2 > available:
        if n1 > n2:
            n1 -= 1
        else:
            n2 -= 1
    result = _clip(name1, n1)
    if name2 is not None:
        result += "_" + _clip(name2, n2)
    if label:
        result += "_" + label
    return result


def choose_name(name1: str, name2: str | None, label: str, taken: Callable[[str], bool]) -> str:
    """``ChooseRelationName``/``ChooseConstraintName``: label, label1, label2 ... until free."""
    attempt = 0
    modlabel = label
    while True:
        name = make_object_name(name1, name2, modlabel)
        if not taken(name):
            return name
        attempt += 1
        modlabel = f"{label}{attempt}"


def name_addition(columns: Iterable[str]) -> str:
    """``ChooseIndexNameAddition``/``ChooseForeignKeyConstraintNameAddition``."""
    buf = ""
    for column in columns:
        if buf:
            buf += "_"
        buf += _clip(column, NAMEDATALEN - 1)
        if len(buf.encode()) >= NAMEDATALEN:
            break
    return buf


# FigureColnameInternal (parser/parse_target.c): the name an expression would give its
# column; an index keeps it only when it is a strong one (a column or function name).
_NAMED_EXPRESSIONS = {
    "CoalesceExpr": "coalesce",
    "CaseExpr": "case",
    "A_ArrayExpr": "array",
    "RowExpr": "row",
    "NullIfExpr": "nullif",
}


def figure_index_colname(expr: dict) -> str | None:
    """``FigureIndexColname``: a function's or column's name, else ``None`` (then ``expr``)."""
    ((kind, body),) = expr.items()
    if kind == "ColumnRef":
        last = body["fields"][-1]
        return last["String"]["sval"] if "String" in last else None
    if kind == "FuncCall":
        return body["funcname"][-1]["String"]["sval"]
    if kind == "TypeCast":
        return figure_index_colname(body["arg"])
    if kind in _NAMED_EXPRESSIONS:
        return _NAMED_EXPRESSIONS[kind]
    if kind == "MinMaxExpr":
        return "greatest" if body.get("op") == "IS_GREATEST" else "least"
    if kind == "SQLValueFunction":
        return body["op"].removeprefix("SVFOP_").removesuffix("_N").lower()
    return None


def index_column_names(keys: Iterable[str | None]) -> list[str]:
    """``ChooseIndexColumnNames``: a column's own name, ``expr`` for an expression, made unique."""
    result: list[str] = []
    for key in keys:
        original = key if key is not None else "expr"
        name = original
        suffix = 0
        while name in result:
            suffix += 1
            name = make_object_name(original, None, None)[: NAMEDATALEN - 1 - len(str(suffix))]
            name += str(suffix)
        result.append(name)
    return result
