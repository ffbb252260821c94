"""Checks: small rule functions over the aligned matrix, one module per family.

`check(matrix)` runs every registered rule; `rules.all_rules()` lists them.
"""

from __future__ import annotations

from dbdrift.align import Matrix
from dbdrift.findings import Finding


def check(matrix: Matrix) -> list[Finding]:
    """Every finding over `matrix`, worst first."""
    from dbdrift.checks.registry import run
    from dbdrift.checks.rules import all_rules

    return run(matrix, all_rules())
