"""The Markdown report: every number it prints is the JSON report's number."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dbdrift.findings import SEVERITIES
from dbdrift.report import json_report, markdown
from reportrepos import recount, scan_repo


@pytest.fixture
def reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict]:
    monkeypatch.chdir(tmp_path)
    result = scan_repo(Path("."))
    return markdown.render(result), json.loads(json_report.render(result))


def section(text: str, heading: str) -> str:
    """The body of the `## heading` section (up to the next `## `)."""
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def table_rows(text: str) -> list[list[str]]:
    """The cells of every Markdown table row in `text`, header and rule lines left out."""
    rows = []
    for line in text.splitlines():
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line.strip("|"))])
    return [r for r in rows if r[0] not in ("Severity", "Source", "Table")]


def unquote(cell: str) -> str:
    return cell.strip("`*")


def test_summary_numbers_match_the_json(reports: tuple[str, dict]) -> None:
    text, doc = reports
    summary = section(text, "Executive summary")
    assert re.search(r"\*\*Score: (\d+)/100\*\*", summary).group(1) == str(doc["score"])
    counts = {unquote(r[0]): int(unquote(r[1])) for r in table_rows(summary) if len(r) == 2}
    assert counts == {**doc["counts"], "total": len(doc["findings"])}
    tally = recount(doc)["severities"]
    assert all(counts[s.value] == tally[s.value] for s in SEVERITIES)
    sources = {unquote(r[0]): r for r in table_rows(summary) if len(r) == 6}
    assert sorted(sources) == sorted(s["id"] for s in doc["sources"])
    for s in doc["sources"]:
        _, kind, dialect, tables, group, canonical = sources[s["id"]]
        assert (kind, dialect, int(tables), group) == (
            s["kind"],
            s["dialect"],
            recount(doc)["tables"][s["id"]],
            s["group"],
        )
        assert canonical == ("yes" if s["canonical"] else "no")


def test_completeness_numbers_match_the_json(reports: tuple[str, dict]) -> None:
    text, doc = reports
    rows = table_rows(section(text, "Completeness per source"))
    covered = recount(doc)["covered"]
    assert len(rows) == len(doc["sources"])
    for source, group, have, total, percent in rows:
        source = unquote(source)
        assert (int(have), int(total)) == covered[source]
        assert int(percent.rstrip("%")) == int(have) * 100 // int(total)
        entry = next(s for s in doc["sources"] if s["id"] == source)
        assert entry["group"] == group
        assert entry["completeness"]["percent"] == int(percent.rstrip("%"))


def test_findings_critical_first_with_their_counts(reports: tuple[str, dict]) -> None:
    text, doc = reports
    findings = section(text, "Findings")
    headings = re.findall(r"^### (\w+) \((\d+)\)$", findings, re.MULTILINE)
    order = [s.value for s in SEVERITIES]
    assert [h.lower() for h, _ in headings] == [s for s in order if doc["counts"][s]]
    assert {h.lower(): int(n) for h, n in headings} == {s: n for s, n in doc["counts"].items() if n}
    numbered = re.findall(r"^#### (\d+)\. (.+)$", findings, re.MULTILINE)
    assert numbered == [(str(i), f["title"]) for i, f in enumerate(doc["findings"], 1)]


def test_dbd101_with_evidence_and_sql_fix(reports: tuple[str, dict]) -> None:
    text, doc = reports
    [number] = [i for i, f in enumerate(doc["findings"], 1) if f["rule"] == "DBD101"]
    start = text.index(f"#### {number}. ")
    block = text[start : text.index("\n####", start + 1)]
    assert "Rule: DBD101 `table-missing-from-canonical`" in block
    assert "- `prisma/schema.prisma:12` — defines table assets" in block
    assert "- `db/migrations` — no table assets" in block
    assert re.search(r"```sql\nCREATE TABLE assets \(.*?\n```", block, re.DOTALL)
    plan = section(text, "Action plan")
    assert f"(DBD101, finding {number})" in plan


def test_inventory_marks_each_table_per_source(reports: tuple[str, dict]) -> None:
    text, doc = reports
    inventory = section(text, "Inventory of tables by source")
    for group in doc["groups"]:
        start = inventory.index(f"### Group `{group['id']}`")
        end = inventory.find("### Group", start + 1)
        rows = table_rows(inventory[start : end if end != -1 else len(inventory)])
        cells = doc["matrix"][group["id"]]
        assert [unquote(r[0]) for r in rows] == list(cells)
        for row in rows:
            key = unquote(row[0])
            for member, shown in zip(group["members"], row[1:], strict=True):
                cell = cells[key][member]
                spelled = f" as `{cell['name']}`" if cell.get("name") != key else ""
                assert shown == (f"✓{spelled}" if cell["present"] else "")


def test_action_plan_lists_every_finding_once(reports: tuple[str, dict]) -> None:
    text, doc = reports
    plan = section(text, "Action plan")
    referenced = sorted(int(n) for n in re.findall(r", finding (\d+)\)$", plan, re.MULTILINE))
    assert referenced == list(range(1, len(doc["findings"]) + 1))


def test_what_was_not_compared(reports: tuple[str, dict]) -> None:
    text, doc = reports
    rest = section(text, "What was not compared")
    for group in doc["groups"]:
        assert f"- `{group['id']}` ({len(group['members'])} sources)" in rest
    notes = {(unquote(r[0]), r[1]): int(r[2]) for r in table_rows(rest)}
    assert notes == {(s["id"], k): n for s in doc["sources"] for k, n in s["notes"].items()}
    assert "- `db/migrations/002_orders.sql:3` (`db/migrations`): syntax error" in rest
    assert "- `db/seed.sql`: data only" in rest


def test_deterministic_and_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    first = markdown.render(scan_repo(Path(".")))
    assert first == markdown.render(scan_repo(Path(".")))
    assert str(tmp_path) not in first


def test_empty_repository(tmp_path: Path) -> None:
    text = markdown.render(scan_repo(tmp_path, {"README.md": "nothing here\n"}))
    assert "No schema sources were found" in text
    assert "No findings." in text
    assert "**Score: 100/100**" in text
