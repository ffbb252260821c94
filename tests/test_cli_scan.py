"""`dbdrift scan`, `rules` and `explain` through `run(argv, out, err)`: payloads and exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from dbdrift.checks.registry import SECTIONS
from dbdrift.checks.rules import all_rules, get
from dbdrift.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, PROGRESS_MIN_SOURCES, run
from dbdrift.findings import Severity
from dbdrift.report import json_report, rule_docs
from dbdrift.scan import scan
from reportrepos import REPO
from trees import write


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def invoke(*argv: str, err: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), err if err is not None else io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return write(tmp_path, REPO)


def test_json_payload_is_the_json_report(repo: Path) -> None:
    code, out, err = invoke("scan", str(repo), "--format", "json", "--fail-on", "none")
    assert (code, err) == (EXIT_OK, "")
    assert out == json_report.render(scan(repo))


@pytest.mark.parametrize("fail_on", [s.value for s in Severity])
def test_exit_code_follows_fail_on(repo: Path, fail_on: str) -> None:
    code, out, _ = invoke("scan", str(repo), "-f", "json", "--fail-on", fail_on)
    severities = [Severity(f["severity"]) for f in json.loads(out)["findings"]]
    expected = any(s.reaches(Severity(fail_on)) for s in severities)
    assert code == (EXIT_FINDINGS if expected else EXIT_OK)


def test_default_fail_on_is_high(repo: Path) -> None:
    assert invoke("scan", str(repo), "-f", "json")[0] == EXIT_FINDINGS  # DBD101 is critical
    consistent = write(repo / "ok", {"db/migrations/001.sql": REPO["db/migrations/001_init.sql"]})
    code, out, _ = invoke("scan", str(consistent), "-f", "json")
    counts = json.loads(out)["counts"]
    assert code == (EXIT_FINDINGS if counts["critical"] + counts["high"] else EXIT_OK)
    assert invoke("scan", str(repo), "--fail-on", "none")[0] == EXIT_OK


@pytest.mark.parametrize("format", ["text", "markdown", "json"])
def test_output_file_holds_the_payload(repo: Path, tmp_path: Path, format: str) -> None:
    target = tmp_path / f"report.{format}"
    code, out, err = invoke("scan", str(repo), "-f", format, "-o", str(target))
    assert (code, out, err) == (EXIT_FINDINGS, "", "")
    assert target.read_text(encoding="utf-8") == invoke("scan", str(repo), "-f", format)[1]


def test_unwritable_output_is_a_usage_error(repo: Path, tmp_path: Path) -> None:
    code, out, err = invoke("scan", str(repo), "-o", str(tmp_path / "missing" / "r.md"))
    assert (code, out) == (EXIT_ERROR, "")
    assert err.startswith("dbdrift: cannot write")


def test_unknown_canonical_lists_the_sources(repo: Path) -> None:
    code, out, err = invoke("scan", str(repo), "--canonical", "nope")
    assert (code, out) == (EXIT_ERROR, "")
    assert "unknown source 'nope'" in err
    for source in ("analytics/schema.sql", "db/migrations", "prisma/schema.prisma"):
        assert source in err


def test_canonical_chooses_the_reference(repo: Path) -> None:
    code, out, _ = invoke(
        "scan", str(repo), "-f", "json", "--canonical", "prisma/schema.prisma", "--fail-on", "none"
    )
    doc = json.loads(out)
    [group] = [g for g in doc["groups"] if "prisma/schema.prisma" in g["members"]]
    assert (code, group["canonical"]) == (EXIT_OK, "prisma/schema.prisma")
    assert not [f for f in doc["findings"] if f["rule"] == "DBD101" and f["table"] == "assets"]


def test_bad_options_exit_2(repo: Path) -> None:
    assert invoke("scan", str(repo), "--format", "yaml")[0] == EXIT_ERROR
    assert invoke("scan", str(repo), "--fail-on", "severe")[0] == EXIT_ERROR
    assert invoke("scan", str(repo / "absent"))[0] == EXIT_ERROR


def many_sources(root: Path) -> Path:
    files = {
        f"svc{i}/schema.sql": f"CREATE TABLE t{i} (id integer PRIMARY KEY);\n"
        for i in range(PROGRESS_MIN_SOURCES)
    }
    return write(root, files)


def test_progress_only_on_a_terminal_in_text_mode(tmp_path: Path) -> None:
    root = many_sources(tmp_path)
    code, out, err = invoke("scan", str(root), err=Terminal())
    assert code == EXIT_OK
    assert "Reading" in err
    assert "Reading" not in out
    for format in ("json", "markdown"):
        assert invoke("scan", str(root), "-f", format, err=Terminal())[2] == ""
    assert invoke("scan", str(root))[2] == ""


def test_text_is_plain_off_a_terminal(repo: Path) -> None:
    code, out, err = invoke("scan", str(repo))
    assert (code, err) == (EXIT_FINDINGS, "")
    assert "\x1b[" not in out
    assert "DBD101" in out


def test_rules_lists_every_rule() -> None:
    code, out, _ = invoke("rules", "--format", "json")
    listed = json.loads(out)["rules"]
    registered = [r for r in all_rules() if r.status != "removed"]
    assert code == EXIT_OK
    assert [(r["id"], r["name"], r["severity"]) for r in listed] == [
        (r.id, r.name, r.severity.value) for r in registered
    ]
    code, out, _ = invoke("rules")
    assert code == EXIT_OK
    for r in registered:
        assert r.id in out
        assert r.name in out


def test_explain_prints_the_rule_page() -> None:
    code, out, err = invoke("explain", "DBD101")
    assert (code, err) == (EXIT_OK, "")
    assert out == rule_docs.page(get("DBD101"))
    positions = [out.index(f"## {s}\n") for s in SECTIONS]
    assert positions == sorted(positions)
    assert invoke("explain", "table-missing-from-canonical")[1] == out


def test_explain_unknown_rule() -> None:
    code, out, err = invoke("explain", "DBD999")
    assert (code, out) == (EXIT_ERROR, "")
    assert "unknown rule 'DBD999'" in err
