"""The Alembic finder: ``alembic.ini`` files (or ``[tool.alembic]`` in ``pyproject.toml``,
Alembic 1.16+), their ``script_location`` and version folders (``version_locations``, several
of them, ``%(here)s``), and Alembic script folders without either (an ``env.py`` that runs
migrations beside a ``versions/`` folder).

The revision scripts and ``env.py`` belong to the Alembic source only; the SQLAlchemy
finder leaves revision scripts alone (they have ``down_revision``).
"""

from __future__ import annotations

import hashlib
import posixpath
import re

from dbdrift.discover.dialect import DEFAULT_DIALECT
from dbdrift.discover.files import Files
from dbdrift.discover.found import Candidate, Found
from dbdrift.discover.tree import ROOT, Tree, basename, is_file, join, parent
from dbdrift.readers.alembic.config import read_options, split_locations

KIND_ALEMBIC = "alembic"

_URL = re.compile(r"^\s*sqlalchemy\.url\s*=\s*(postgresql|postgres|mysql|mariadb|sqlite)\b", re.M)
_DIALECTS = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}
_TOOL_ALEMBIC = re.compile(r"^\s*\[tool\.alembic\]", re.MULTILINE)
_ENV_MARKER = re.compile(r"\bcontext\.(?:configure|run_migrations)\b")


def find_alembic(tree: Tree, files: Files, found: Found) -> None:
    """One source per Alembic project: its ini (if any), ``env.py`` and revision scripts."""
    claimed: set[str] = set()
    configs = _named(tree, "alembic.ini") + [
        rel
        for rel in _named(tree, "pyproject.toml")
        if _TOOL_ALEMBIC.search(files.get(rel).text or "")
    ]
    for rel in sorted(configs):
        candidate = _from_ini(tree, files, rel)
        if candidate is not None and not claimed.intersection(candidate.files[1:]):
            found.candidates.append(candidate)
            claimed.update(candidate.files)
    for env in sorted(_named(tree, "env.py")):
        if env in claimed:
            continue
        folder = parent(env)
        versions = join(folder, "versions")
        text = files.get(env).text or ""
        if versions not in tree.dirs or not _ENV_MARKER.search(text):
            continue
        scripts = _scripts(tree, [versions])
        if scripts:
            members = (env, *scripts)
            found.candidates.append(
                _candidate(files, folder, members, DEFAULT_DIALECT, "default", "folder")
            )


def _named(tree: Tree, name: str) -> list[str]:
    return [join(rel, name) for rel, listing in tree.dirs.items() if name in listing.files]


def _from_ini(tree: Tree, files: Files, ini: str) -> Candidate | None:
    text = files.get(ini).text
    if text is None:
        return None
    here = parent(ini)
    options = read_options(ini, text, "@HERE@")
    script = options.get("script_location")
    if not script:
        return None
    script_dir = _inside(here, script)
    if script_dir is None:
        return None
    locations = options.get("version_locations")
    if locations:
        folders = [_inside(here, p) for p in split_locations(locations, options)]
        version_dirs = [f for f in folders if f is not None]
    else:
        version_dirs = [join(script_dir, "versions") if script_dir != ROOT else "versions"]
    env = join(script_dir, "env.py") if script_dir != ROOT else "env.py"
    scripts = _scripts(tree, version_dirs)
    if not scripts:
        return None
    dialect, evidence = DEFAULT_DIALECT, "default"
    # The URL stays in alembic.ini when the options live in pyproject.toml.
    beside = join(here, "alembic.ini") if ini.endswith(".toml") else ini
    match = _URL.search(files.get(beside).text or "") if is_file(tree, beside) else None
    if match:
        dialect, evidence = _DIALECTS[match.group(1)], f"{beside}: sqlalchemy.url"
    has_env = basename(env) in tree.dirs.get(parent(env), _EMPTY).files
    members = (ini, *([env] if has_env else []), *scripts)
    layout = "pyproject" if ini.endswith(".toml") else "ini"
    details = {"layout": layout, "versions": " ".join(version_dirs)}
    return _candidate(files, script_dir, members, dialect, evidence, details["layout"], details)


_EMPTY = type("Empty", (), {"files": ()})()


def _inside(here: str, value: str) -> str | None:
    """A path from the ini (``%(here)s/x`` or relative to the ini's folder) as a
    repo-relative path; ``None`` when it leaves the repository."""
    value = value.strip()
    if ":" in value and not value.startswith("@HERE@"):
        value = value.replace(".", "/").replace(":", "/")  # "package:folder" resources
    value = value.replace("@HERE@", here if here != ROOT else ".")
    if value.startswith("/"):
        return None
    base = "." if here == ROOT or value.startswith(here + "/") or value == here else here
    joined = posixpath.normpath(posixpath.join(base, value))
    if joined.startswith(".."):
        return None
    return ROOT if joined == "." else joined


def _scripts(tree: Tree, folders: list[str]) -> list[str]:
    out: list[str] = []
    pending = list(folders)
    while pending:
        folder = pending.pop()
        listing = tree.dirs.get(folder)
        if listing is None:
            continue
        out += [
            join(folder, n) for n in listing.files if n.endswith(".py") and not n.startswith("__")
        ]
        pending += [d for d in listing.subdirs if basename(d) != "__pycache__"]
    return sorted(set(out))


def _candidate(
    files: Files,
    folder: str,
    members: tuple[str, ...],
    dialect: str,
    evidence: str,
    layout: str,
    details: dict[str, str] | None = None,
) -> Candidate:
    prefix = "" if folder == ROOT else folder + "/"
    parts = "\n".join(f"{m.removeprefix(prefix)}:{files.get(m).digest}" for m in members)
    fingerprint = hashlib.blake2b(parts.encode(), digest_size=20).hexdigest()
    return Candidate(
        folder,
        KIND_ALEMBIC,
        dialect,
        evidence,
        members,
        fingerprint,
        details or {"layout": layout},
    )
