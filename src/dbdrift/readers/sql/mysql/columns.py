"""Column definitions: the type (through MariaDB's type table), NOT NULL, the DEFAULT as
MariaDB stores it, AUTO_INCREMENT, and the keys, foreign key and check a column declares
inline; plus what MariaDB's parser refuses in a column before it looks at any table."""

from __future__ import annotations

import re
from dataclasses import replace

from sqlglot import exp

from dbdrift.readers.sql.mysql.common import FLAVOUR, Refused, int_value, name_of
from dbdrift.readers.sql.mysql.defaults import default_sql
from dbdrift.readers.sql.mysql.elements import Pending, add_fk, check_of
from dbdrift.readers.sql.mysql.model import MyCheck, MyCol, MyKey
from dbdrift.schema import Origin
from dbdrift.types import Type
from dbdrift.types import mysql as mytypes


def _column_type(
    kind: exp.DataType | None, constraints: list[exp.Expression], bpc: int | None
) -> tuple[Type, int]:
    """The column's type, and the bytes per character of its character set."""
    if kind is None:
        raise Refused("syntax error (MariaDB error 1064): column without a type")
    name = kind.this.name if hasattr(kind.this, "name") else str(kind.this)
    params: list[int] = []
    values: list[str] = []
    for p in kind.expressions:
        if isinstance(p, exp.Literal) and p.is_string:
            values.append(p.this)
        else:
            n = int_value(p)
            if n is not None:
                params.append(n)
    zerofill = any(
        isinstance(c.args.get("kind"), exp.ZeroFillColumnConstraint) for c in constraints
    )
    for c in constraints:
        k = c.args.get("kind")
        if isinstance(k, exp.CharacterSetColumnConstraint):
            bpc = mytypes.CHARSET_BYTES.get(k.name.lower(), bpc)
        elif isinstance(k, exp.CollateColumnConstraint):
            bpc = mytypes.CHARSET_BYTES.get(k.name.lower().split("_")[0], bpc)
    if name == "SERIAL":
        name = "UBIGINT"
    typ = mytypes.column_type(
        name,
        tuple(params),
        tuple(values),
        zerofill=zerofill,
        bytes_per_char=bpc,
        flavour_name=FLAVOUR,
    )
    if typ is None:
        if name in ("VARCHAR", "NVARCHAR", "VARBINARY"):
            raise Refused("syntax error (MariaDB error 1064): VARCHAR needs a length")
        typ = Type("other", kind.sql(dialect="mysql").lower())
    return typ, bpc or mytypes.FLAVOURS[FLAVOUR].bytes_per_char


def read_column(cd: exp.ColumnDef, origin: Origin, bpc: int | None, out: Pending) -> MyCol:
    """A column definition, with the keys, foreign key and check it declares inline."""
    name = name_of(cd.this)
    constraints = list(cd.args.get("constraints") or [])
    kind = cd.args.get("kind")
    typ, width = _column_type(kind, constraints, bpc)
    col = MyCol(name, typ, True, None, False, None, origin, bytes_per_char=width)
    is_serial = kind is not None and getattr(kind.this, "name", "") == "SERIAL"
    if is_serial:
        col.nullable, col.auto_increment = False, True
        out.keys.append(MyKey(None, "unique", [(name, None)], origin))
    explicit_default: exp.Expression | None = None
    for c in constraints:
        k = c.args.get("kind")
        if isinstance(k, exp.NotNullColumnConstraint):
            col.nullable = bool(k.args.get("allow_null"))
        elif isinstance(k, exp.DefaultColumnConstraint):
            explicit_default = k.this
        elif isinstance(k, exp.AutoIncrementColumnConstraint):
            col.auto_increment = True
        elif isinstance(k, exp.PrimaryKeyColumnConstraint):
            out.keys.append(MyKey("PRIMARY", "primary", [(name, None)], origin))
        elif isinstance(k, exp.UniqueColumnConstraint):
            out.keys.append(MyKey(None, "unique", [(name, None)], origin))
        elif isinstance(k, exp.CheckColumnConstraint):
            if c.args.get("this") is not None:
                # MariaDB's grammar has no CONSTRAINT <name> before a column's CHECK.
                raise Refused(
                    f"syntax error (MariaDB error 1064): CONSTRAINT {name_of(c.this)} CHECK "
                    f"on column '{name}' (name a check at the table level)"
                )
            col.check = check_of(k, name, origin)
        elif isinstance(k, exp.Reference):
            add_fk([name], k, None, origin, out, None, None)
        elif isinstance(k, exp.ComputedColumnConstraint):
            col.generated = k.this.sql(dialect="mysql") if k.this is not None else ""
    inline_primary = any(
        isinstance(c.args.get("kind"), exp.PrimaryKeyColumnConstraint) for c in constraints
    )
    _check_specifier(name, typ, col.auto_increment, inline_primary, explicit_default)
    if explicit_default is not None:
        col.default = default_sql(explicit_default, typ)
        if col.default is None and not col.nullable and not col.auto_increment:
            raise Refused(f"Invalid default value for '{name}' (MariaDB error 1067)")
        if col.default is not None and not mytypes.valid_default(col.default, typ):
            raise Refused(f"Invalid default value for '{name}' (MariaDB error 1067)")
        literal = explicit_default
        if (
            isinstance(literal, exp.Literal)
            and literal.is_string
            and typ.family == "text"
            and typ.length is not None
            and len(literal.this) > typ.length
        ):  # strict mode: a default that does not fit
            raise Refused(f"Invalid default value for '{name}' (MariaDB error 1067)")
        if (
            isinstance(explicit_default, exp.Literal)
            and explicit_default.is_string
            and typ.family
            in (
                "integer",
                "numeric",
                "float",
                "boolean",
            )
            and not _numeric_text(explicit_default.this)
        ):
            raise Refused(f"Invalid default value for '{name}' (MariaDB error 1067)")
    if (
        typ.family == "text"
        and typ.sql == "longtext"
        and col.check is not None
        and col.check.expression.replace(" ", "").lower() == f"json_valid(`{name.lower()}`)"
        and mytypes.FLAVOURS[FLAVOUR].json_check
    ):
        # The same column MariaDB makes of JSON: the catalog cannot tell them apart.
        col.type = typ = replace(typ, family="json")
    if typ.family == "json" and col.check is None and mytypes.FLAVOURS[FLAVOUR].json_check:
        # MariaDB: JSON is LONGTEXT with CHECK (json_valid(`col`)) named after the column.
        col.check = MyCheck(name, f"json_valid(`{name}`)", frozenset({name.lower()}), origin)
    return col


_NUMERIC = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*\Z")


def _numeric_text(text: str) -> bool:
    return bool(_NUMERIC.match(text))


def check_column_specifiers(schema: exp.Expression) -> None:
    """What MariaDB's parser refuses before it looks for the table (Column_definition::check),
    so even CREATE TABLE IF NOT EXISTS of a table that exists fails on it."""
    for cd in schema.expressions if isinstance(schema, exp.Schema) else []:
        if not isinstance(cd, exp.ColumnDef):
            continue
        constraints = list(cd.args.get("constraints") or [])
        kinds = [c.args.get("kind") for c in constraints]
        auto = any(isinstance(k, exp.AutoIncrementColumnConstraint) for k in kinds)
        primary = any(isinstance(k, exp.PrimaryKeyColumnConstraint) for k in kinds)
        defaults = [k.this for k in kinds if isinstance(k, exp.DefaultColumnConstraint)]
        if auto or primary:
            typ, _ = _column_type(cd.args.get("kind"), constraints, None)
            default = defaults[-1] if defaults else None
            _check_specifier(name_of(cd.this), typ, auto, primary, default)
        nulls = [k for k in kinds if isinstance(k, exp.NotNullColumnConstraint)]
        not_null = bool(nulls) and not nulls[-1].args.get("allow_null")  # the last one wins
        if not_null and not auto and defaults and isinstance(defaults[-1], exp.Null):
            raise Refused(f"Invalid default value for '{name_of(cd.this)}' (MariaDB error 1067)")


def _check_specifier(
    name: str, typ: Type, auto_increment: bool, primary: bool, default: exp.Expression | None
) -> None:
    """AUTO_INCREMENT only on numbers (1063) and with no default but NULL (1067); an inline
    PRIMARY KEY cannot have DEFAULT NULL (1067)."""
    is_null = isinstance(default, exp.Null) or (
        isinstance(default, exp.Paren) and isinstance(default.this, exp.Null)
    )
    if auto_increment and typ.family not in ("integer", "boolean", "float"):
        raise Refused(f"Incorrect column specifier for column '{name}' (MariaDB error 1063)")
    if (auto_increment and default is not None and not is_null) or (
        primary and is_null and not auto_increment
    ):
        raise Refused(f"Invalid default value for '{name}' (MariaDB error 1067)")
