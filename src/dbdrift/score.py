"""The 0-100 health score.

Formula (stated in every report)::

    penalty = sum of WEIGHTS[severity] over all findings
    score   = floor(100 * SCALE / (SCALE + penalty))

with critical 10, high 5, medium 2, low 0.5, info 0 and SCALE 50.  A repository with no
finding scores 100; one critical finding 83; ten 33.  The score depends only on the multiset
of severities, so it is independent of the order of sources, and adding a finding can only
raise the penalty, so it never raises the score (monotone).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from dbdrift.findings import SEVERITIES, Finding, Severity

WEIGHTS: dict[Severity, float] = {
    Severity.critical: 10.0,
    Severity.high: 5.0,
    Severity.medium: 2.0,
    Severity.low: 0.5,
    Severity.info: 0.0,
}
SCALE = 50.0

FORMULA = (
    "score = floor(100 * 50 / (50 + penalty)), penalty = 10 per critical + 5 per high "
    "+ 2 per medium + 0.5 per low finding (info counts 0)"
)


def penalty(findings: Iterable[Finding]) -> float:
    return sum(WEIGHTS[f.severity] for f in findings)


def score(findings: Iterable[Finding]) -> int:
    """The health score of a set of findings, 0 (worst) to 100 (no finding that counts)."""
    return math.floor(100 * SCALE / (SCALE + penalty(findings)))


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Findings per severity, every severity present, worst first."""
    tally = Counter(f.severity for f in findings)
    return {s.value: tally.get(s, 0) for s in SEVERITIES}
