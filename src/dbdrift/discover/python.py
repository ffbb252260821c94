"""Python files for the Python finders: imports read as text, resolved to repository files,
and `ast` parsing where a finder needs it.
"""

from __future__ import annotations

import ast
import re

from dbdrift.discover.files import Files
from dbdrift.discover.tree import ROOT, Tree, is_file, join, parent

PY_IMPORT = re.compile(
    r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)"
    r"|^[ \t]*import[ \t]+([\w. ,]+)",
    re.MULTILINE,
)


def py_imports(text: str) -> list[tuple[int, str, tuple[str, ...]]]:
    """(level, dotted module, imported names) of each import statement, read as text.

    A regex instead of `ast`, so that discovery parses only files whose tables it cannot
    tell from the text; an import-looking line inside a string only adds a candidate file.
    """
    found: list[tuple[int, str, tuple[str, ...]]] = []
    for match in PY_IMPORT.finditer(text):
        dots, module, names, plain = match.groups()
        if plain is not None:
            found.extend((0, part.split()[0], ()) for part in plain.split(",") if part.strip())
            continue
        listed = names.strip("()").replace("\\\n", " ")
        words = tuple(part.split()[0] for part in listed.split(",") if part.split())
        found.append((len(dots), module, words))
    return found


def module_file(tree: Tree, folder: str, dotted: str) -> str | None:
    """The repo file of module `dotted` under `folder`: ``a/b.py`` or ``a/b/__init__.py``."""
    parts = [p for p in dotted.split(".") if p]
    base = folder
    for part in parts:
        base = join(base, part)
    if parts and is_file(tree, base + ".py"):
        return base + ".py"
    init = join(base, "__init__.py")
    return init if is_file(tree, init) else None


def resolve_import(
    tree: Tree, rel: str, level: int, dotted: str, names: tuple[str, ...]
) -> list[str]:
    """Repo files an import names: relative to the file's package, or to any ancestor folder."""
    if level:
        folder = parent(rel)
        for _ in range(level - 1):
            folder = parent(folder)
        roots = [folder]
    else:
        roots, folder = [], parent(rel)
        while True:
            roots.append(folder)
            if folder == ROOT:
                break
            folder = parent(folder)
    for root in roots:
        target = module_file(tree, root, dotted)
        if target is None:
            continue
        hits = [target]
        if target.endswith("__init__.py"):  # from pkg import submodule
            package = parent(target)
            hits += [s for n in names if (s := module_file(tree, package, n)) is not None]
        return [h for h in hits if h != rel]
    return []


def py_parse(files: Files, rel: str) -> ast.Module | None:
    file = files.get(rel)
    if file.text is None:
        return None
    try:
        return ast.parse(file.text, filename=rel)
    except (SyntaxError, ValueError):
        return None
