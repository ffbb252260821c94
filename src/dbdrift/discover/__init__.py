"""Discovery: every place a repository describes its database, found without running anything.

One walk of the tree (``os.scandir``, directory symlinks followed, loops detected) collects
the directory listings; then one small finder per kind of source turns listings into
`Source`s, `Skipped` entries (a file that looks like SQL but is not a schema, and why) and
`Error`s (what could not be walked).  Each candidate file is read once and hashed with
blake2b, so byte-identical copies anywhere in the tree become one source with every path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from dbdrift.discover.alembic import find_alembic
from dbdrift.discover.copies import merge_copies
from dbdrift.discover.django import find_django
from dbdrift.discover.files import Files
from dbdrift.discover.found import Found
from dbdrift.discover.prisma import GENERATED_COPY, find_prisma
from dbdrift.discover.sql import KIND_MIGRATIONS, KIND_SCHEMA, find_sql
from dbdrift.discover.sqlalchemy import find_sqlalchemy
from dbdrift.discover.tree import DiscoverConfig, Skipped, Tree, walk
from dbdrift.schema import FORMAT, Error
from dbdrift.source import Source

__all__ = [
    "FINDERS",
    "GENERATED_COPY",
    "KIND_MIGRATIONS",
    "KIND_SCHEMA",
    "DiscoverConfig",
    "Discovery",
    "Skipped",
    "discover",
]


@dataclass(frozen=True, slots=True)
class Discovery:
    """What `discover` found: sources sorted by id, what it skipped, what it could not walk."""

    sources: tuple[Source, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    errors: tuple[Error, ...] = ()

    def source(self, id_or_path: str) -> Source | None:
        """The source with this id, or the one holding this path as a copy, or ``None``."""
        wanted = PurePosixPath(id_or_path).as_posix()
        return next((s for s in self.sources if wanted in s.paths), None)

    def to_dict(self) -> dict[str, Any]:
        """The ``dbdrift sources --format json`` document; every list is already sorted."""
        return {
            "format": FORMAT,
            "sources": [
                {
                    "id": s.id,
                    "kind": s.kind,
                    "dialect": s.dialect,
                    "dialect_evidence": s.dialect_evidence,
                    "files": list(s.files),
                    "copies": list(s.copies),
                    "details": dict(sorted(s.details.items())),
                }
                for s in self.sources
            ],
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "errors": [asdict(e) for e in self.errors],
        }


def discover(root: Path, config: DiscoverConfig | None = None) -> Discovery:
    """Walk `root` once and return every schema source it holds."""
    root = Path(root)
    tree = walk(root, config or DiscoverConfig())
    files = Files(root)
    found = Found(errors=list(tree.errors), skipped=list(tree.skipped))
    for finder in FINDERS:
        finder(tree, files, found)
    found.errors.extend(files.errors)
    return Discovery(
        sources=merge_copies(root, found.candidates),
        skipped=tuple(sorted(set(found.skipped), key=lambda s: (s.path, s.reason))),
        errors=tuple(sorted(found.errors, key=lambda e: (e.origin.path, e.message))),
    )


# One finder per kind of source, each in its own module: `find(tree, files, found)`.
FINDERS: tuple[Callable[[Tree, Files, Found], None], ...] = (
    find_sql,
    find_prisma,
    find_sqlalchemy,
    find_alembic,
    find_django,
)
