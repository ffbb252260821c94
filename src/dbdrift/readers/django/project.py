"""What both Django readers need before any model: the parsed files, each file's app label,
and the settings that change the schema (``AUTH_USER_MODEL``, ``DEFAULT_AUTO_FIELD``).

The app label is the name of the folder holding ``models.py`` or ``migrations/``, unless that
folder's ``apps.py`` gives an ``AppConfig`` a ``label``; settings are read from files called
``settings.py`` (or inside a ``settings/`` folder) among the source's files.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from dbdrift.readers.django.calls import Context
from dbdrift.readers.sql.text import load_text
from dbdrift.readers.sqlalchemy.modules import Index, Module
from dbdrift.schema import Error
from dbdrift.source import Source


@dataclass
class Loaded:
    ctx: Context
    errors: list[Error] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # app folder -> label
    default_auto_field: str = "AutoField"
    app_auto_fields: dict[str, str] = field(default_factory=dict)  # label -> field class


def app_folder(path: str) -> str:
    """The app folder of a file: the parent of ``models.py``/``models/``/``migrations/``."""
    parts = PurePosixPath(path).parts
    for marker in ("migrations", "models"):
        if marker in parts[:-1]:
            at = len(parts) - 1 - parts[::-1].index(marker)
            return "/".join(parts[:at])
    return str(PurePosixPath(path).parent)


def is_settings(path: str) -> bool:
    p = PurePosixPath(path)
    return p.name == "settings.py" or (p.parent.name == "settings" and p.suffix == ".py")


def load(source: Source) -> Loaded:
    """Parse every file of `source` once; read app labels and settings."""
    index = Index()
    loaded = Loaded(Context(index, app_of=lambda path: ""))
    for relative in source.files:
        text, error = load_text(source.root, relative)
        if error is not None:
            loaded.errors.append(error)
            continue
        assert text is not None
        index.add(relative, text)
    loaded.errors.extend(index.errors)
    index.errors.clear()
    folders = {app_folder(m.path) for m in index.modules if not is_settings(m.path)}
    for folder in sorted(folders):
        loaded.labels[folder] = _label(source.root, index, folder, loaded)
    loaded.ctx.app_of = lambda path: (
        loaded.labels.get(app_folder(path)) or PurePosixPath(app_folder(path)).name
    )
    for module in index.modules:
        if is_settings(module.path):
            _settings(module, loaded)
    return loaded


def _label(root: Path, index: Index, folder: str, loaded: Loaded) -> str:
    """``AppConfig.label`` from the folder's ``apps.py`` (among the files, else on disk)."""
    name = PurePosixPath(folder).name
    relative = f"{folder}/apps.py" if folder not in ("", ".") else "apps.py"
    module = next((m for m in index.modules if m.path == relative), None)
    tree = module.tree if module is not None else _parse(root / relative)
    if tree is None:
        return name
    label = name
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target = node.targets[0]
        if not (isinstance(target, ast.Name) and isinstance(node.value, ast.Constant)):
            continue
        if target.id == "label" and isinstance(node.value.value, str):
            label = node.value.value
        if target.id == "default_auto_field" and isinstance(node.value.value, str):
            loaded.app_auto_fields[folder] = node.value.value.rpartition(".")[2]
    if folder in loaded.app_auto_fields:
        loaded.app_auto_fields[label] = loaded.app_auto_fields.pop(folder)
    return label


def _parse(path: Path) -> ast.Module | None:
    try:
        return ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None


def _settings(module: Module, loaded: Loaded) -> None:
    for stmt in module.tree.body:
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1):
            continue
        target, value = stmt.targets[0], stmt.value
        if not (isinstance(target, ast.Name) and isinstance(value, ast.Constant)):
            continue
        if not isinstance(value.value, str):
            continue
        if target.id == "AUTH_USER_MODEL" and "." in value.value:
            app, _, model = value.value.partition(".")
            loaded.ctx.user_model = (app, model.lower())
        elif target.id == "DEFAULT_AUTO_FIELD":
            loaded.default_auto_field = value.value.rpartition(".")[2]
