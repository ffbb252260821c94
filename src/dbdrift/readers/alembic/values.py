"""Static values of ``op.*`` arguments: literals, ``op.f("name")``, ``sa.text("...")`` and
names bound to them (in ``upgrade()`` or at the top of the script).  Anything else raises
`Dynamic`, which the caller turns into a located note and skips the op."""

from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass, field

from dbdrift.readers.sqlalchemy.modules import External, Index, Local, Module


class Dynamic(ValueError):
    """An argument computed at run time: the message names it."""


@dataclass
class Scope:
    """One revision script being replayed: its module and the names ``upgrade()`` bound."""

    index: Index
    module: Module
    env: dict[str, ast.AST] = field(default_factory=dict)
    # Substituted copies live as long as the read: the SQLAlchemy reader remembers types by
    # the id of their node, and a freed copy's id could be reused by another node.
    keep: list[ast.AST] = field(default_factory=list)

    def substitute(self, node: ast.AST) -> ast.AST:
        """`node` with the names bound in ``upgrade()`` replaced by what they were bound to,
        so the SQLAlchemy reader (which only knows module-level names) can read it."""
        if not self.env or not any(
            isinstance(n, ast.Name) and n.id in self.env for n in ast.walk(node)
        ):
            return node
        env = self.env

        class Swap(ast.NodeTransformer):
            def visit_Name(self, name: ast.Name) -> ast.AST:
                bound = env.get(name.id)
                return ast.copy_location(copy.deepcopy(bound), name) if bound else name

        swapped = Swap().visit(copy.deepcopy(node))
        self.keep.append(swapped)
        return swapped

    def external(self, node: ast.AST) -> str | None:
        """The dotted name of something from outside the repository (``alembic.op.f``)."""
        ref = self.index.resolve(self.module, node)
        return ref.dotted if isinstance(ref, External) else None

    def leaf(self, node: ast.AST) -> str | None:
        dotted = self.external(node)
        return dotted.rpartition(".")[2] if dotted else None


def value(scope: Scope, node: ast.AST, depth: int = 0) -> object:
    """A literal, ``op.f(...)`` / ``sa.text(...)`` around one, or a name bound to one."""
    if depth > 10:
        raise Dynamic(f"`{ast.unparse(node)}` nests too deep")
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple | ast.List):
        return [value(scope, e, depth + 1) for e in node.elts]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = value(scope, node.operand, depth + 1)
        if isinstance(inner, int | float):
            return -inner
    if isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords:
        func = node.func
        named_f = isinstance(func, ast.Attribute) and func.attr == "f"  # op.f / batch_op.f
        if named_f or scope.leaf(func) in ("f", "text", "literal_column", "conv"):
            return value(scope, node.args[0], depth + 1)
    if isinstance(node, ast.Name):
        if node.id in scope.env:
            return value(scope, scope.env[node.id], depth + 1)
        ref = scope.index.resolve(scope.module, node)
        if isinstance(ref, Local) and ref.node is not None:
            inner = Scope(scope.index, ref.module)
            return value(inner, ref.node, depth + 1)
    raise Dynamic(f"`{ast.unparse(node)}` has no static value")


def text(scope: Scope, node: ast.AST | None) -> str:
    found = value(scope, node) if node is not None else None
    if not isinstance(found, str):
        raise Dynamic(f"`{ast.unparse(node) if node else 'None'}` is not a static string")
    return found


def optional_text(scope: Scope, node: ast.AST | None) -> str | None:
    if node is None:
        return None
    found = value(scope, node)
    if found is not None and not isinstance(found, str):
        raise Dynamic(f"`{ast.unparse(node)}` is not a static string")
    return found


def names(scope: Scope, node: ast.AST | None) -> list[str]:
    """A list of column names (a lone string is one name)."""
    found = value(scope, node) if node is not None else None
    if isinstance(found, str):
        return [found]
    if isinstance(found, list) and all(isinstance(n, str) for n in found):
        return found
    raise Dynamic(f"`{ast.unparse(node) if node else 'None'}` is not a list of names")


def flag(scope: Scope, node: ast.AST | None, default: object = None) -> object:
    return default if node is None else value(scope, node)


_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")


def is_identifier(name: str) -> bool:
    return bool(_IDENTIFIER.match(name))
