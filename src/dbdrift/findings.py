"""What the checks produce: findings with severities, evidence per source and structured edits.

A finding says what is wrong (`title`, `message`), where every source says what it says
(`evidence`, each with path and line), and what to do (`edits`: structured changes that the
writers in `fix/` render in each target's own language).  Detection never renders text of a
target language itself (STYLE.md 9), so one edit can be shown as SQL, Prisma or Python.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from dbdrift.schema import Column, ForeignKey, Origin, Table


class Severity(StrEnum):
    """What breaks at run time, worst first (DESIGN.md, "Findings and severity")."""

    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    info = "info"

    @property
    def rank(self) -> int:
        """0 for critical up to 4 for info: sorting by rank puts the worst first."""
        return SEVERITIES.index(self)

    def reaches(self, threshold: Severity | str) -> bool:
        """Whether this severity is at least as bad as `threshold`."""
        return self.rank <= Severity(threshold).rank


SEVERITIES: tuple[Severity, ...] = tuple(Severity)


@dataclass(frozen=True, slots=True)
class Evidence:
    """What one source says about the subject of a finding, and where it says it.

    `line` is ``None`` when the claim is an absence ("no table users in db/migrations"):
    the path is then the source's id.
    """

    source: str
    path: str
    line: int | None
    says: str

    @classmethod
    def at(cls, source: str, origin: Origin | None, says: str) -> Evidence:
        """Evidence at `origin`, or at the source itself when the origin is unknown."""
        if origin is None:
            return cls(source, source, None, says)
        return cls(source, origin.path, origin.line, says)


@dataclass(frozen=True, slots=True)
class Edit:
    """One structured change to one source, rendered by the writer of the source's language.

    `action` is one of `ACTIONS`; `table` the table the edit touches (its definition in the
    source being edited, when it has one, else the reference table) and `column` the column
    as it should be after the edit.  `old` names what is replaced (a column's old name for a
    rename or map).  `unsafe` marks edits that can lose data or need a backfill.
    """

    action: str
    source: str
    kind: str
    dialect: str
    table: Table
    column: Column | None = None
    old: str | None = None
    foreign_key: ForeignKey | None = None
    unsafe: bool = False
    note: str | None = None


ACTIONS = (
    "add-table",
    "drop-table",
    "map-table",
    "add-column",
    "drop-column",
    "map-column",
    "alter-column",
    "add-foreign-key",
    "drop-foreign-key",
    "regenerate",
    "edit-source",
)
"""What an `Edit` can ask for; `fix/` has a writer branch for each."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One disagreement: the rule that found it, how bad it is, the evidence and the fix.

    `fix` is the action in the imperative (ruff's ``fix_title``); `edits` the structured
    changes that carry it out.  `fingerprint` depends only on the rule, the subject and the
    sources involved, never on line numbers, so baselines survive unrelated edits.
    """

    rule: str
    severity: Severity
    title: str
    message: str
    table: str | None = None
    column: str | None = None
    group: str | None = None
    evidence: tuple[Evidence, ...] = ()
    fix: str | None = None
    edits: tuple[Edit, ...] = ()
    data: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def fingerprint(self) -> str:
        sources = sorted({e.source for e in self.evidence})
        key = "\0".join([self.rule, self.table or "", self.column or "", *sources, self.title])
        return hashlib.sha256(key.encode()).hexdigest()[:16]

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.severity.rank,
            self.group or "",
            self.table or "",
            self.column or "",
            self.rule,
            self.title,
        )


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    """Worst first, then by table, column and rule: the one order every report uses."""
    return sorted(findings, key=Finding.sort_key)
