"""Scan small repositories written for one test, and pick out the findings of one rule."""

from __future__ import annotations

from pathlib import Path

from dbdrift.findings import Finding
from dbdrift.scan import ScanResult, scan
from trees import write


def scan_tree(
    root: Path, files: dict[str, str | bytes], canonical: str | None = None
) -> ScanResult:
    """Write `files` under `root` and scan it."""
    return scan(write(root, files), canonical=canonical)


def of_rule(result: ScanResult, rule: str) -> list[Finding]:
    """The findings of one rule id, in report order."""
    return [f for f in result.findings if f.rule == rule]


def rules_found(result: ScanResult) -> list[tuple[str, str | None, str | None]]:
    """(rule, table, column) of every finding, sorted: what a test usually asserts."""
    return sorted((f.rule, f.table, f.column) for f in result.findings)
