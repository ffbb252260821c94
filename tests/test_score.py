"""The health score: its documented values, monotone, independent of order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dbdrift.findings import Finding, Severity
from dbdrift.score import counts, score


def finding(severity: Severity, n: int = 0) -> Finding:
    return Finding("DBD101", severity, f"t{n}", "m")


def test_documented_values():
    assert score([]) == 100
    assert score([finding(Severity.critical)]) == 83
    assert score([finding(Severity.critical, i) for i in range(10)]) == 33
    assert score([finding(Severity.info, i) for i in range(50)]) == 100


severities = st.lists(st.sampled_from(list(Severity)), max_size=60)


@given(severities, st.sampled_from(list(Severity)))
def test_a_new_finding_never_raises_the_score(existing, new):
    before = [finding(s, i) for i, s in enumerate(existing)]
    assert score([*before, finding(new, len(before))]) <= score(before)


@given(severities, st.randoms())
def test_order_does_not_matter(existing, rnd):
    findings = [finding(s, i) for i, s in enumerate(existing)]
    shuffled = list(findings)
    rnd.shuffle(shuffled)
    assert score(shuffled) == score(findings)
    assert counts(shuffled) == counts(findings)


def test_counts_has_every_severity_worst_first():
    assert list(counts([finding(Severity.low)])) == ["critical", "high", "medium", "low", "info"]
