"""The Prisma oracle: Prisma's own migration engine, run offline under Node.

`migrate_diff(provider, files)` returns exactly the SQL that ``prisma migrate diff
--from-empty --to-schema <schema> --script`` prints, computed by the WebAssembly schema engine
the pinned ``prisma`` npm package ships (tests/prisma-engine/diff.mjs does the Node side).
`ensure_installed()` installs the pinned packages from the lock file (``npm ci``) the first
time a session needs them.  Without Node or npm the tests that need the engine are skipped,
and fail instead when the environment variable CI is set.

The engine runs PostgreSQL and SQLite schemas; it refuses MySQL.

Nothing here uses dbdrift: the oracle must not share the code it judges.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

import pytest

ENGINE_DIR = Path(__file__).resolve().parent.parent / "prisma-engine"
SCRIPT = ENGINE_DIR / "diff.mjs"
WASM = ENGINE_DIR / "node_modules" / "prisma" / "build" / "schema_engine_bg.wasm"
GLUE = ENGINE_DIR / "node_modules" / "@prisma" / "schema-engine-wasm" / "schema_engine_bg.js"

INSTALL_TIMEOUT = 600
DIFF_TIMEOUT = 120

_installed = False

# A connection-URL property of a datasource block: `url = env("DATABASE_URL")`.
_URL_PROPERTY = re.compile(r"^([ \t]*)(url|directUrl|shadowDatabaseUrl)[ \t]*=.*$", re.MULTILINE)
_DATASOURCE = re.compile(
    r"^[ \t]*datasource[ \t]+\w+[ \t]*\{.*?^[ \t]*\}", re.DOTALL | re.MULTILINE
)


class EngineError(RuntimeError):
    """The engine refused a schema or failed: its message, as diff.mjs printed it."""


def _unavailable(reason: str) -> NoReturn:
    """Skip a test that needs the engine, or fail it when running under CI."""
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and {reason}", pytrace=False)
    pytest.skip(reason)


def ensure_installed() -> None:
    """Node, npm and the pinned packages of tests/prisma-engine, installed once per session."""
    global _installed
    if _installed:
        return
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        _unavailable("the Prisma oracle needs Node.js and npm (node >= 20.19), not found on PATH")
    if not (WASM.exists() and GLUE.exists()):
        try:
            done = subprocess.run(
                [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                cwd=ENGINE_DIR,
                capture_output=True,
                text=True,
                timeout=INSTALL_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            _unavailable(f"`npm ci` in {ENGINE_DIR} did not finish in {INSTALL_TIMEOUT} s")
        if done.returncode != 0 or not WASM.exists():
            tail = (done.stderr or done.stdout).strip()[-2000:]
            _unavailable(f"`npm ci` in {ENGINE_DIR} failed (exit {done.returncode}): {tail}")
    _installed = True


def without_urls(content: str) -> str:
    """`content` with its datasource's connection-URL lines blanked (line numbers kept).

    Prisma 5 and 6 projects write ``url = env("DATABASE_URL")`` in the datasource block;
    Prisma 7 moved connection URLs to ``prisma.config.ts`` and its engine rejects them in the
    schema.  A URL never changes the SQL Migrate creates, so the fixtures keep the style real
    projects use and the engine gets the schema without those lines.
    """
    return _DATASOURCE.sub(lambda m: _URL_PROPERTY.sub(r"\1", m.group()), content)


def migrate_diff(provider: str, files: Iterable[tuple[str, str]]) -> str:
    """The SQL Prisma Migrate creates for a schema from an empty database.

    `provider` is the datasource provider (``postgresql`` or ``sqlite``), `files` the schema's
    ``(path, content)`` pairs.  Raises `EngineError` with the engine's message when it refuses
    the schema or produces nothing.
    """
    ensure_installed()
    request = {
        "provider": provider,
        "files": [{"path": path, "content": without_urls(content)} for path, content in files],
    }
    try:
        done = subprocess.run(
            ["node", str(SCRIPT)],
            cwd=ENGINE_DIR,
            input=json.dumps(request),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=DIFF_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise EngineError(f"the engine did not answer in {DIFF_TIMEOUT} s") from exc
    if done.returncode != 0:
        raise EngineError(done.stderr.strip() or f"diff.mjs exited with {done.returncode}")
    if not done.stdout.strip():
        raise EngineError("the engine printed no SQL")
    return done.stdout
