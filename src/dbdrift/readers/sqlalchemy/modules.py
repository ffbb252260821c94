"""The source's Python files, parsed once with `ast`, and names resolved across them.

A name in a model file is either defined in the repository (a class, an assignment, possibly
in another file reached through ``from .db import Base`` or ``from app.db import Base``) or
comes from outside (``sqlalchemy.Column``).  `Index.resolve` answers which, following
imports between the source's files; nothing is ever imported or executed.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from dbdrift.schema import Error, Note, Origin


@dataclass(frozen=True, slots=True)
class External:
    """A name from outside the repository, by its dotted path (``sqlalchemy.orm.Mapped``)."""

    dotted: str
    leaf: str = field(init=False, compare=False, repr=False)  # ``Mapped``
    root: str = field(init=False, compare=False, repr=False)  # ``sqlalchemy``

    def __post_init__(self) -> None:
        object.__setattr__(self, "leaf", self.dotted.rpartition(".")[2])
        object.__setattr__(self, "root", self.dotted.partition(".")[0])


@dataclass(frozen=True, slots=True)
class Local:
    """A top-level definition in one of the source's files: a class, a function or the value
    assigned to the name (``node``), or a whole module (``node`` is ``None``)."""

    module: Module
    name: str
    node: ast.AST | None


Ref = External | Local


@dataclass(eq=False)
class Module:
    path: str
    dotted: str
    tree: ast.Module
    defs: dict[str, ast.AST] = field(default_factory=dict)
    imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    stars: list[str] = field(default_factory=list)  # modules of ``from x import *``


def module_name(path: str) -> str:
    parts = list(PurePosixPath(path).with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.dotted.split(".")
    is_package = module.path.endswith("__init__.py")
    keep = len(package) - node.level + (1 if is_package else 0)
    base = package[: max(keep, 0)]
    return ".".join(base + ([node.module] if node.module else []))


def _collect(module: Module) -> None:
    for stmt in module.tree.body:
        if isinstance(stmt, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            module.defs[stmt.name] = stmt
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    module.defs[target.id] = stmt.value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            if stmt.value is not None:
                module.defs[stmt.target.id] = stmt.value
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    module.imports[alias.asname] = (alias.name, None)
                else:
                    root = alias.name.partition(".")[0]
                    module.imports[root] = (root, None)
        elif isinstance(stmt, ast.ImportFrom):
            source = _absolute(module, stmt)
            for alias in stmt.names:
                if alias.name == "*":
                    module.stars.append(source)
                else:
                    module.imports[alias.asname or alias.name] = (source, alias.name)


@dataclass
class Index:
    """Every parsed module of one source, by dotted name, and the syntax errors met."""

    modules: list[Module] = field(default_factory=list)
    by_name: dict[str, Module] = field(default_factory=dict)
    errors: list[Error] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    dialect: str = "postgresql"  # the source's: how types are spelled
    _found: dict[str, Module | None] = field(default_factory=dict)
    _names: dict[tuple[str, str], Ref | None] = field(default_factory=dict)

    def add(self, path: str, text: str) -> None:
        try:
            tree = ast.parse(text, filename=path)
        except SyntaxError as exc:
            tree = _newer_syntax(path, text)
            if tree is None:
                message = f"Python syntax error: {exc.msg}"
                self.errors.append(Error(message, Origin(path, exc.lineno or 1), exc.offset))
                return
            running = f"{sys.version_info.major}.{sys.version_info.minor}"
            message = (
                f"syntax newer than Python {running} ({exc.msg}): type parameters and "
                "`type` aliases were rewritten with libcst, lines kept, before reading"
            )
            self.notes.append(Note("sqlalchemy-syntax", message, Origin(path, exc.lineno or 1)))
        module = Module(path, module_name(path), tree)
        _collect(module)
        self.modules.append(module)
        self.by_name[module.dotted] = module
        self._found.clear()
        self._names.clear()

    def find(self, dotted: str) -> Module | None:
        """The module called `dotted`, also when the source's paths carry a prefix
        (``src/app/db.py`` answers ``app.db``)."""
        if dotted in self._found:
            return self._found[dotted]
        found = self.by_name.get(dotted)
        if found is None and dotted:
            suffix = "." + dotted
            matches = [m for name, m in self.by_name.items() if name.endswith(suffix)]
            found = matches[0] if len(matches) == 1 else None
        self._found[dotted] = found
        return found

    def lookup(self, module: Module, name: str, seen: frozenset = frozenset()) -> Ref | None:
        """What `name` means at the top level of `module` (remembered: model files ask
        for ``Column`` and ``String`` thousands of times)."""
        key = (module.dotted, name)
        if not seen:
            found = self._names.get(key, _MISSING)
            if found is not _MISSING:
                return found  # type: ignore[return-value]
        found = self._lookup(module, name, seen)
        if not seen:
            self._names[key] = found
        return found

    def _lookup(self, module: Module, name: str, seen: frozenset) -> Ref | None:
        key = (module.dotted, name)
        if key in seen:
            return None  # a circular import
        seen = seen | {key}
        if name in module.defs:
            return Local(module, name, module.defs[name])
        if name not in module.imports:
            if name in _BUILTINS:
                return External(f"builtins.{name}")
            return self._star(module, name, seen)
        source, attr = module.imports[name]
        target = self.find(source)
        if attr is None:
            return Local(target, name, None) if target else External(source)
        if target is not None:
            found = self.lookup(target, attr, seen)
            if found is not None:
                return found
            submodule = self.find(f"{source}.{attr}")
            return Local(submodule, attr, None) if submodule else None
        submodule = self.find(f"{source}.{attr}")
        if submodule is not None:
            return Local(submodule, attr, None)
        return External(f"{source}.{attr}")

    def _star(self, module: Module, name: str, seen: frozenset) -> Ref | None:
        """``from .base import *`` / ``from sqlalchemy import *``: the last star import
        that can hold `name` (a module of the source that defines it, or a package)."""
        for source in reversed(module.stars):
            target = self.find(source)
            if target is None:
                return External(f"{source}.{name}")
            found = self.lookup(target, name, seen)
            if found is not None:
                return found
        return None

    def resolve(self, module: Module, node: ast.AST) -> Ref | None:
        """What an expression naming something (``Column``, ``sa.Column``, ``db.Model``) is."""
        if isinstance(node, ast.Name):
            return self.lookup(module, node.id)
        if not isinstance(node, ast.Attribute):
            return None
        base = self.resolve(module, node.value)
        if isinstance(base, External):
            return External(f"{base.dotted}.{node.attr}")
        if isinstance(base, Local) and base.node is None:
            return self.lookup(base.module, node.attr)
        if isinstance(base, Local) and _is_flask_db(self, base):
            return External(f"flask_sqlalchemy.db.{node.attr}")
        if isinstance(base, Local) and isinstance(base.node, ast.Call):
            # a method of an object made from outside: registry().generate_base
            maker = self.resolve(base.module, base.node.func)
            if isinstance(maker, External):
                return External(f"{maker.dotted}().{node.attr}")
        return None


def _newer_syntax(path: str, text: str) -> ast.Module | None:
    """A file this interpreter cannot parse, read as Python 3.12 would once PEP 695's syntax
    is taken out: ``type Money = Numeric`` becomes ``Money = Numeric`` and the ``[T]`` of
    ``class User[T](Base):`` and ``def f[T]()`` is blanked (a line break in it kept as a
    backslash continuation), so every line stays where it was.  ``None`` without libcst, or
    when the file has another syntax error."""
    try:
        import libcst as cst
        from libcst.metadata import MetadataWrapper, PositionProvider
    except ImportError:
        return None
    try:
        wrapper = MetadataWrapper(cst.parse_module(text))
    except Exception:  # libcst's ParserSyntaxError, or a recursion it could not handle
        return None
    positions = wrapper.resolve(PositionProvider)
    spans: list[tuple[Any, Any, bool]] = []  # (start, end, drop) in (line, column)

    def blank(node: Any) -> None:
        if node is not None:
            where = positions[node]
            spans.append((where.start, where.end, False))

    class Finder(cst.CSTVisitor):
        def visit_TypeAlias(self, node: Any) -> None:
            spans.append((positions[node].start, positions[node.name].start, True))
            blank(node.type_parameters)

        def visit_ClassDef(self, node: Any) -> None:
            blank(node.type_parameters)

        def visit_FunctionDef(self, node: Any) -> None:
            blank(node.type_parameters)

    wrapper.visit(Finder())
    if not spans:
        return None
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def offset(position: Any) -> int:
        return starts[position.line - 1] + position.column

    out = text
    for start, end, drop in sorted(spans, key=lambda s: offset(s[0]), reverse=True):
        a, b = offset(start), offset(end)
        piece = out[a:b]
        kept = (
            "\\\n" * piece.count("\n")
            if drop
            else "".join("\\\n" if ch == "\n" else " " for ch in piece)
        )
        out = out[:a] + kept + out[b:]
    try:
        return ast.parse(out, filename=path)
    except SyntaxError:
        return None


def _is_flask_db(index: Index, ref: Local) -> bool:
    """``db = SQLAlchemy()``: Flask-SQLAlchemy's object carrying ``Column``, ``Model`` ..."""
    node = ref.node
    if not isinstance(node, ast.Call):
        return False
    callee = index.resolve(ref.module, node.func)
    return isinstance(callee, External) and callee.leaf == "SQLAlchemy"


_MISSING = object()
_BUILTINS = frozenset({"int", "str", "float", "bool", "bytes", "dict", "list", "object"})
