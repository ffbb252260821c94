"""``with op.batch_alter_table("t") as batch_op:`` blocks.

On PostgreSQL and MySQL (``recreate="auto"``) Alembic's batch mode does not copy the table:
each ``batch_op.*`` call is the plain operation on the batch's table, in order, so the block
is replayed as those operations (ops.BATCH_SIGNATURES gives their parameters).  On SQLite
the block is kept until it ends and may become a "move and copy" (dialects.py)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from dbdrift.readers.alembic.values import Dynamic, Scope, optional_text, text


@dataclass(frozen=True, slots=True)
class Batch:
    """The table of a batch block and the name its operations object is bound to."""

    table: str
    schema: str | None
    var: str | None
    recreate: str = "auto"


def batch_of(scope: Scope, item: ast.withitem) -> Batch | None:
    """The batch a ``with`` item opens, ``None`` when it is not ``op.batch_alter_table``.
    Raises `Dynamic` when the table name has no static value."""
    call = item.context_expr
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
        return None
    if call.func.attr != "batch_alter_table" or scope.external(call.func.value) != "alembic.op":
        return None
    table = call.args[0] if call.args else _kw(call, "table_name")
    schema = call.args[1] if len(call.args) > 1 else _kw(call, "schema")
    var = item.optional_vars.id if isinstance(item.optional_vars, ast.Name) else None
    if table is None:
        raise Dynamic("batch_alter_table without a table")
    recreate = optional_text(scope, _kw(call, "recreate")) or "auto"
    return Batch(text(scope, table), optional_text(scope, schema), var, recreate)


def _kw(call: ast.Call, name: str) -> ast.AST | None:
    return next((k.value for k in call.keywords if k.arg == name), None)
