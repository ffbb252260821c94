"""The human report (``dbdrift scan --format markdown``), rendered with Jinja2.

The template reads the same dictionary as the JSON report (`json_report.document`) plus a
few views of it arranged for reading (findings by severity, the action plan), so every
number the Markdown prints is a number the JSON holds.  The output is deterministic.
"""

from __future__ import annotations

from typing import Any

from dbdrift.findings import SEVERITIES
from dbdrift.scan import ScanResult

TEMPLATE = "report.md.j2"


def render(result: ScanResult) -> str:
    """The Markdown report of a scan."""
    from dbdrift.report.json_report import document

    return render_document(document(result))


def render_document(doc: dict[str, Any]) -> str:
    """The Markdown report of a JSON report document."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("dbdrift.report", "templates"),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["cell"] = cell
    env.filters["code"] = code
    env.filters["fence"] = fence
    env.filters["where"] = where
    text = env.get_template(TEMPLATE).render(view=view(doc), **doc)
    return text.rstrip("\n") + "\n"


def view(doc: dict[str, Any]) -> dict[str, Any]:
    """What the template shows beyond the document: findings numbered and by severity."""
    numbered = [dict(f, number=i) for i, f in enumerate(doc["findings"], 1)]
    by_severity = [(s.value, [f for f in numbered if f["severity"] == s.value]) for s in SEVERITIES]
    groups_by_id = {g["id"]: g for g in doc["groups"]}
    return {
        "total": sum(doc["counts"].values()),
        "by_severity": [(s, fs) for s, fs in by_severity if fs],
        "groups_by_id": groups_by_id,
        "sources_by_id": {s["id"]: s for s in doc["sources"]},
        "noted": [s for s in doc["sources"] if s["notes"]],
        "read_errors": [(s["id"], e) for s in doc["sources"] for e in s["errors"]],
    }


def cell(value: object) -> str:
    """A value fit for a Markdown table cell: one line, pipes escaped."""
    text = "" if value is None else str(value)
    return " ".join(text.split()).replace("|", "\\|")


def code(value: object) -> str:
    """An inline code span that survives backticks inside the value."""
    text = "" if value is None else str(value)
    ticks = "``" if "`" in text else "`"
    pad = " " if ticks == "``" else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def fence(text: str, language: str | None) -> str:
    """A fenced code block longer than any backtick run inside `text`."""
    longest, run = 0, 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    marks = "`" * max(3, longest + 1)
    return f"{marks}{language or ''}\n{text.rstrip()}\n{marks}"


def where(evidence: dict[str, Any]) -> str:
    """`path:line`, or the path alone for an absence."""
    if evidence["line"] is None:
        return str(evidence["path"])
    return f"{evidence['path']}:{evidence['line']}"
