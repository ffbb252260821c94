"""Rule documentation: every rule has the six sections, and docs/rules/ is up to date."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from dbdrift.checks.registry import SECTIONS
from dbdrift.checks.rules import all_rules
from dbdrift.report import rule_docs

ROOT = Path(__file__).resolve().parent.parent
RULES = all_rules()


def generator():
    spec = importlib.util.spec_from_file_location(
        "gen_rule_docs", ROOT / "scripts/gen_rule_docs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_rule_has_the_six_sections_in_order(rule) -> None:
    assert re.fullmatch(r"DBD\d{3}", rule.id)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert rule.summary, f"{rule.id} has no one-line summary"
    found = [s for s in rule_docs.sections(rule) if s in SECTIONS]
    assert found == list(SECTIONS), f"{rule.id}: sections {found}"
    parts = re.split(r"^## .+$", rule.doc, flags=re.MULTILINE)
    assert all(part.strip() for part in parts), f"{rule.id} has an empty section"


def test_missing_sections_are_reported() -> None:
    rule = RULES[0]
    broken = type(rule.fn)(rule.fn.__code__, rule.fn.__globals__)
    broken.__doc__ = rule.fn.__doc__.replace("## Fix safety", "## Safety")
    assert rule_docs.missing_sections(rule) == []
    assert rule_docs.missing_sections(rule.__class__(**{**_fields(rule), "fn": broken})) == [
        "Fix safety"
    ]


def _fields(rule) -> dict:
    return {name: getattr(rule, name) for name in rule.__dataclass_fields__}


def test_committed_pages_equal_the_generated_ones() -> None:
    gen = generator()
    expected, committed = gen.expected(), gen.committed()
    stale = sorted(
        n for n in expected.keys() | committed.keys() if expected.get(n) != committed.get(n)
    )
    assert not stale, f"run `python scripts/gen_rule_docs.py`; out of date: {stale}"
    assert set(expected) == {f"{r.id}.md" for r in RULES} | {"README.md"}


def test_index_links_every_rule() -> None:
    index = rule_docs.index(RULES)
    for rule in RULES:
        assert f"| [{rule.id}]({rule.id}.md) | {rule.name} | {rule.severity.value} |" in index


def test_page_carries_the_docstring() -> None:
    for rule in RULES:
        page = rule_docs.page(rule)
        assert page.startswith(f"# {rule.id}: {rule.name}\n")
        assert rule.doc.strip() in page
