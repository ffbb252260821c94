"""Where an Alembic project keeps its revisions: ``alembic.ini``'s (or, since Alembic 1.16,
``pyproject.toml``'s ``[tool.alembic]``) ``script_location`` and ``version_locations`` (with
``%(here)s`` and the path separators Alembic accepts), and the
naming convention of ``env.py``'s ``target_metadata``, which names constraints created
with ``name=None``.  Files are read, never imported."""

from __future__ import annotations

import ast
import configparser
import re
from pathlib import Path, PurePosixPath

# version_path_separator / path_separator values -> the separator they mean (Alembic's
# `Config.get_separator_char`); absent, legacy splitting on spaces and commas applies.
_SEPARATORS = {"space": None, "newline": "\n", "os": ":", ":": ":", ";": ";"}


def read_ini(text: str, here: str) -> dict[str, str]:
    """The ``[alembic]`` section with ``%(here)s`` interpolated; empty when unreadable."""
    parser = configparser.ConfigParser(defaults={"here": here})
    try:
        parser.read_string(text)
    except configparser.Error:
        return {}
    if not parser.has_section("alembic"):
        return {}
    out = {}
    for key in parser.options("alembic"):
        try:
            out[key] = parser.get("alembic", key)
        except configparser.Error:
            out[key] = parser.get("alembic", key, raw=True)
    return out


def read_pyproject(text: str, here: str) -> dict[str, str]:
    """``[tool.alembic]`` of a ``pyproject.toml`` in the shape of `read_ini`'s options: lists
    (``version_locations``, ``prepend_sys_path``) become newline-separated values."""
    import tomllib

    try:
        table = tomllib.loads(text).get("tool", {}).get("alembic", {})
    except tomllib.TOMLDecodeError:
        return {}
    if not isinstance(table, dict):
        return {}
    out: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, list):
            out[key] = "\n".join(str(v) for v in value)
            if key == "version_locations":
                out["path_separator"] = "newline"
        elif isinstance(value, str | int | float | bool):
            out[key] = str(value)
    return {key: value.replace("%(here)s", here) for key, value in out.items()}


def read_options(path: str, text: str, here: str) -> dict[str, str]:
    """The Alembic options of an ``alembic.ini`` or a ``pyproject.toml``."""
    if path.endswith(".toml"):
        return read_pyproject(text, here)
    return read_ini(text, here)


def split_locations(value: str, options: dict[str, str]) -> list[str]:
    """``version_locations`` split as Alembic splits it."""
    sep = options.get("path_separator") or options.get("version_path_separator")
    if sep is None:
        return [p for p in re.split(r"[,\s]+", value) if p]
    char = _SEPARATORS.get(sep.strip(), sep.strip())
    parts = value.split() if char is None else value.split(char)
    return [p.strip() for p in parts if p.strip()]


def _relative(root: Path, base: Path, value: str) -> str | None:
    """`value` (relative to `base`, or absolute) as a path relative to `root`."""
    if ":" in value and not value.startswith("/") and not re.match(r"^[A-Za-z]:", value):
        value = value.replace(".", "/").replace(":", "/")  # "package:subdir" resources
    path = Path(value) if Path(value).is_absolute() else base / value
    try:
        return PurePosixPath(path.resolve().relative_to(root.resolve())).as_posix()
    except ValueError:
        return None


def locate(root: Path, ini: str) -> tuple[str | None, list[str]]:
    """The ``env.py`` and the version folders (repo-relative) of the project of `ini`."""
    ini_path = root / ini
    here = ini_path.parent.resolve()
    try:
        options = read_options(ini, ini_path.read_text(encoding="utf-8"), str(here))
    except (OSError, UnicodeDecodeError):
        return None, []
    script = options.get("script_location")
    if not script:
        return None, []
    script_dir = _relative(root, here, script)
    if script_dir is None:
        return None, []
    env = f"{script_dir}/env.py" if script_dir != "." else "env.py"
    locations = options.get("version_locations")
    if locations:
        dirs = [_relative(root, here, p) for p in split_locations(locations, options)]
        found = [d for d in dirs if d is not None]
    else:
        found = [f"{script_dir}/versions" if script_dir != "." else "versions"]
    return (env if (root / env).is_file() else None), found


def revision_files(root: Path, folders: list[str]) -> list[str]:
    """The revision scripts of the version folders (Alembic reads ``*.py`` directly in each
    folder, and in subfolders when ``recursive_version_locations`` is set; read both)."""
    out: list[str] = []
    for folder in folders:
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.py")):
            if path.name.startswith("__") or "__pycache__" in path.parts:
                continue
            out.append(PurePosixPath(path.relative_to(root)).as_posix())
    return sorted(dict.fromkeys(out))


def project_files(root: Path, ini: str) -> list[str]:
    """``alembic.ini``, ``env.py`` and every revision script, in the order the reader wants."""
    env, folders = locate(root, ini)
    return [ini, *([env] if env else []), *revision_files(root, folders)]


def target_metadata(tree: ast.Module) -> ast.AST | None:
    """The expression assigned to ``target_metadata`` at the top of ``env.py``."""
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "target_metadata" for t in stmt.targets
        ):
            return stmt.value
        if (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and stmt.target.id == "target_metadata"
        ):
            return stmt.value
    return None
