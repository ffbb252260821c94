"""Configuration: ``[tool.dbdrift]`` in ``pyproject.toml`` or ``dbdrift.toml`` at the root.

Only what a scan cannot discover lives here.  Today that is the live databases to compare::

    [tool.dbdrift]                       # in dbdrift.toml the same keys stand at the top level
    databases = { prod = "env:DATABASE_URL", local = "sqlite:///dev.db" }

A value is a URL or ``env:VARIABLE``; prefer ``env:`` for anything with a password, so the
password stays out of the repository.  ``dbdrift.toml`` wins over ``pyproject.toml`` when both
exist.  A file that is not valid TOML, or a key of the wrong type, is a `ConfigError` with one
line naming the file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FILES = ("dbdrift.toml", "pyproject.toml")
"""Where the configuration is looked for, first found wins."""


class ConfigError(ValueError):
    """A configuration file dbdrift cannot use; the message is one line."""


@dataclass(frozen=True, slots=True)
class Config:
    """What the configuration says; `path` is the file it came from (``None``: no file)."""

    databases: dict[str, str] = field(default_factory=dict)
    """Database name -> URL or ``env:VARIABLE``, in the order written."""
    path: Path | None = None


def load(root: Path) -> Config:
    """The configuration at `root`: the first of `FILES` that has a dbdrift section."""
    for name in FILES:
        path = Path(root) / name
        if not path.is_file():
            continue
        section = _section(path)
        if section is not None:
            return _parse(section, path)
    return Config()


def _section(path: Path) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not readable as TOML: {' '.join(str(exc).split())}") from None
    if path.name == "pyproject.toml":
        section = data.get("tool", {}).get("dbdrift")
        return section if isinstance(section, dict) else None
    return data


def _parse(section: dict[str, Any], path: Path) -> Config:
    databases = section.get("databases", {})
    if not isinstance(databases, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in databases.items()
    ):
        raise ConfigError(
            f"{path}: databases must be a table of names to URLs, "
            'e.g. {prod = "env:DATABASE_URL"}'
        )
    return Config(databases=dict(databases), path=path)
