"""The rule decorator and the walk that runs every rule over the matrix.

A rule is a small function registered by the kind of row it looks at (Alembic's
``dispatch_for``): ``over="table"`` receives each `TableRow`, ``"column"`` each `ColumnRow`,
``"member"`` each (group, member) pair, ``"group"`` each `Group` and ``"matrix"`` the whole
`Matrix`.  It yields `Hit`s; the walk turns them into `Finding`s with the rule's id, its
default severity (unless the hit names one) and the group.  No rule reads a file.
"""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from dbdrift.align import ColumnRow, Group, Matrix, Member, TableRow
from dbdrift.findings import Edit, Evidence, Finding, Severity, sorted_findings

OVER = ("table", "column", "member", "group", "matrix")
SECTIONS = ("What it detects", "Why it breaks", "Example", "Fix", "Fix safety", "References")
"""The headed sections every rule's documentation has, in this order (ruff's rule pages)."""


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule function yields; the walk completes it into a `Finding`."""

    title: str
    message: str
    table: str | None = None
    column: str | None = None
    evidence: tuple[Evidence, ...] = ()
    fix: str | None = None
    edits: tuple[Edit, ...] = ()
    severity: Severity | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule: stable id, kebab-case name, default severity and documentation."""

    id: str
    name: str
    severity: Severity
    over: str
    fn: Callable[..., Iterable[Hit]]
    status: str = "stable"
    aliases: tuple[str, ...] = ()

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.fn.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""


REGISTRY: dict[str, Rule] = {}


def rule(
    id: str,
    name: str,
    *,
    severity: Severity,
    over: str,
    status: str = "stable",
    aliases: tuple[str, ...] = (),
) -> Callable[[Callable[..., Iterable[Hit]]], Callable[..., Iterable[Hit]]]:
    """Register a rule function under a stable id; an id is never reused."""
    if over not in OVER:
        raise ValueError(f"{id}: over must be one of {OVER}")

    def register(fn: Callable[..., Iterable[Hit]]) -> Callable[..., Iterable[Hit]]:
        if id in REGISTRY:
            raise ValueError(f"rule id {id} registered twice")
        REGISTRY[id] = Rule(id, name, severity, over, fn, status, aliases)
        return fn

    return register


def run(matrix: Matrix, rules: Iterable[Rule]) -> list[Finding]:
    """Every finding of `rules` over `matrix`, worst first; each row is visited once."""
    by_over: dict[str, list[Rule]] = {over: [] for over in OVER}
    for r in rules:
        if r.status != "removed":
            by_over[r.over].append(r)
    findings: list[Finding] = []
    for r in by_over["matrix"]:
        findings.extend(_complete(r, r.fn(matrix), None))
    for group in matrix.groups:
        explained = len(findings)
        for r in by_over["group"]:
            findings.extend(_complete(r, r.fn(group), group))
        for member in group.members:
            for r in by_over["member"]:
                findings.extend(_complete(r, r.fn(group, member), group))
        for row in group.rows:
            for r in by_over["table"]:
                findings.extend(_complete(r, r.fn(row), group))
            for column in row.columns:
                for r in by_over["column"]:
                    findings.extend(_complete(r, r.fn(column), group))
        findings[explained:] = _fold_age(findings[explained:], group)
    return sorted_findings(findings)


AGE_RULES = ("DBD504", "DBD507")
"""The rules that report a source's age: a stale snapshot, a database with unapplied migrations."""
EXPLAINED_BY_AGE = ("DBD1", "DBD2", "DBD3", "DBD4")
"""Rule families whose findings about a stale snapshot only repeat its age (DBD504)."""


def _fold_age(findings: list[Finding], group: Group) -> list[Finding]:
    """Leave out what only repeats a stale snapshot's age, and say how much on DBD504."""
    kept = [f for f in findings if not _from_age(f, group)]
    dropped = Counter(
        source
        for f in findings
        if _from_age(f, group)
        for source in {e.source for e in f.evidence} - {group.canonical}
    )
    return [_with_folded(f, dropped) if f.rule in AGE_RULES else f for f in kept]


def _with_folded(finding: Finding, dropped: Counter[str]) -> Finding:
    count = sum(dropped[source] for source in {e.source for e in finding.evidence})
    if not count:
        return finding
    note = f" {count} differences that follow from this are not listed separately."
    return replace(finding, message=finding.message + note, data={**finding.data, "folded": count})


def _from_age(finding: Finding, group: Group) -> bool:
    """Whether `finding` is only a consequence of a snapshot being an older state of the
    stream: every source it cites besides the canonical one is a stale snapshot, or a live
    database whose missing migrations change the finding's table or column."""
    if not group.snapshots or not finding.rule.startswith(EXPLAINED_BY_AGE):
        return False
    cited = {e.source for e in finding.evidence} - {group.canonical}
    if not cited:
        return False
    return cited <= group.stale or all(_unapplied(finding, group, s) for s in cited)


def _unapplied(finding: Finding, group: Group, source_id: str) -> bool:
    """Whether `finding` is about a table or column that the migrations a live database
    lacks change (history.PrefixMatch.changes)."""
    match = group.snapshots.get(source_id)
    if match is None or not match.behind or group.member(source_id).kind != "database":
        return False
    from dbdrift.history import KEYS

    if finding.table is None:  # about several tables (DBD103 lists the ones it misses)
        tables = finding.data.get("missing") or ()
        return bool(tables) and all((t, None) in match.changes for t in tables)
    table = finding.table
    keys = finding.rule.startswith("DBD3") and (table, KEYS) in match.changes
    return keys or (table, None) in match.changes or (table, finding.column) in match.changes


def _complete(r: Rule, hits: Iterable[Hit], group: Group | None) -> Iterator[Finding]:
    for hit in hits:
        yield Finding(
            rule=r.id,
            severity=hit.severity or r.severity,
            title=hit.title,
            message=hit.message,
            table=hit.table,
            column=hit.column,
            group=group.id if group is not None else hit.data.get("group"),
            evidence=tuple(hit.evidence),
            fix=hit.fix,
            edits=hit.edits,
            data=hit.data,
        )


__all__ = ["ColumnRow", "Group", "Hit", "Matrix", "Member", "Rule", "TableRow", "rule", "run"]
