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


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line of `text` that contains `needle`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def located(finding: Finding) -> list[tuple[str, str, int | None]]:
    """(source, path, line) of every piece of evidence, in order."""
    return [(e.source, e.path, e.line) for e in finding.evidence]


# The paths the small repositories of the rule tests put their sources at.
MIGRATIONS = "db/migrations"
FIRST = "db/migrations/001_init.sql"
PRISMA_PATH = "prisma/schema.prisma"
MODELS_PATH = "app/models.py"
SNAPSHOT = "schema.sql"
