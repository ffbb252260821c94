"""What finders produce: candidates (sources before copies are merged) and the walk's
bookkeeping they add to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dbdrift.discover.tree import Skipped
from dbdrift.schema import Error


@dataclass
class Candidate:
    """A source before byte-identical copies are merged."""

    id: str
    kind: str
    dialect: str
    evidence: str
    files: tuple[str, ...]
    fingerprint: str
    details: dict[str, str] = field(default_factory=dict)
    generated: bool = False  # a generated copy: never the id of a source, only a copy


@dataclass
class Found:
    candidates: list[Candidate] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[Error] = field(default_factory=list)
