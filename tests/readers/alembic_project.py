"""Tiny Alembic projects written into a temporary folder for the reader's tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

from dbdrift.readers.alembic.config import project_files
from dbdrift.source import Source

INI = "[alembic]\nscript_location = migrations\nsqlalchemy.url = postgresql://localhost/t\n"
ENV = "from alembic import context\n\ntarget_metadata = None\n"
HEAD = (
    'import sqlalchemy as sa\nfrom alembic import op\n\nrevision = "{rev}"\n'
    "down_revision = {down!r}\n"
)


def revision(rev: str, down: object, body: str, extra: str = "") -> str:
    """A revision script: `body` is the indented body of ``upgrade()``."""
    upgrade = textwrap.indent(textwrap.dedent(body).strip("\n"), "    ")
    return HEAD.format(rev=rev, down=down) + extra + f"\n\ndef upgrade():\n{upgrade}\n"


def project(root: Path, scripts: dict[str, str], env: str = ENV, dialect: str = "postgresql"):
    """Write the project and return its `Source` (files as discovery would list them)."""
    (root / "migrations" / "versions").mkdir(parents=True, exist_ok=True)
    (root / "alembic.ini").write_text(INI)
    (root / "migrations" / "env.py").write_text(env)
    for name, text in scripts.items():
        path = root / "migrations" / "versions" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    files = tuple(project_files(root, "alembic.ini"))
    return Source("migrations", "alembic", dialect, root, files)
