"""The SQLAlchemy finder: model packages (declarative classes, ``Table(...)``, SQLModel,
Flask-SQLAlchemy) and the repository files they import, without importing anything.
"""

from __future__ import annotations

import ast
import hashlib
import re

from dbdrift.discover.dialect import DEFAULT_DIALECT
from dbdrift.discover.files import Files
from dbdrift.discover.found import Candidate, Found
from dbdrift.discover.python import py_imports, py_parse, resolve_import
from dbdrift.discover.tree import ROOT, Tree, basename, is_file, join, parent

KIND_SQLALCHEMY = "sqlalchemy"

# Cheap pre-filter: only files mentioning one of these are parsed with `ast`.
_PY_MODELS = re.compile(
    r"declarative_base|DeclarativeBase|registry\(|as_declarative|SQLModel|db\.Model"
    r"|Table\(|mapped_column|Column\("
)
# Imported files that matter to a model even without a table: enums, custom types, bases.
_PY_RELEVANT = re.compile(r"sqlalchemy|sqlmodel|\bEnum\b|TypeDecorator")
# Markers that settle it without parsing: a table name in a class body, ``table=True`` on
# a class, ``Table("name", ...)``.  Other candidates are parsed to find their table classes.
_PY_STRONG = re.compile(
    r"^[ \t]+__table(?:name)?__[ \t]*(?::[^=\n]*)?=(?!=)"
    r"|^class [^\n]*\btable[ \t]*=[ \t]*True"
    r"|\bTable\([ \t\r\n]*[\"'\w]",
    re.MULTILINE,
)
# A real import of a model library, at the start of a line (not inside a string).
_PY_LIBRARY = re.compile(
    r"^[ \t]*(?:from|import)[ \t]+(?:sqlalchemy|sqlmodel|flask_sqlalchemy)\b", re.MULTILINE
)
# Triple-quoted strings (docstrings, embedded code) are blanked before the markers above
# are looked for, so a model written inside a string is not taken for one.
_PY_LONG_STRING = re.compile(r"(\"\"\"|\'\'\')[\s\S]*?\1")
# An Alembic revision builds tables with ``op`` calls: the alembic reader's, not a model.
_ALEMBIC_REVISION = re.compile(r"^down_revision\b", re.MULTILINE)
_COLUMN_CALLS = frozenset({"Column", "mapped_column"})
_PLAIN_BASES = frozenset(
    {"object", "BaseModel", "TypedDict", "Protocol", "NamedTuple", "Enum", "IntEnum", "StrEnum"}
)
# A database URL where an engine is made or configured: the dialect's evidence.
_PY_URL = re.compile(
    r"(create_engine|create_async_engine|SQLALCHEMY_DATABASE_URI|sqlalchemy\.url|DATABASE_URL)"
    r"""[^\n"']{0,40}["']?(postgresql|postgres|mysql|mariadb|sqlite)(?:\+\w+)?:"""
)
_URL_DIALECTS = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}


def _call_name(node: ast.AST) -> str | None:
    """``Column`` for ``Column(...)``, ``sa.Column(...)`` and ``db.Column(...)``."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _base_name(node: ast.expr) -> str:
    if isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _assigned(stmt: ast.stmt) -> list[str]:
    if isinstance(stmt, ast.Assign):
        return [t.id for t in stmt.targets if isinstance(t, ast.Name)]
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return [stmt.target.id]
    return []


def _is_table_class(node: ast.ClassDef) -> bool:
    """Whether a class maps a table: a table name, ``table=True``, or columns on a real base.

    Mixins (no base but ``object``), abstract bases (``__abstract__ = True``), Pydantic and
    SQLModel classes without ``table=True`` are not tables.
    """
    names: dict[str, ast.stmt] = {}
    columns = False
    for stmt in node.body:
        for name in _assigned(stmt):
            names[name] = stmt
        value = getattr(stmt, "value", None)
        if _call_name(value) in _COLUMN_CALLS:
            columns = True
        if isinstance(stmt, ast.AnnAssign) and "Mapped" in ast.dump(stmt.annotation):
            columns = True
    abstract = names.get("__abstract__")
    value = abstract.value if isinstance(abstract, ast.Assign) else None
    if isinstance(value, ast.Constant) and value.value is True:
        return False
    if "__tablename__" in names or "__table__" in names:
        return True
    for keyword in node.keywords:
        if keyword.arg == "table":
            return isinstance(keyword.value, ast.Constant) and keyword.value.value is True
    bases = [_base_name(b) for b in node.bases]
    if not bases or all(b in _PLAIN_BASES for b in bases) or "SQLModel" in bases:
        return False
    return columns


def _defines_tables(tree: ast.Module) -> bool:
    """A declarative table class or a SQLAlchemy ``Table(...)`` anywhere in the module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and _is_table_class(node):
            return True
        if _call_name(node) == "Table" and _is_core_table(node):  # type: ignore[arg-type]
            return True
    return False


def _is_core_table(call: ast.Call) -> bool:
    """``Table("name", metadata, ...)``, or Flask's ``db.Table("name", db.Column(...))``."""
    if len(call.args) < 2:
        return False
    second = call.args[1]
    named = second.id if isinstance(second, ast.Name) else getattr(second, "attr", "")
    if "meta" in named.lower() or _call_name(second) == "MetaData":
        return True
    return any(_call_name(arg) in _COLUMN_CALLS for arg in call.args[1:])


def find_sqlalchemy(tree: Tree, files: Files, found: Found) -> None:
    """SQLAlchemy, SQLModel and Flask-SQLAlchemy model packages, never imported.

    A file is a model file when it declares a table class or a ``Table(...)``; the files it
    imports from within the repository (bases, mixins, enums, custom types) join its source.
    Model files of one package folder (one with ``__init__.py``) form one source, whose id is
    the folder; a lone model file is its own source.  A file that matches the pre-filter but
    does not parse is kept, so the reader can say where it breaks.
    """
    python = sorted(
        join(rel, name)
        for rel, listing in tree.dirs.items()
        for name in listing.files
        if name.endswith(".py")
    )
    models: list[str] = []
    for rel in python:
        file = files.get(rel)
        if file.text is None or not _PY_MODELS.search(file.text):
            continue
        if _ALEMBIC_REVISION.search(file.text):
            continue
        code = (
            _PY_LONG_STRING.sub("", file.text)
            if "''" in file.text or '""' in file.text
            else file.text
        )
        if _PY_STRONG.search(code) and _PY_LIBRARY.search(code):
            models.append(rel)
            continue
        module = py_parse(files, rel)
        if module is None or _defines_tables(module):
            models.append(rel)
    groups: dict[str, list[str]] = {}
    for rel in models:
        folder = parent(rel)
        package = is_file(tree, join(folder, "__init__.py"))
        siblings = sum(parent(m) == folder for m in models)
        key = folder if package and (siblings > 1 or basename(rel) == "__init__.py") else rel
        groups.setdefault(key, []).append(rel)
    for key, members in sorted(groups.items()):
        ordered = _py_closure(tree, files, members)
        found.candidates.append(_py_candidate(tree, files, key, ordered))


def _py_closure(tree: Tree, files: Files, members: list[str]) -> list[str]:
    """The members and the relevant repo files they import, imported files first."""
    ordered: list[str] = []
    state: dict[str, int] = {}

    def visit(rel: str) -> None:
        if state.get(rel):
            return
        state[rel] = 1
        text = files.get(rel).text
        if text is not None:
            for level, dotted, names in py_imports(text):
                for target in resolve_import(tree, rel, level, dotted, names):
                    text = files.get(target).text
                    if text is not None and _PY_RELEVANT.search(text):
                        visit(target)
        ordered.append(rel)

    for rel in sorted(members):
        visit(rel)
    return ordered


def _py_candidate(tree: Tree, files: Files, key: str, members: list[str]) -> Candidate:
    folder = key if key in tree.dirs else parent(key)
    dialect, evidence = _py_dialect(tree, files, folder, members)
    if len(members) == 1:
        fingerprint = files.get(members[0]).digest
    else:
        prefix = "" if folder == ROOT else folder + "/"
        parts = "\n".join(f"{m.removeprefix(prefix)}:{files.get(m).digest}" for m in members)
        fingerprint = hashlib.blake2b(parts.encode(), digest_size=20).hexdigest()
    details = {"layout": "package" if key in tree.dirs else "file"}
    return Candidate(key, KIND_SQLALCHEMY, dialect, evidence, tuple(members), fingerprint, details)


def _py_dialect(tree: Tree, files: Files, folder: str, members: list[str]) -> tuple[str, str]:
    """A database URL in the source's files, its folder, or an ``alembic.ini`` above it."""
    candidates = list(members)
    listing = tree.dirs.get(folder)
    if listing is not None:
        candidates += [join(folder, n) for n in listing.files if n.endswith(".py")]
    current = folder
    while True:
        listing = tree.dirs.get(current)
        if listing is not None and "alembic.ini" in listing.files:
            candidates.append(join(current, "alembic.ini"))
        if current == ROOT:
            break
        current = parent(current)
    seen: set[str] = set()
    for rel in candidates:
        if rel in seen:
            continue
        seen.add(rel)
        text = files.get(rel).text
        match = _PY_URL.search(text) if text else None
        if match:
            line = text.count("\n", 0, match.start()) + 1
            dialect = _URL_DIALECTS[match.group(2)]
            return dialect, f"{match.group(1)} {match.group(2)} URL in {rel}:{line}"
    return _py_dialect_imports(files, members) or (
        DEFAULT_DIALECT,
        "default: no database URL near the models",
    )


# ``from sqlalchemy.dialects import mysql`` / ``from sqlalchemy.dialects.mysql import TINYINT``.
_PY_DIALECT_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+sqlalchemy\.dialects(?:\.(postgresql|mysql|sqlite)[\w.]*)?[ \t]+import"
    r"[ \t]+\(?([^\n)]*)|import[ \t]+sqlalchemy\.dialects\.(postgresql|mysql|sqlite))",
    re.MULTILINE,
)


def _py_dialect_imports(files: Files, members: list[str]) -> tuple[str, str] | None:
    """Without a URL: the one dialect whose SQLAlchemy types the models import, if only one
    is (a model using ``mysql.TINYINT`` runs on MySQL; one importing both postgresql and
    mysql types says nothing)."""
    found: dict[str, str] = {}
    for rel in members:
        text = files.get(rel).text or ""
        for match in _PY_DIALECT_IMPORT.finditer(text):
            names = [match.group(1) or match.group(3)]
            if names[0] is None:
                names = [n.strip().partition(" ")[0] for n in match.group(2).split(",")]
            for name in names:
                if name in _URL_DIALECTS.values() and name not in found:
                    line = text.count("\n", 0, match.start()) + 1
                    found[name] = f"sqlalchemy.dialects.{name} imported in {rel}:{line}"
    if len(found) != 1:
        return None
    ((dialect, evidence),) = found.items()
    return dialect, evidence
