"""Table elements of CREATE TABLE and ALTER TABLE ... ADD (primary and unique keys,
indexes, foreign keys, checks), read from sqlglot into `Pending`: what one statement adds
besides columns, held until the whole definition is checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from dbdrift.readers.sql.mysql.common import Refused, int_value, name_of
from dbdrift.readers.sql.mysql.model import MyCheck, MyFk, MyKey
from dbdrift.schema import Origin


@dataclass
class Pending:
    """What one statement adds besides columns: keys, foreign keys, checks."""

    keys: list[MyKey] = field(default_factory=list)
    fks: list[MyFk] = field(default_factory=list)
    checks: list[MyCheck] = field(default_factory=list)


def _index_parts(expressions: list[exp.Expression]) -> list[tuple[str, int | None]]:
    parts: list[tuple[str, int | None]] = []
    for e in expressions:
        node = e.this if isinstance(e, exp.Ordered) else e
        if isinstance(node, exp.ColumnPrefix):
            parts.append((name_of(node.this), int_value(node.expression)))
        elif isinstance(node, exp.Column | exp.Identifier):
            parts.append((name_of(node), None))
        elif isinstance(node, exp.Paren) and isinstance(node.this, exp.Column):
            parts.append((name_of(node.this), None))
        else:
            raise Refused(
                "syntax error (MariaDB error 1064): MariaDB indexes columns, not expressions "
                f"({node.sql(dialect='mysql')})"
            )
    return parts


def check_of(e: exp.CheckColumnConstraint, name: str | None, origin: Origin) -> MyCheck:
    """A CHECK constraint, with the columns its expression uses."""
    body = e.this
    columns = frozenset(c.name.lower() for c in body.find_all(exp.Column)) if body else frozenset()
    return MyCheck(name or "", body.sql(dialect="mysql") if body else "", columns, origin)


def read_element(
    e: exp.Expression, origin: Origin, out: Pending, constraint: str | None = None
) -> None:
    """A table-level element of CREATE TABLE or ALTER TABLE ADD."""
    if isinstance(e, exp.Constraint):
        for inner in e.expressions:
            read_element(inner, origin, out, name_of(e.this) or None)
        return
    if isinstance(e, exp.PrimaryKey | exp.PrimaryKeyColumnConstraint):
        out.keys.append(MyKey("PRIMARY", "primary", _index_parts(list(e.expressions)), origin))
        return
    if isinstance(e, exp.UniqueColumnConstraint):
        schema = e.this
        cols = list(schema.expressions) if isinstance(schema, exp.Schema) else []
        name = name_of(schema.this) if isinstance(schema, exp.Schema) and schema.this else None
        out.keys.append(MyKey(name or constraint, "unique", _index_parts(cols), origin))
        return
    if isinstance(e, exp.IndexColumnConstraint):
        kind = str(e.args.get("kind") or "").lower()
        kind = kind if kind in ("fulltext", "spatial") else "index"
        name = name_of(e.this) or None
        out.keys.append(MyKey(name, kind, _index_parts(list(e.expressions)), origin))
        return
    if isinstance(e, exp.ForeignKey):
        _foreign_key(e, origin, out, constraint)
        return
    if isinstance(e, exp.CheckColumnConstraint):
        out.checks.append(check_of(e, constraint, origin))
        return
    raise Refused(f"unsupported table element: {e.sql(dialect='mysql')[:80]}")


def _foreign_key(e: exp.ForeignKey, origin: Origin, out: Pending, constraint: str | None) -> None:
    columns = [name_of(c) for c in e.expressions]
    index_name = name_of(e.this) or None if e.args.get("this") is not None else None
    reference = e.args.get("reference")
    add_fk(columns, reference, e, origin, out, constraint, index_name)


def add_fk(
    columns: list[str],
    reference: exp.Reference | None,
    fk: exp.Expression | None,
    origin: Origin,
    out: Pending,
    constraint: str | None,
    index_name: str | None,
) -> None:
    """A foreign key and the index InnoDB generates behind it."""
    target = reference.this if reference is not None else None
    if isinstance(target, exp.Schema):
        ref_table = name_of(target.this)
        ref_columns = [name_of(c) for c in target.expressions]
    else:
        ref_table = name_of(target) if target is not None else ""
        ref_columns = []
    if not ref_table:
        raise Refused("syntax error (MariaDB error 1064): REFERENCES without a table")
    if len(ref_columns) != len(columns):
        raise Refused(
            f"Incorrect foreign key definition for '{constraint or columns[0]}': Key reference "
            "and table reference don't match (MariaDB error 1239)"
        )
    on_delete, on_update = _fk_actions(reference, fk)
    # sql_yacc.yy: the supporting key is named after the constraint, else the index name;
    # the constraint after the constraint name, else the index name, else <table>_ibfk_<n>.
    key_name = constraint or index_name
    out.keys.append(MyKey(key_name, "index", [(c, None) for c in columns], origin, generated=True))
    out.fks.append(
        MyFk(
            constraint or index_name, columns, ref_table, ref_columns, on_delete, on_update, origin
        )
    )


_ACTIONS = {
    "CASCADE": "CASCADE",
    "SET NULL": "SET NULL",
    "RESTRICT": "RESTRICT",
    "NO ACTION": "NO ACTION",
    "SET DEFAULT": "SET DEFAULT",
}

# MariaDB reports an action that was not written as RESTRICT (InnoDB's default).
DEFAULT_ACTION = "RESTRICT"


def _fk_actions(reference: exp.Reference | None, fk: exp.Expression | None) -> tuple[str, str]:
    on_delete = on_update = DEFAULT_ACTION
    options: list[Any] = list(reference.args.get("options") or []) if reference else []
    for opt in options:
        text = (opt if isinstance(opt, str) else opt.sql()).upper().split()
        if len(text) >= 3 and text[0] == "ON":
            action = _ACTIONS.get(" ".join(text[2:]))
            if action and text[1] == "DELETE":
                on_delete = action
            elif action and text[1] == "UPDATE":
                on_update = action
    if fk is not None:
        for arg, target in (("delete", "d"), ("update", "u")):
            value = fk.args.get(arg)
            if value:
                action = _ACTIONS.get(str(value).upper())
                if action and target == "d":
                    on_delete = action
                elif action:
                    on_update = action
    return on_delete, on_update
