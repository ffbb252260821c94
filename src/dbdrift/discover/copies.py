"""Byte-identical copies: one source per distinct content, with every other path as a copy."""

from __future__ import annotations

import logging
from pathlib import Path

from dbdrift.discover.found import Candidate
from dbdrift.source import Source

log = logging.getLogger(__name__)


def merge_copies(root: Path, candidates: list[Candidate]) -> tuple[Source, ...]:
    """One source per distinct content: the first path in sorted order, the rest as copies.

    Generated copies (a Prisma client's ``schema.prisma``) come after every real path, so
    the source is always named after the file a developer edits.
    """
    groups: dict[tuple[str, str, str], list[Candidate]] = {}
    for c in sorted(candidates, key=lambda c: (c.generated, c.id)):
        groups.setdefault((c.kind, c.dialect, c.fingerprint), []).append(c)
    sources = []
    for group in groups.values():
        first = group[0]
        if len(group) > 1:
            log.info("Detected %d copies of %s", len(group), first.id)
        sources.append(
            Source(
                id=first.id,
                kind=first.kind,
                dialect=first.dialect,
                root=root,
                files=first.files,
                copies=tuple(c.id for c in group[1:]),
                dialect_evidence=first.evidence,
                details=first.details,
            )
        )
    return tuple(sorted(sources, key=lambda s: s.id))
