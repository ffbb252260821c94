"""One revision's ``upgrade()``, statement by statement: ``op.*`` calls, batch blocks,
enum ``create``/``drop`` calls, names bound for later use, and dialect branches
(``if op.get_context().dialect.name == "postgresql":``) decided for the source's dialect.
What cannot be decided statically is a located note, and that statement is skipped."""

from __future__ import annotations

import ast

from dbdrift.readers.alembic.batch import Batch, batch_of
from dbdrift.readers.alembic.ops import Emitter
from dbdrift.readers.alembic.values import Dynamic, Scope, value


def replay_upgrade(emitter: Emitter, scope: Scope, dialect: str) -> None:
    """Every statement of the script's ``upgrade()`` (notes if it has none)."""
    upgrade = next(
        (
            s
            for s in scope.module.tree.body
            if isinstance(s, ast.FunctionDef) and s.name == "upgrade"
        ),
        None,
    )
    if upgrade is None:
        emitter.note(scope, scope.module.tree, "alembic-revision", "no upgrade() function")
        return
    _block(emitter, scope, upgrade.body, dialect, None)


def _block(
    emitter: Emitter, scope: Scope, body: list[ast.stmt], dialect: str, batch: Batch | None
) -> bool:
    """Replay `body`; ``False`` once a ``return`` ends the function."""
    for stmt in body:
        if isinstance(stmt, ast.Return):
            return False
        if isinstance(stmt, ast.Pass) or (
            isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
        ):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            _call(emitter, scope, stmt.value, batch)
        elif isinstance(stmt, ast.With):
            if not _with(emitter, scope, stmt, dialect, batch):
                return False
        elif isinstance(stmt, ast.If):
            taken = _condition(scope, stmt.test, dialect)
            if taken is None:
                message = f"condition `{ast.unparse(stmt.test)}` not read statically; skipped"
                emitter.note(scope, stmt, "alembic-dynamic", message)
                continue
            if not _block(emitter, scope, stmt.body if taken else stmt.orelse, dialect, batch):
                return False
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            _assign(emitter, scope, stmt.targets[0], stmt.value, batch)
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            _assign(emitter, scope, stmt.target, stmt.value, batch)
        else:
            kind = type(stmt).__name__.lower()
            message = f"a `{kind}` statement in upgrade() is not read statically; skipped"
            emitter.note(scope, stmt, "alembic-dynamic", message)
    return True


def _assign(
    emitter: Emitter, scope: Scope, target: ast.AST, node: ast.AST, batch: Batch | None
) -> None:
    """``mood = postgresql.ENUM(...)``, ``bind = op.get_bind()``: remembered for later
    statements; an ``op.*`` call on the right is replayed as well."""
    func = node.func if isinstance(node, ast.Call) else None
    replayed = isinstance(func, ast.Attribute) and func.attr not in ("get_bind", "get_context", "f")
    if replayed and scope.external(func.value) == "alembic.op":  # type: ignore[union-attr]
        _call(emitter, scope, node, batch)  # type: ignore[arg-type]
    if isinstance(target, ast.Name):
        scope.env[target.id] = node


def _with(
    emitter: Emitter, scope: Scope, stmt: ast.With, dialect: str, batch: Batch | None
) -> bool:
    inner = batch
    opened: list[Batch] = []
    for item in stmt.items:
        try:
            found = batch_of(scope, item)
        except Dynamic as exc:
            emitter.note(scope, stmt, "alembic-dynamic", f"batch_alter_table: {exc}; skipped")
            return True
        if found is not None:
            opened.append(found)
            emitter.begin_batch(found)
        inner = found or inner
    going = _block(emitter, scope, stmt.body, dialect, inner)
    for found in reversed(opened):
        emitter.end_batch(scope, stmt, found)
    return going


def _call(emitter: Emitter, scope: Scope, call: ast.Call, batch: Batch | None) -> None:
    func = call.func
    if not isinstance(func, ast.Attribute):
        name = ast.unparse(func)
        message = f"call of `{name}` in upgrade() is not followed; its operations are not read"
        emitter.note(scope, call, "alembic-dynamic", message)
        return
    if batch is not None and isinstance(func.value, ast.Name) and func.value.id == batch.var:
        emitter.op(scope, func.attr, call, (batch.table, batch.schema))
        return
    if scope.external(func.value) in ("alembic.op", "alembic.context"):
        emitter.op(scope, func.attr, call, None)
        return
    if func.attr in ("create", "drop") and emitter.enum_call(scope, call, func.attr):
        return
    message = f"call of `{ast.unparse(func)}` in upgrade() is not modelled; skipped"
    emitter.note(scope, call, "alembic-dynamic", message)


# -- dialect branches -----------------------------------------------------------------

# SQLAlchemy's dialect names per source dialect (``mariadb`` is MySQL's on MariaDB servers).
_NAMES = {"postgresql": {"postgresql"}, "mysql": {"mysql", "mariadb"}, "sqlite": {"sqlite"}}


def _condition(scope: Scope, node: ast.AST, dialect: str) -> bool | None:
    """The value of an ``if`` test on the dialect name, ``None`` when it is about
    something else."""
    if isinstance(node, ast.BoolOp):
        parts = [_condition(scope, v, dialect) for v in node.values]
        if isinstance(node.op, ast.And):
            return False if False in parts else (None if None in parts else True)
        return True if True in parts else (None if None in parts else False)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _condition(scope, node.operand, dialect)
        return None if inner is None else not inner
    func = node.func if isinstance(node, ast.Call) else None
    if isinstance(func, ast.Attribute) and func.attr == "is_offline_mode":
        return False  # the oracle (and a database) runs online
    if not isinstance(node, ast.Compare) or len(node.ops) != 1:
        return None
    left, right = scope.substitute(node.left), scope.substitute(node.comparators[0])
    if not _is_dialect_name(left):
        left, right = right, left
    if not _is_dialect_name(left):
        return None
    try:
        wanted = value(scope, right)
    except Dynamic:
        return None
    names = _NAMES.get(dialect, {dialect})
    op = node.ops[0]
    if isinstance(op, ast.Eq | ast.NotEq) and isinstance(wanted, str):
        return (wanted in names) == isinstance(op, ast.Eq)
    if isinstance(op, ast.In | ast.NotIn) and isinstance(wanted, list):
        return bool(names & set(wanted)) == isinstance(op, ast.In)
    return None


def _is_dialect_name(node: ast.AST) -> bool:
    """``<bind or context>.dialect.name`` / ``.engine.name``, the bind or context coming
    from ``op.get_bind()`` / ``op.get_context()`` / ``context.get_context()``."""
    if not (isinstance(node, ast.Attribute) and node.attr == "name"):
        return False
    owner = node.value
    if not (isinstance(owner, ast.Attribute) and owner.attr in ("dialect", "engine")):
        return False
    return any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in ("get_bind", "get_context")
        for n in ast.walk(owner.value)
    )
