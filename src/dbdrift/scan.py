"""The scan pipeline as importable stages: discover, read, align, check, score.

`scan(path)` returns one `ScanResult` that every renderer takes; nothing here prints.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dbdrift.align import Matrix, Member, align
from dbdrift.discover import Discovery, discover
from dbdrift.findings import Finding
from dbdrift.schema import Error, Origin, Schema
from dbdrift.source import Source

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""Called as ``progress(source_id, done, total)`` while sources are read."""


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Everything a report shows: what was found, how it lines up, what disagrees."""

    root: str
    discovery: Discovery
    matrix: Matrix
    findings: list[Finding]
    score: int
    counts: dict[str, int]


def read_source(source: Source) -> Schema:
    """One source's schema; a kind without a reader is an error entry, never an exception."""
    from dbdrift import readers

    try:
        return readers.read(source)
    except readers.NoReader as exc:
        error = Error(str(exc), Origin(source.id, 1))
        return Schema(source.ref(), errors=(error,))


def members(found: Discovery, progress: Progress | None = None) -> list[Member]:
    """Read every discovered source once."""
    result = []
    total = len(found.sources)
    for done, source in enumerate(found.sources, 1):
        schema = read_source(source)
        result.append(Member(source, schema))
        if progress is not None:
            progress(source.id, done, total)
    return result


def scan(
    path: Path | str, canonical: str | None = None, progress: Progress | None = None
) -> ScanResult:
    """Discover, read, align, check and score the repository at `path`."""
    from dbdrift import history
    from dbdrift import score as scoring
    from dbdrift.checks import check

    path = Path(path)
    found = discover(path)
    matrix = align(members(found, progress), canonical)
    matrix.discovery_errors = found.errors
    history.attach(matrix)
    findings = check(matrix)
    return ScanResult(
        root=path.as_posix(),
        discovery=found,
        matrix=matrix,
        findings=findings,
        score=scoring.score(findings),
        counts=scoring.counts(findings),
    )
