"""The naming convention Alembic's operations use: ``env.py``'s ``target_metadata``
(``Base.metadata``, ``MetaData(naming_convention=...)``), followed statically into the model
files it is imported from.  Alembic builds every constraint of an operation on a
``MetaData`` carrying that convention, so ``name=None`` is named by it."""

from __future__ import annotations

import ast
from pathlib import Path, PurePosixPath

from dbdrift.readers.alembic.config import target_metadata
from dbdrift.readers.sql.text import load_text
from dbdrift.readers.sqlalchemy.model import Context
from dbdrift.readers.sqlalchemy.modules import External, Local, Module
from dbdrift.readers.sqlalchemy.tables import metadata_info

_OUTSIDE = frozenset({"sqlalchemy", "sqlmodel", "alembic", "flask_sqlalchemy", "typing"})
_MAX_LOADS = 8


def convention(ctx: Context, env: Module, root: Path, bases: list[str]) -> dict[str, str] | None:
    """The convention of ``target_metadata``, ``None`` when it has none (or is unknown).
    `bases` are the repo-relative folders Alembic puts on ``sys.path``."""
    node = target_metadata(env.tree)
    if node is None:
        return None
    loads = [0]
    return _resolve(ctx, env, node, root, bases, loads, 0)


def _resolve(
    ctx: Context,
    module: Module,
    node: ast.AST | None,
    root: Path,
    bases: list[str],
    loads: list[int],
    depth: int,
) -> dict[str, str] | None:
    if node is None or depth > 12:
        return None
    if isinstance(node, ast.Call):
        if _leaf(ctx, module, node.func) == "MetaData":
            return metadata_info(ctx, module, node)[1]
        inner = next((k.value for k in node.keywords if k.arg == "metadata"), None)
        return _resolve(ctx, module, inner, root, bases, loads, depth + 1)
    if isinstance(node, ast.Attribute) and node.attr == "metadata":
        ref = _ref(ctx, module, node.value, root, bases, loads)
        if isinstance(ref, Local) and isinstance(ref.node, ast.ClassDef):
            return _class_metadata(ctx, ref.module, ref.node, root, bases, loads, depth)
        if isinstance(ref, Local) and ref.node is not None:
            return _resolve(ctx, ref.module, ref.node, root, bases, loads, depth + 1)
        return None
    if isinstance(node, ast.Name | ast.Attribute):
        ref = _ref(ctx, module, node, root, bases, loads)
        if isinstance(ref, Local) and ref.node is not None:
            return _resolve(ctx, ref.module, ref.node, root, bases, loads, depth + 1)
    return None


def _class_metadata(
    ctx: Context,
    module: Module,
    cls: ast.ClassDef,
    root: Path,
    bases: list[str],
    loads: list[int],
    depth: int,
) -> dict[str, str] | None:
    """``class Base(DeclarativeBase): metadata = MetaData(...)``, or a base class's."""
    for stmt in cls.body:
        target = stmt.targets[0] if isinstance(stmt, ast.Assign) and stmt.targets else None
        if isinstance(stmt, ast.AnnAssign):
            target = stmt.target
        if isinstance(target, ast.Name) and target.id == "metadata":
            value = stmt.value if isinstance(stmt, ast.Assign | ast.AnnAssign) else None
            return _resolve(ctx, module, value, root, bases, loads, depth + 1)
    for base in cls.bases:
        ref = _ref(ctx, module, base, root, bases, loads)
        if isinstance(ref, Local) and isinstance(ref.node, ast.ClassDef):
            return _class_metadata(ctx, ref.module, ref.node, root, bases, loads, depth + 1)
        if isinstance(ref, Local) and isinstance(ref.node, ast.Call):
            return _resolve(ctx, ref.module, ref.node, root, bases, loads, depth + 1)
    return None


def _leaf(ctx: Context, module: Module, node: ast.AST) -> str | None:
    ref = ctx.index.resolve(module, node)
    return ref.leaf if isinstance(ref, External) else None


def _ref(
    ctx: Context, module: Module, node: ast.AST, root: Path, bases: list[str], loads: list[int]
) -> External | Local | None:
    """What `node` names, loading (reading, not importing) the model file it comes from
    when that file is not yet known."""
    ref = ctx.index.resolve(module, node)
    while isinstance(ref, External) and ref.root not in _OUTSIDE and loads[0] < _MAX_LOADS:
        loads[0] += 1
        if not _load(ctx, ref.dotted, root, bases):
            return ref
        ref = ctx.index.resolve(module, node)
    return ref


def _load(ctx: Context, dotted: str, root: Path, bases: list[str]) -> bool:
    """Add the file defining module `dotted` (or its parent, for ``pkg.module.Name``)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        stem = "/".join(parts[:cut])
        for base in bases:
            for candidate in (f"{stem}.py", f"{stem}/__init__.py"):
                relative = PurePosixPath(base, candidate).as_posix().removeprefix("./")
                if any(m.path == relative for m in ctx.index.modules):
                    continue
                if (root / relative).is_file():
                    text, error = load_text(root, relative)
                    if text is None or error is not None:
                        return False
                    ctx.index.add(relative, text)
                    return True
    return False
