"""Column definitions as PostgreSQL stores them: type, nullability, default, identity."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dbdrift.readers.sql.catalog import MutTable
from dbdrift.readers.sql.postgres import names as pg_names
from dbdrift.readers.sql.postgres.common import (
    Node,
    ReplayError,
)
from dbdrift.readers.sql.postgres.expr import InvalidLiteral, Unsupported, is_null, label_sql
from dbdrift.readers.sql.postgres.statements import (
    Statement,
)
from dbdrift.schema import Column, Origin
from dbdrift.types import Type

if TYPE_CHECKING:
    from dbdrift.readers.sql.postgres.replay import Replay


@dataclass
class BuiltColumn:
    column: Column
    serial: bool
    constraints: list[Node]


def build_column(
    replay: Replay, table: MutTable, body: Node, st: Statement, origin: Origin
) -> BuiltColumn:
    """A column definition as PostgreSQL stores it, plus its table-level constraints."""
    name = pg_names.truncate_identifier(body["colname"])
    typ, serial = replay._column_type(body["typeName"])
    nullable = not body.get("is_not_null", False)
    default: str | None = None
    identity: str | None = None
    generated: str | None = None
    constraints: list[Node] = []
    for item in body.get("constraints", []):
        constraint = item["Constraint"]
        kind = constraint["contype"]
        if kind == "CONSTR_NOTNULL":
            nullable = False
        elif kind == "CONSTR_NULL":
            nullable = True
        elif kind == "CONSTR_DEFAULT":
            raw = constraint.get("raw_expr")
            if serial:
                raise ReplayError(
                    f'multiple default values specified for column "{name}" of table "{table.name}"'
                )
            default = null_default(typ) if is_null(raw) else default_text(replay, raw, typ, st)
        elif kind == "CONSTR_IDENTITY":
            if typ.family != "integer":
                raise ReplayError(
                    "identity column type must be smallint, integer, or bigint",
                )
            identity = "always" if constraint.get("generated_when") == "a" else "by default"
            nullable = False
        elif kind == "CONSTR_GENERATED":
            generated = replay._parenthesised(st, constraint) or replay._expression_text(
                constraint["raw_expr"], st
            )
        elif kind == "CONSTR_PRIMARY":
            nullable = False
            constraints.append(constraint)
        elif kind in ("CONSTR_UNIQUE", "CONSTR_CHECK", "CONSTR_FOREIGN"):
            constraints.append(constraint)
    if serial:
        nullable = False
    column = Column(
        name=name,
        type=typ,
        nullable=nullable,
        default=default,
        identity=identity,
        generated=generated,
        origin=origin,
    )
    return BuiltColumn(column, serial is not None, constraints)


def null_default(typ: Type) -> str | None:
    """PostgreSQL drops a NULL default unless coercing it to a type modifier wraps it in a
    length-coercion call: ``varchar(500) DEFAULT NULL`` is kept as ``NULL::character varying``."""
    if re.search(r"\(\d", typ.sql) and typ.family != "array":
        return f"NULL::{label_sql(typ)}"
    return None


def default_text(replay: Replay, raw: Node, typ: Type, st: Statement) -> str:
    try:
        return replay.deparser.default(raw, typ)
    except InvalidLiteral as exc:
        raise ReplayError(str(exc), exc.location) from exc
    except (Unsupported, KeyError, ValueError):
        return replay._written(raw, st)
