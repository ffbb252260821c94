"""The scan pipeline as importable stages: discover, read, align, check, score.

`scan(path)` returns one `ScanResult` that every renderer takes; nothing here prints.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
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


def database_sources(root: Path, specs: Sequence[str] = (), timeout: float = 10.0) -> list[Source]:
    """The live databases to compare: ``[tool.dbdrift] databases``, then each ``--db`` spec
    (``name=URL``, ``name=env:VAR``, or a bare URL named db1, db2 ...); a name given twice
    keeps its last URL.  A URL that cannot be resolved (an unset variable) makes a source
    that reads as that one error.  Raises `dbdrift.config.ConfigError` for a bad config file
    and `DatabaseError` for a name that cannot be a source id.
    """
    from dbdrift.config import load
    from dbdrift.readers.database import database_source
    from dbdrift.readers.database.urls import NAME, DatabaseError, expand, split_spec

    wanted = dict(load(root).databases)
    bare = 0
    for spec in specs:
        name, value = split_spec(spec)
        if name is None:
            bare += 1
            name = f"db{bare}"
        wanted[name] = value
    result = []
    for name, value in wanted.items():
        if not NAME.match(name):
            raise DatabaseError(f"{name!r} is not a usable database name (letters, digits, _ . -)")
        url, error = None, ""
        try:
            url = expand(value)
        except DatabaseError as exc:
            error = f"cannot read database {name}: {exc}"
        result.append(database_source(name, url, root, timeout=timeout, error=error))
    return result


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
    path: Path | str,
    canonical: str | None = None,
    progress: Progress | None = None,
    *,
    verify: bool = False,
    verify_db: str | None = None,
    databases: Sequence[str] = (),
    db_timeout: float = 10.0,
) -> ScanResult:
    """Discover, read, align, check and score the repository at `path`.

    `verify` also applies every SQL source to a scratch database (on the server of
    `verify_db`, else a throwaway local PostgreSQL) before the checks, for DBD905.
    `databases` are ``--db`` specs (see `database_sources`), read like any other source,
    each connection giving up after `db_timeout` seconds.
    """
    from dbdrift import history
    from dbdrift import score as scoring
    from dbdrift.checks import check

    path = Path(path)
    found = discover(path)
    live = database_sources(path, databases, db_timeout)
    if live:
        found = replace(found, sources=tuple(sorted((*found.sources, *live), key=lambda s: s.id)))
    matrix = align(members(found, progress), canonical)
    matrix.discovery_errors = found.errors
    history.attach(matrix)
    if verify:
        from dbdrift import verify as verification

        verification.attach(matrix, verify_db)
    findings = check(matrix)
    return ScanResult(
        root=path.as_posix(),
        discovery=found,
        matrix=matrix,
        findings=findings,
        score=scoring.score(findings),
        counts=scoring.counts(findings),
    )
