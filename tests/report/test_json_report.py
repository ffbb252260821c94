"""The JSON report: valid against its schema, deterministic, and consistent with itself."""

from __future__ import annotations

import json
import math
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from dbdrift.findings import Severity
from dbdrift.report import json_report
from dbdrift.score import SCALE, WEIGHTS
from reportrepos import REPO, recount, scan_repo


def schema() -> dict:
    text = resources.files("dbdrift.report").joinpath(json_report.SCHEMA_FILE).read_text()
    return json.loads(text)


@pytest.fixture
def doc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.chdir(tmp_path)
    return json.loads(json_report.render(scan_repo(Path("."))))


def test_validates_against_the_schema(doc: dict) -> None:
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.Draft202012Validator(schema()).validate(doc)
    assert doc["format"] == "dbdrift/1"


def test_schema_rejects_a_report_missing_a_field(doc: dict) -> None:
    del doc["findings"][0]["fingerprint"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema(), cls=jsonschema.Draft202012Validator)


def test_byte_identical_wherever_and_however_the_tree_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs = []
    for name, files in (("a", REPO), ("b", dict(reversed(REPO.items())))):
        root = tmp_path / name
        root.mkdir()
        monkeypatch.chdir(root)
        outputs.append(json_report.render(scan_repo(Path("."), files)))
    assert outputs[0] == outputs[1]
    assert str(tmp_path) not in outputs[0]
    assert json.loads(outputs[0])["root"] == "."


def test_counts_and_score_follow_from_the_findings(doc: dict) -> None:
    numbers = recount(doc)
    assert doc["counts"] == {s.value: numbers["severities"][s.value] for s in Severity}
    penalty = sum(WEIGHTS[Severity(f["severity"])] for f in doc["findings"])
    assert doc["score"] == math.floor(100 * SCALE / (SCALE + penalty))


def test_sources_agree_with_groups_and_matrix(doc: dict) -> None:
    numbers = recount(doc)
    groups = {g["id"]: g for g in doc["groups"]}
    assert sorted(s["id"] for s in doc["sources"]) == sorted(
        m for g in doc["groups"] for m in g["members"]
    )
    for source in doc["sources"]:
        group = groups[source["group"]]
        assert source["id"] in group["members"]
        assert source["canonical"] == (group["canonical"] == source["id"])
        assert source["table_count"] == numbers["tables"][source["id"]]
        covered, total = numbers["covered"][source["id"]]
        assert source["completeness"] == {
            "covered": covered,
            "total": total,
            "percent": covered * 100 // total if total else 100,
        }
    for gid, rows in doc["matrix"].items():
        for cells in rows.values():
            assert sorted(cells) == sorted(groups[gid]["members"])


def test_groups_read_errors_and_notes(doc: dict) -> None:
    assert [g["id"] for g in doc["groups"]] == ["mysql", "postgresql"]
    assert doc["groups"][1]["canonical"] == "db/migrations"
    sources = {s["id"]: s for s in doc["sources"]}
    assert sources["db/migrations"]["errors"][0]["path"] == "db/migrations/002_orders.sql"
    assert sources["db/migrations"]["errors"][0]["line"] == 3
    assert sources["db/migrations"]["notes"] == {"view": 1}
    assert doc["skipped"] == [{"path": "db/seed.sql", "reason": doc["skipped"][0]["reason"]}]


def test_dbd101_finding(doc: dict) -> None:
    [finding] = [f for f in doc["findings"] if f["rule"] == "DBD101"]
    assert finding["name"] == "table-missing-from-canonical"
    assert (finding["severity"], finding["table"], finding["group"]) == (
        "critical",
        "assets",
        "postgresql",
    )
    assert [(e["path"], e["line"]) for e in finding["evidence"]] == [
        ("prisma/schema.prisma", 12),
        ("db/migrations", None),
    ]
    assert doc["matrix"]["postgresql"]["assets"]["prisma/schema.prisma"]["line"] == 12
    [edit] = finding["edits"]
    assert (edit["action"], edit["source"], edit["unsafe"]) == ("add-table", "db/migrations", False)
    assert edit["language"] == "sql"
    assert "CREATE TABLE assets" in edit["text"]


def test_findings_are_worst_first(doc: dict) -> None:
    ranks = [Severity(f["severity"]).rank for f in doc["findings"]]
    assert ranks == sorted(ranks)
    assert len({f["fingerprint"] for f in doc["findings"]}) == len(doc["findings"])


def test_edits_without_the_fix_writers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dbdrift.fix", None)  # importing it raises ImportError
    doc = json.loads(json_report.render(scan_repo(tmp_path)))
    [finding] = [f for f in doc["findings"] if f["rule"] == "DBD101"]
    assert finding["edits"] == [{"action": "add-table", "source": "db/migrations", "unsafe": False}]
    jsonschema.Draft202012Validator(schema()).validate(doc)
