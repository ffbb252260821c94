"""DEFAULT clauses spelled as ``information_schema.COLUMNS.COLUMN_DEFAULT`` reports them:
literals through the type table's rules, expressions printed back as MariaDB's
``Item::print`` prints them."""

from __future__ import annotations

from sqlglot import exp

from dbdrift.readers.sql.mysql.common import is_lob
from dbdrift.types import Type
from dbdrift.types import mysql as mytypes

# Binary operators as MariaDB prints them back, with their precedence (higher binds tighter).
_BINARY: dict[type, tuple[str, int]] = {
    exp.Mul: ("*", 7),
    exp.Div: ("/", 7),
    exp.IntDiv: ("DIV", 7),
    exp.Mod: ("%", 7),
    exp.Add: ("+", 6),
    exp.Sub: ("-", 6),
    exp.EQ: ("=", 4),
    exp.NEQ: ("<>", 4),
    exp.GT: (">", 4),
    exp.GTE: (">=", 4),
    exp.LT: ("<", 4),
    exp.LTE: ("<=", 4),
    exp.And: ("and", 2),
    exp.Or: ("or", 1),
}


def _print_expr(e: exp.Expression, parent: int = 0) -> str:
    """An expression as MariaDB prints a stored default expression (``Item::print``)."""
    if isinstance(e, exp.Paren):
        return _print_expr(e.this, parent)
    if isinstance(e, exp.Literal):
        return mytypes.quote_string(e.this) if e.is_string else str(e.this)
    if isinstance(e, exp.Neg):
        return "-" + _print_expr(e.this, 9)
    if isinstance(e, exp.HexString):
        return "0x" + str(e.this)
    if isinstance(e, exp.Null):
        return "NULL"
    if isinstance(e, exp.Boolean):
        return "1" if e.this else "0"
    if isinstance(e, exp.Column):
        return f"`{e.name}`"
    if type(e) in _BINARY:
        op, prec = _BINARY[type(e)]
        text = f"{_print_expr(e.this, prec)} {op} {_print_expr(e.expression, prec + 1)}"
        return f"({text})" if parent == 0 or prec < parent else text
    if isinstance(e, exp.Interval):
        unit = e.args.get("unit")
        return (
            f"interval {_print_expr(e.this, 9).strip(chr(39))} {unit.name.lower() if unit else ''}"
        )
    if isinstance(e, exp.Func):
        return _print_call(e)
    return e.sql(dialect="mysql")


def _print_call(e: exp.Func) -> str:
    if isinstance(e, exp.Anonymous):
        name, args = e.name.upper(), list(e.expressions)
    else:
        name = e.sql_name().upper()
        args = [v for k, v in e.args.items() if isinstance(v, exp.Expression) and k != "zone"]
        args += [x for v in e.args.values() if isinstance(v, list) for x in v]
    spelled = mytypes.FUNCTION_SPELLINGS.get(name, name.lower())
    return f"{spelled}({','.join(_print_expr(a, 9) for a in args)})"


def default_sql(e: exp.Expression, typ: Type) -> str | None:
    """A DEFAULT clause spelled as ``COLUMN_DEFAULT`` reports it; ``None`` for NULL."""
    inner = e
    while isinstance(inner, exp.Paren | exp.Introducer | exp.National):
        inner = inner.expression if isinstance(inner, exp.Introducer) else inner.this
        if isinstance(inner, str):  # N'...' keeps its text as a plain string
            return mytypes.literal_default(inner, typ)
    if isinstance(inner, exp.Null):
        return None
    if is_lob(typ) and isinstance(
        inner, exp.Literal | exp.Neg | exp.HexString | exp.BitString | exp.Boolean
    ):
        # TEXT/BLOB/JSON defaults are kept as expressions: a number stays as written.
        return _print_expr(inner)
    if isinstance(inner, exp.Literal):
        if not inner.is_string and typ.family in ("text", "enum", "json", "other", "binary"):
            return mytypes.literal_default(str(inner.this), typ)
        return mytypes.literal_default(inner.this if inner.is_string else str(inner.this), typ)
    if isinstance(inner, exp.Neg) and isinstance(inner.this, exp.Literal):
        return mytypes.literal_default("-" + str(inner.this.this), typ)
    if isinstance(inner, exp.Boolean):
        return mytypes.literal_default(bool(inner.this), typ)
    if isinstance(inner, exp.HexString):
        return mytypes.literal_default(bytes.fromhex(_even(inner.this)), typ)
    if isinstance(inner, exp.BitString):
        value = int(inner.this or "0", 2)
        if typ.sql.startswith("bit("):
            return f"b'{value:b}'"
        return mytypes.literal_default(value, typ)
    if isinstance(inner, exp.CurrentTimestamp | exp.CurrentDatetime):
        precision = inner.this
        return f"current_timestamp({_print_expr(precision) if precision is not None else ''})"
    if isinstance(inner, exp.Anonymous) and inner.name.upper() in mytypes.FUNCTION_SPELLINGS:
        spelled = mytypes.FUNCTION_SPELLINGS[inner.name.upper()]
        args = ",".join(_print_expr(a, 9) for a in inner.expressions)
        return f"{spelled}({args})"
    if isinstance(inner, exp.Column) and inner.name.upper() in mytypes.FUNCTION_SPELLINGS:
        # CURRENT_DATE, LOCALTIMESTAMP ... written without parentheses
        return mytypes.FUNCTION_SPELLINGS[inner.name.upper()] + "()"
    return _print_expr(inner)


def _even(hexdigits: str) -> str:
    return hexdigits if len(hexdigits) % 2 == 0 else "0" + hexdigits
