"""PostgreSQL expressions from pglast's JSON tree, spelled the way ``pg_get_expr`` prints them.

A column default is stored by PostgreSQL after the parser has coerced it to the column's
type, and printed back by ``ruleutils.c``: an untyped literal gets the column type as a
label (``'x'::character varying``), a non-negative integer prints bare, a negative one as
``'-1'::integer``, implicit casts are invisible, explicit ones are parenthesised.  This
module mirrors those rules for the expressions migrations really use; anything else is
printed by pglast's own deparser, which is close but not always identical.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from dbdrift.types import Type
from dbdrift.types.postgres import qualified

Node = dict[str, Any]
# Resolves a parse-tree type name to its canonical type (the replay knows user types).
TypeResolver = Callable[[Node], Type]


class InvalidLiteral(ValueError):
    """A literal the column's type refuses (``DEFAULT 'x'`` on an integer): PostgreSQL's error."""

    def __init__(self, type_sql: str, value: str, location: int | None) -> None:
        if type_sql in ("json", "jsonb"):  # json_in reports the token, on a DETAIL line
            message = "invalid input syntax for type json"
        else:
            message = f'invalid input syntax for type {type_sql}: "{value}"'
        super().__init__(message)
        self.location = location


class Unsupported(Exception):
    """An expression this module does not spell itself; the caller falls back to pglast."""


_SVF = {
    "SVFOP_CURRENT_DATE": "CURRENT_DATE",
    "SVFOP_CURRENT_TIME": "CURRENT_TIME",
    "SVFOP_CURRENT_TIME_N": "CURRENT_TIME",
    "SVFOP_CURRENT_TIMESTAMP": "CURRENT_TIMESTAMP",
    "SVFOP_CURRENT_TIMESTAMP_N": "CURRENT_TIMESTAMP",
    "SVFOP_LOCALTIME": "LOCALTIME",
    "SVFOP_LOCALTIME_N": "LOCALTIME",
    "SVFOP_LOCALTIMESTAMP": "LOCALTIMESTAMP",
    "SVFOP_LOCALTIMESTAMP_N": "LOCALTIMESTAMP",
    "SVFOP_CURRENT_ROLE": "CURRENT_ROLE",
    "SVFOP_CURRENT_USER": "CURRENT_USER",
    "SVFOP_USER": "USER",
    "SVFOP_SESSION_USER": "SESSION_USER",
    "SVFOP_CURRENT_CATALOG": "CURRENT_CATALOG",
    "SVFOP_CURRENT_SCHEMA": "CURRENT_SCHEMA",
}

# Argument types of functions whose untyped literal arguments migrations commonly pass
# (pg_proc); any other function's literal argument is labelled ::text, the usual case.
_FUNC_ARG_TYPES: dict[str, tuple[str, ...]] = {
    "nextval": ("regclass",),
    "currval": ("regclass",),
    "setval": ("regclass",),
    "to_timestamp": ("double precision",),
}

# Bare-printed constants: integers that fit int4 and are not negative.
_INT4_MAX = 2**31 - 1


_REGCLASS_PART = re.compile(r'"((?:[^"]|"")*)"|([^."]+)')


def regclass_literal(value: str) -> str:
    """A relation name given as text to ``regclass``, as ``pg_get_expr`` prints it back.

    PostgreSQL stores the relation's OID and prints its name relative to the reading
    session's search path; with the default path, ``public`` is visible, so
    ``'public.users_id_seq'`` (as pg_dump writes it, under an empty search path) reads
    back as ``'users_id_seq'``.  Unquoted parts fold to lower case.
    """
    parts = [
        m.group(1).replace('""', '"') if m.group(1) is not None else m.group(2).strip().lower()
        for m in _REGCLASS_PART.finditer(value)
    ]
    if not parts or len(parts) > 2:
        return quote_literal(value)
    schema, name = (parts[0], parts[1]) if len(parts) == 2 else (None, parts[0])
    return quote_literal(qualified(schema, name, schema in (None, "public")))


def quote_literal(value: str) -> str:
    """``simple_quote_literal`` with standard_conforming_strings on: quotes doubled, no more."""
    return "'" + value.replace("'", "''") + "'"


def const_value(node: Node) -> tuple[str, Any] | None:
    """The kind and value of an ``A_Const`` (``int``, ``float``, ``str``, ``bool``, ``null``)."""
    if node.get("isnull"):
        return ("null", None)
    if "ival" in node:
        return ("int", node["ival"].get("ival", 0))
    if "fval" in node:
        return ("float", node["fval"].get("fval", "0"))
    if "sval" in node:
        return ("str", node["sval"].get("sval", ""))
    if "boolval" in node:
        return ("bool", bool(node["boolval"].get("boolval", False)))
    if "bsval" in node:
        return ("bits", node["bsval"].get("bsval", ""))
    return None


def numeric_text(literal: str) -> str:
    """``numeric_in`` then ``numeric_out``: exponents expanded, the written scale kept."""
    try:
        value = Decimal(literal)
    except InvalidOperation as exc:
        raise Unsupported(literal) from exc
    if not value.is_finite():
        raise Unsupported(literal)
    digits_after_point = len(literal.split("e")[0].split("E")[0].partition(".")[2])
    exponent = int(re.split("[eE]", literal)[1]) if re.search("[eE]", literal) else 0
    scale = max(0, digits_after_point - exponent)
    return f"{value:.{scale}f}"


def is_null(node: Node | None) -> bool:
    """Whether an expression is a NULL constant (typed or not)."""
    if not node:
        return True
    inner = node.get("A_Const")
    if inner is not None:
        return bool(inner.get("isnull"))
    cast = node.get("TypeCast")
    return cast is not None and is_null(cast.get("arg"))


class Deparser:
    """Prints stored expressions for one column type, as ``pg_get_expr`` would."""

    def __init__(self, resolve_type: TypeResolver) -> None:
        self.resolve_type = resolve_type

    def default(self, node: Node, target: Type) -> str:
        """A column default after coercion to the column's type."""
        return self.expr(node, target)

    def expr(self, node: Node, target: Type | None) -> str:
        ((kind, body),) = node.items()
        method = getattr(self, f"_{kind}", None)
        if method is None:
            raise Unsupported(kind)
        return method(body, target)

    # Constants -------------------------------------------------------------------------

    def _A_Const(self, body: Node, target: Type | None) -> str:
        kind, value = const_value(body) or ("", None)
        if kind == "int":
            return str(value) if value >= 0 else f"'{value}'::integer"
        if kind == "float":
            return self._numeric(value)
        if kind == "bool":
            return "true" if value else "false"
        if kind == "str":
            return self._typed_literal(value, target, body.get("location"))
        if kind == "null":
            label = f"::{label_sql(target)}" if target else ""
            return "NULL" + label
        if kind == "bits":
            return self._bits(value, target)
        raise Unsupported("A_Const")

    def _bits(self, literal: str, target: Type | None) -> str:
        """``B'0101'`` / ``X'1F'``: a bit-string constant, printed as binary digits."""
        digits = literal[1:]
        if literal[:1].lower() == "x":
            digits = "".join(f"{int(ch, 16):04b}" for ch in digits)
        label = label_sql(target) if target is not None and target.family == "binary" else '"bit"'
        return f"'{digits}'::{label}"

    def _numeric(self, literal: str) -> str:
        """An integer too wide for int4 is an int8 constant; anything else is numeric,
        printed bare only when it has a decimal point (ruleutils' ``isfloat``)."""
        if re.fullmatch(r"-?\d+", literal) and -(2**63) <= int(literal) < 2**63:
            return f"'{int(literal)}'::bigint"
        text = numeric_text(literal)
        if text[0].isdigit() and "." in text:
            return text
        return f"'{text}'::numeric"

    def _typed_literal(self, value: str, target: Type | None, location: int | None = None) -> str:
        """An untyped literal coerced to `target`: the value as its type prints it, labelled."""
        if target is None or (target.family == "text" and target.sql == "text"):
            return f"{quote_literal(value)}::text"
        _validate(value, target, location)
        family = target.family
        if family == "integer" and target.bits == 32:
            number = int(value.strip())
            return str(number) if number >= 0 else f"'{number}'::integer"
        if family == "boolean":
            return "true" if _parse_bool(value) else "false"
        if family == "numeric" and target.sql.startswith("numeric"):
            text = numeric_text(value.strip())
            return text if text[0].isdigit() and "." in text else f"'{text}'::numeric"
        if target.sql == "regclass":
            return f"{regclass_literal(value)}::regclass"
        return f"{quote_literal(_normalise(value, target))}::{label_sql(target)}"

    # Casts and calls -------------------------------------------------------------------

    def _TypeCast(self, body: Node, target: Type | None) -> str:
        cast_to = self.resolve_type(body["typeName"])
        arg = body["arg"]
        inner = arg.get("A_Const")
        if inner is not None and const_value(inner) is not None:
            kind, value = const_value(inner)  # type: ignore[misc]
            if kind == "str":
                return self._typed_literal(value, cast_to)
            if kind == "null":
                raise Unsupported("NULL cast")
        if "A_ArrayExpr" in arg:
            elements = arg["A_ArrayExpr"].get("elements", [])
            if not elements:
                return f"ARRAY[]::{cast_to.sql}"
            if cast_to.element is not None:
                # The cast is pushed into the elements, each coerced with the full type.
                return (
                    "ARRAY[" + ", ".join(self._element(e, cast_to.element) for e in elements) + "]"
                )
        return f"({self.expr(arg, None)})::{cast_to.sql}"

    def _element(self, node: Node, element: Type) -> str:
        literal = node.get("A_Const")
        if literal is not None and "sval" in literal:
            value = literal["sval"].get("sval", "")
            return f"{quote_literal(_normalise(value, element))}::{element.sql}"
        if literal is not None:
            # A typed constant of another type keeps an explicit cast of its own.
            kind, value = const_value(literal) or ("", None)
            same = (kind == "int" and element.sql == "integer" and value >= 0) or (
                kind == "bool" and element.family == "boolean"
            )
            printed = self.expr(node, None)
            return printed if same else f"({printed})::{element.sql}"
        return self.expr(node, element)

    def _A_Expr(self, body: Node, target: Type | None) -> str:
        if body.get("kind") != "AEXPR_OP":
            raise Unsupported(body.get("kind", "A_Expr"))
        names = [n["String"]["sval"] for n in body["name"]]
        if len(names) != 1:
            raise Unsupported("qualified operator")
        op = names[0]
        left, right = body.get("lexpr"), body.get("rexpr")
        if left is None:
            return f"({op} {self._operand(right, None)})"
        # An untyped literal beside a date/time value is an interval (timestamp +/- unknown).
        hint = Type("interval", "interval") if _is_datetime(left) and op in "+-" else None
        return f"({self._operand(left, None)} {op} {self._operand(right, hint)})"

    def _operand(self, node: Node, hint: Type | None) -> str:
        literal = node.get("A_Const")
        if literal is not None and "sval" in literal:
            return self._typed_literal(literal["sval"].get("sval", ""), hint)
        return self.expr(node, None)

    def _FuncCall(self, body: Node, target: Type | None) -> str:
        if body.get("agg_star") or body.get("agg_order") or body.get("over"):
            raise Unsupported("aggregate")
        names = [n["String"]["sval"] for n in body["funcname"]]
        if names[0] == "pg_catalog":
            names = names[1:]
        name = names[-1].lower() if len(names) == 1 else names[-1]
        arg_types = _FUNC_ARG_TYPES.get(name, ())
        args = []
        for i, arg in enumerate(body.get("args", [])):
            literal = arg.get("A_Const")
            if literal is not None and "sval" in literal:
                label = arg_types[i] if i < len(arg_types) else "text"
                text = literal["sval"].get("sval", "")
                shown = regclass_literal(text) if label == "regclass" else quote_literal(text)
                args.append(f"{shown}::{label}")
            else:
                args.append(self.expr(arg, None))
        prefix = ".".join(names[:-1]) + "." if len(names) > 1 else ""
        return f"{prefix}{name}({', '.join(args)})"

    def _SQLValueFunction(self, body: Node, target: Type | None) -> str:
        name = _SVF.get(body["op"])
        if name is None:
            raise Unsupported(body["op"])
        if body["op"].endswith("_N"):
            return f"{name}({body.get('typmod', 0)})"  # a precision of 0 is omitted in the tree
        return name

    def _A_ArrayExpr(self, body: Node, target: Type | None) -> str:
        element = target.element if target is not None else None
        items = [self.expr(e, element) for e in body.get("elements", [])]
        return f"ARRAY[{', '.join(items)}]"

    def _ColumnRef(self, body: Node, target: Type | None) -> str:
        from dbdrift.types.postgres import quote_ident

        fields = body["fields"]
        return ".".join(quote_ident(f["String"]["sval"]) if "String" in f else "*" for f in fields)


_DATETIME_FUNCS = frozenset(
    {"now", "clock_timestamp", "statement_timestamp", "transaction_timestamp"}
)


def _is_datetime(node: Node) -> bool:
    if "SQLValueFunction" in node:
        return node["SQLValueFunction"]["op"] not in (
            "SVFOP_CURRENT_ROLE",
            "SVFOP_CURRENT_USER",
            "SVFOP_USER",
            "SVFOP_SESSION_USER",
            "SVFOP_CURRENT_CATALOG",
            "SVFOP_CURRENT_SCHEMA",
        )
    call = node.get("FuncCall")
    if call is not None:
        return call["funcname"][-1]["String"]["sval"].lower() in _DATETIME_FUNCS
    return False


def label_sql(target: Type) -> str:
    """The type label of a coerced constant: ``format_type`` without the length modifier."""
    if target.family == "array" and target.element is not None:
        return label_sql(target.element) + "[]"
    if target.family == "text" and target.length is not None:
        return "bpchar" if target.fixed else "character varying"
    if target.family == "text" and target.fixed:
        return "bpchar"
    if target.family == "numeric" and target.sql.startswith("numeric("):
        return "numeric"
    if target.family in ("timestamp", "time") and target.precision is not None:
        return re.sub(r"\(\d+\)", "", target.sql)
    if target.family == "binary" and target.sql.startswith("bit varying"):
        return "bit varying"
    if target.family == "binary" and target.sql.startswith("bit"):
        return '"bit"'  # format_type quotes a length-less bit, which would otherwise mean bit(1)
    return target.sql


_INTEGER = re.compile(r"\s*[+-]?(\d+(_\d+)*|0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+)\s*")


def _validate(value: str, target: Type, location: int | None) -> None:
    """Refuse, as the type's input function would, a literal that is not of the type."""
    family = target.family
    valid = True
    if family == "integer" and target.sql in ("smallint", "integer", "bigint"):
        valid = _INTEGER.fullmatch(value) is not None
    elif family == "numeric" and target.sql.startswith("numeric"):
        try:
            Decimal(value.strip())
        except InvalidOperation:
            valid = value.strip().lower() in ("nan", "infinity", "-infinity")
    elif family == "boolean":
        try:
            _parse_bool(value)
        except Unsupported:
            valid = False
    elif family == "uuid":
        try:
            uuid.UUID(value.strip())
        except ValueError:
            valid = False
    elif family == "json":
        try:
            json.loads(value)
        except ValueError:
            valid = False
    if not valid:
        raise InvalidLiteral(label_sql(target), value, location)


def _parse_bool(value: str) -> bool:
    text = value.strip().lower()
    if text in ("t", "tr", "tru", "true", "y", "ye", "yes", "on", "1"):
        return True
    if text in ("f", "fa", "fal", "fals", "false", "n", "no", "of", "off", "0"):
        return False
    raise Unsupported(f"boolean {value!r}")


def _normalise(value: str, target: Type) -> str:
    """The literal as the target type's output function prints it, where that is decidable."""
    family = target.family
    if family == "uuid":
        return str(uuid.UUID(value.strip()))
    if family == "json" and target.sql == "jsonb":
        return jsonb_text(value)
    if family == "date":
        day, _time = _iso_parts(value)
        return date.fromisoformat(day).isoformat()
    if family == "timestamp" and not target.timezone:
        # timestamp without time zone ignores a written zone (timestamp_in).
        day, time = _iso_parts(value)
        parsed = datetime.fromisoformat(f"{day} {time or '00:00:00'}")
        text = parsed.strftime("%Y-%m-%d %H:%M:%S")
        if parsed.microsecond:
            text += f".{parsed.microsecond:06d}".rstrip("0")
        return text
    return value


_ISO = re.compile(
    r"\s*(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?"
    r"\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?\s*"
)


def _iso_parts(value: str) -> tuple[str, str | None]:
    """The date and time of an ISO 8601 literal; anything else is not decided here."""
    match = _ISO.fullmatch(value)
    if match is None:
        raise Unsupported(f"date/time literal {value!r}")
    return match[1], match[2]


def jsonb_text(value: str) -> str:
    """``jsonb_out``: keys ordered by length then bytes, duplicates last-wins, one space after
    ``:`` and ``,``; numbers keep their written spelling."""

    def order(obj: Any) -> Any:
        if isinstance(obj, dict):
            return {k: order(obj[k]) for k in sorted(obj, key=lambda k: (len(k.encode()), k))}
        if isinstance(obj, list):
            return [order(v) for v in obj]
        return obj

    try:
        parsed = json.loads(value, parse_float=_RawNumber, parse_int=_RawNumber)
    except ValueError as exc:
        raise Unsupported("json") from exc
    return _dump(order(parsed))


class _RawNumber(str):
    """A JSON number kept as written (jsonb stores numerics and prints them back)."""


def _dump(obj: Any) -> str:
    if isinstance(obj, _RawNumber):
        return str(obj)
    if isinstance(obj, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {_dump(v)}" for k, v in obj.items()) + "}"
    if isinstance(obj, list):
        return "[" + ", ".join(_dump(v) for v in obj) + "]"
    return json.dumps(obj, ensure_ascii=False)
