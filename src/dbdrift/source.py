"""A discovered schema source: what discovery hands to a reader."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dbdrift.schema import SourceRef


@dataclass(frozen=True, slots=True)
class Source:
    """One place a repository describes its database.

    `id` is the repo-relative path of the file or folder, `files` the repo-relative files a
    reader reads, in the order it must read them (a migration stream's apply order), and
    `copies` the other paths holding byte-identical copies of the same source.
    `dialect_evidence` says why the dialect was chosen, for ``dbdrift sources``.
    """

    id: str
    kind: str
    dialect: str
    root: Path
    files: tuple[str, ...]
    copies: tuple[str, ...] = ()
    dialect_evidence: str = "default"
    details: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.id, *self.copies)

    def ref(self) -> SourceRef:
        return SourceRef(self.id, self.kind, self.dialect, self.paths)

    def path(self, relative: str) -> Path:
        return self.root / relative
