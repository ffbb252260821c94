"""The Django finder: apps' ``models.py`` (or ``models/`` packages) and ``migrations/``
folders, grouped by project (the nearest folder above them holding ``manage.py``).

Each project gives up to two sources: its models (kind ``django``, id the project folder)
and its migration history (kind ``django-migrations``, id ``<project>/*/migrations``: the
history spans every app's folder).  Both carry the project's settings and the apps'
``apps.py`` (app labels, ``AUTH_USER_MODEL``, ``DEFAULT_AUTO_FIELD``).  The dialect is the
settings' ``ENGINE``; PostgreSQL otherwise.
"""

from __future__ import annotations

import hashlib
import re

from dbdrift.discover.dialect import DEFAULT_DIALECT
from dbdrift.discover.files import Files
from dbdrift.discover.found import Candidate, Found
from dbdrift.discover.tree import ROOT, Tree, basename, join, parent

KIND_MODELS = "django"
KIND_MIGRATIONS = "django-migrations"

_DJANGO_MODELS = re.compile(
    r"^[ \t]*from[ \t]+django\.(?:db|contrib\.[\w.]+)[ \t]+import[^\n]*\b(?:models|Model|"
    r"AbstractUser|AbstractBaseUser)\b|^[ \t]*from[ \t]+django\.db\.models[ \t]+import",
    re.MULTILINE,
)
_MIGRATION = re.compile(
    r"^[ \t]*from[ \t]+django\.db[ \t]+import[^\n]*\bmigrations\b", re.MULTILINE
)
_MIGRATION_CLASS = re.compile(r"^class[ \t]+Migration\b", re.MULTILINE)
_SETTINGS = re.compile(r"^(?:INSTALLED_APPS|DATABASES|AUTH_USER_MODEL)[ \t]*=", re.MULTILINE)
_ENGINE = re.compile(r"django\.db\.backends\.(postgresql|postgis|mysql|sqlite3|oracle)")
_DIALECTS = {"postgresql": "postgresql", "postgis": "postgresql", "mysql": "mysql"}
_DIALECTS["sqlite3"] = "sqlite"


def find_django(tree: Tree, files: Files, found: Found) -> None:
    """One ``django`` and one ``django-migrations`` source per Django project."""
    python = sorted(
        join(rel, name)
        for rel, listing in tree.dirs.items()
        for name in listing.files
        if name.endswith(".py")
    )
    models, migrations, settings = [], [], []
    for rel in python:
        kind = _kind(rel, files)
        if kind == "models":
            models.append(rel)
        elif kind == "migration":
            migrations.append(rel)
        elif kind == "settings":
            settings.append(rel)
    projects: dict[str, dict[str, list[str]]] = {}
    for rel in models:
        projects.setdefault(_project(tree, _app(rel)), {}).setdefault("models", []).append(rel)
    for rel in migrations:
        group = projects.setdefault(_project(tree, _app(rel)), {})
        group.setdefault("migrations", []).append(rel)
    for project, group in sorted(projects.items()):
        own = [s for s in settings if _under(s, project)]
        apps = sorted(
            {
                join(_app(rel), "apps.py")
                for rel in group.get("models", []) + group.get("migrations", [])
                if "apps.py" in tree.dirs.get(_app(rel), _EMPTY).files
            }
        )
        dialect, evidence = _dialect(files, own)
        context = own + apps
        if group.get("models"):
            members = tuple(sorted(set(context + group["models"])))
            found.candidates.append(
                _candidate(files, project, KIND_MODELS, members, dialect, evidence)
            )
        if group.get("migrations"):
            members = tuple(sorted(set(context + group["migrations"])))
            ident = join(project, "*/migrations")
            found.candidates.append(
                _candidate(files, ident, KIND_MIGRATIONS, members, dialect, evidence)
            )


_EMPTY = type("Empty", (), {"files": ()})()


def _kind(rel: str, files: Files) -> str | None:
    name, folder = basename(rel), basename(parent(rel))
    is_models = name == "models.py" or folder == "models"
    is_migration = folder == "migrations" and not name.startswith("__")
    is_settings = name == "settings.py" or folder == "settings"
    if not (is_models or is_migration or is_settings):
        return None
    text = files.get(rel).text or ""
    if is_migration and _MIGRATION.search(text) and _MIGRATION_CLASS.search(text):
        return "migration"
    if is_models and _DJANGO_MODELS.search(text):
        return "models"
    if is_settings and _SETTINGS.search(text):
        return "settings"
    return None


def _app(rel: str) -> str:
    """The app folder: the parent of ``models.py``, ``models/`` or ``migrations/``."""
    folder = parent(rel)
    if basename(rel) == "models.py":
        return folder
    return parent(folder)


def _project(tree: Tree, app: str) -> str:
    """The nearest folder at or above the app's parent holding ``manage.py``; else the
    app's parent."""
    here = parent(app) if app != ROOT else ROOT
    probe = here
    while True:
        if "manage.py" in tree.dirs.get(probe, _EMPTY).files:
            return probe
        if probe == ROOT:
            return here
        probe = parent(probe)


def _under(rel: str, folder: str) -> bool:
    return folder == ROOT or rel.startswith(folder + "/")


def _dialect(files: Files, settings: list[str]) -> tuple[str, str]:
    for rel in settings:
        match = _ENGINE.search(files.get(rel).text or "")
        if match and match.group(1) in _DIALECTS:
            return _DIALECTS[match.group(1)], f"{rel}: ENGINE"
    return DEFAULT_DIALECT, "default"


def _candidate(
    files: Files, ident: str, kind: str, members: tuple[str, ...], dialect: str, evidence: str
) -> Candidate:
    folder = ident.split("/*/")[0] if "/*/" in ident else ident
    prefix = "" if folder in (ROOT, "*") else folder + "/"
    parts = "\n".join(f"{m.removeprefix(prefix)}:{files.get(m).digest}" for m in members)
    fingerprint = hashlib.blake2b(parts.encode(), digest_size=20).hexdigest()
    return Candidate(ident, kind, dialect, evidence, members, fingerprint, {"layout": "django"})
