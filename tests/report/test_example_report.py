"""End to end on the bundled example: the exact findings against a golden file reviewed by
hand (against the drifts listed in examples/multi-source-app/README.md), and every number of
the Markdown report against counts taken from the JSON.

To review a change of the golden file, print the new one with
``PYTHONPATH=tests:tests/report python tests/report/test_example_report.py`` and compare it
line by line with the README.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import test_markdown_report as numbers

from dbdrift.report import json_report, markdown
from dbdrift.scan import scan

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = "examples/multi-source-app"
GOLDEN = Path(__file__).with_name("golden") / "multi-source-app.json"


def summary(doc: dict) -> dict:
    """What the golden file pins: every finding's rule, severity, subject and evidence."""
    return {
        "score": doc["score"],
        "counts": doc["counts"],
        "findings": [
            {
                "rule": f["rule"],
                "severity": f["severity"],
                "table": f["table"],
                "column": f["column"],
                "evidence": [[e["source"], e["path"], e["line"]] for e in f["evidence"]],
            }
            for f in doc["findings"]
        ],
    }


@pytest.fixture(scope="module")
def reports() -> tuple[str, dict]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        result = scan(Path(EXAMPLE))
        return markdown.render(result), json.loads(json_report.render(result))


def test_findings_equal_the_reviewed_golden_file(reports: tuple[str, dict]) -> None:
    _, doc = reports
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    got = summary(doc)
    assert got["findings"] == golden["findings"]
    assert (got["score"], got["counts"]) == (golden["score"], golden["counts"])


def test_every_planted_drift_is_found(reports: tuple[str, dict]) -> None:
    """The README's planted drifts, each by its rule and subject."""
    _, doc = reports
    found = {(f["rule"], f["table"], f["column"]) for f in doc["findings"]}
    planted = {
        ("DBD113", "users", "full_name"),  # Prisma `name` for full_name
        ("DBD113", "campaigns", "user_id"),  # userId without @map
        ("DBD110", "campaigns", "description"),  # Prisma-only campaigns columns
        ("DBD111", "campaigns", "product_name"),  # NOT NULL columns models cannot write
        ("DBD207", "campaigns", "status"),  # an enum value more in Prisma
        ("DBD206", "videos", "published_at"),  # timestamp vs timestamptz
        ("DBD101", "assets", None),  # Prisma-only tables
        ("DBD101", "experiments", None),
        ("DBD202", "daily_analytics", "spend"),  # money in FLOAT
        ("DBD201", "predictions", "id"),  # VARCHAR vs UUID key
        ("DBD104", "render_jobs", None),  # a different table with the same name
        ("DBD101", "prediction_records", None),  # Python-only tables
        ("DBD101", "drift_reports", None),
        ("DBD501", None, None),  # five identical copies of models.py
        ("DBD502", None, None),  # the ml-service copy diverged
        ("DBD504", None, None),  # database_schema.sql is the state after 004
        ("DBD202", "clips", "engagement_score"),  # the diverged copy's float
        ("DBD110", "clips", "embedding_version"),  # the diverged copy's extra column
    }
    assert planted <= found, sorted(planted - found)


def test_markdown_numbers_equal_the_json(reports: tuple[str, dict]) -> None:
    numbers.test_summary_numbers_match_the_json(reports)
    numbers.test_completeness_numbers_match_the_json(reports)
    numbers.test_findings_critical_first_with_their_counts(reports)
    numbers.test_action_plan_lists_every_finding_once(reports)


def test_exit_code_and_byte_identical_output(tmp_path: Path) -> None:
    import io

    from dbdrift.cli import EXIT_FINDINGS, run

    outputs = []
    for _ in range(2):
        out, err = io.StringIO(), io.StringIO()
        code = run(["scan", str(ROOT / EXAMPLE), "--format", "json"], out, err)
        assert (code, err.getvalue()) == (EXIT_FINDINGS, "")
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]


if __name__ == "__main__":
    import os

    os.chdir(ROOT)
    pinned = summary(json.loads(json_report.render(scan(Path(EXAMPLE)))))
    lines = [json.dumps(f, ensure_ascii=False) for f in pinned["findings"]]
    sys.stdout.write(
        f'{{"score": {pinned["score"]}, "counts": {json.dumps(pinned["counts"])},\n'
        ' "findings": [\n  ' + ",\n  ".join(lines) + "\n]}\n"
    )
