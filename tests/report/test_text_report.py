"""The terminal report: summary and findings by table; plain text off a terminal."""

from __future__ import annotations

import io
import re
from pathlib import Path

from dbdrift.cli import PIPE_WIDTH
from dbdrift.report import text
from reportrepos import scan_repo

ANSI = re.compile(r"\x1b\[")


def render(result, **options) -> str:
    out = io.StringIO()
    text.render(result, out, **options)
    return out.getvalue()


def test_summary_and_findings_grouped_by_table(tmp_path: Path) -> None:
    result = scan_repo(tmp_path)
    shown = render(result, width=PIPE_WIDTH)
    assert not ANSI.search(shown)
    lines = shown.splitlines()
    assert re.match(rf"Score {result.score}/100  {len(result.findings)} findings?: ", lines[0])
    for severity, count in result.counts.items():
        assert f"{count} {severity}" in lines[0]
    for finding in result.findings:
        heading = finding.table or "(sources)"
        at = lines.index(heading)
        below = lines[at + 1 :]
        end = next((i for i, line in enumerate(below) if line == ""), len(below))
        assert any(f" {finding.rule} {finding.title}" in line for line in below[:end])
    assert max(len(line) for line in lines) <= PIPE_WIDTH


def test_dbd101_evidence_and_fix(tmp_path: Path) -> None:
    shown = render(scan_repo(tmp_path), width=PIPE_WIDTH)
    block = shown[shown.index("\nassets\n") :]
    assert "critical DBD101 assets is defined in prisma/schema.prisma" in block
    assert "prisma/schema.prisma:12: defines table assets" in block
    assert "db/migrations: no table assets" in block
    assert "fix: Add a migration to db/migrations" in block


def test_sources_table_lists_every_source(tmp_path: Path) -> None:
    result = scan_repo(tmp_path)
    shown = render(result, width=PIPE_WIDTH)
    assert f"Sources ({len(result.discovery.sources)})" in shown
    for member in result.matrix.members:
        assert re.search(rf"{re.escape(member.id)}\s.*\s{len(member.tables)}\s", shown)


def test_colour_only_when_asked(tmp_path: Path) -> None:
    result = scan_repo(tmp_path)
    assert ANSI.search(render(result, width=PIPE_WIDTH, color=True))


def test_no_sources(tmp_path: Path) -> None:
    shown = render(scan_repo(tmp_path, {"README.md": "x\n"}), width=PIPE_WIDTH)
    assert "No schema sources found" in shown
    assert "No findings." in shown
