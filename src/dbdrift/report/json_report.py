"""The machine map of a scan (``dbdrift scan --format json``), versioned ``dbdrift/1``.

`document(result)` builds the one dictionary every human report is also rendered from, so
the Markdown and terminal reports cannot print a number the JSON does not hold.  The output
is deterministic: every list is sorted (findings in report order), there is no timestamp,
and paths are repo-relative with the root as the user gave it.  The shape is described by
``dbdrift-1.schema.json`` beside this module.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from typing import Any

from dbdrift.align import Group, Matrix, Member, TableRow, table_key
from dbdrift.findings import Edit, Finding
from dbdrift.scan import ScanResult
from dbdrift.schema import Error

FORMAT = "dbdrift/1"
SCHEMA_FILE = "dbdrift-1.schema.json"


def render(result: ScanResult) -> str:
    """The JSON report as text, one trailing newline."""
    return json.dumps(document(result), indent=2, ensure_ascii=False) + "\n"


def document(result: ScanResult) -> dict[str, Any]:
    """The report as plain data: sources, groups, the table matrix, findings and errors."""
    from dbdrift import score

    matrix = result.matrix
    return {
        "format": FORMAT,
        "root": result.root,
        "score": result.score,
        "score_formula": score.FORMULA,
        "counts": dict(result.counts),
        "sources": [_source(matrix, m) for m in matrix.members],
        "groups": [_group(g) for g in matrix.groups],
        "matrix": {g.id: {row.key: _matrix_row(row) for row in g.rows} for g in matrix.groups},
        "findings": [_finding(f) for f in result.findings],
        "skipped": [{"path": s.path, "reason": s.reason} for s in result.discovery.skipped],
        "errors": [_error(e) for e in sorted(result.discovery.errors, key=_error_key)],
    }


def _source(matrix: Matrix, member: Member) -> dict[str, Any]:
    source = member.source
    group = matrix.group_of(member.id)
    notes = Counter(note.kind for note in member.schema.notes)
    return {
        "id": source.id,
        "kind": source.kind,
        "dialect": source.dialect,
        "dialect_evidence": source.dialect_evidence,
        "paths": list(source.paths),
        "files": list(source.files),
        "table_count": len(member.tables),
        "group": group.id if group is not None else None,
        "canonical": group is not None and group.canonical == member.id,
        "completeness": _completeness(group, member) if group is not None else None,
        "notes": dict(sorted(notes.items())),
        "errors": [_error(e) for e in sorted(member.schema.errors, key=_error_key)],
    }


def _completeness(group: Group, member: Member) -> dict[str, int]:
    """How many of the canonical source's tables `member` has (by aligned row)."""
    canonical_rows = [row for row in group.rows if row.in_canonical]
    covered = sum(1 for row in canonical_rows if member.id in row.tables)
    total = len(canonical_rows)
    return {"covered": covered, "total": total, "percent": percent(covered, total)}


def percent(part: int, whole: int) -> int:
    """`part` of `whole` as a whole percentage, rounded down (100 only when complete)."""
    return 100 if whole == 0 else part * 100 // whole


def _group(group: Group) -> dict[str, Any]:
    return {
        "id": group.id,
        "dialect": group.dialect,
        "why": group.why,
        "canonical": group.canonical,
        "canonical_why": group.canonical_why,
        "members": [m.id for m in group.members],
    }


def _matrix_row(row: TableRow) -> dict[str, Any]:
    """For every source of the group: whether it has the table, under which name, where."""
    cells: dict[str, Any] = {}
    for member in row.group.members:
        table = row.tables.get(member.id)
        if table is None:
            cells[member.id] = {"present": False, "name": None, "path": None, "line": None}
            continue
        origin = table.origin
        cells[member.id] = {
            "present": True,
            "name": row.spelled.get(member.id, table_key(table)),
            "path": origin.path if origin is not None else None,
            "line": origin.line if origin is not None else None,
        }
    return cells


def _finding(finding: Finding) -> dict[str, Any]:
    from dbdrift.checks.rules import get

    rule = get(finding.rule)
    return {
        "rule": finding.rule,
        "name": rule.name if rule is not None else None,
        "severity": finding.severity.value,
        "title": finding.title,
        "message": finding.message,
        "table": finding.table,
        "column": finding.column,
        "group": finding.group,
        "evidence": [
            {"source": e.source, "path": e.path, "line": e.line, "says": e.says}
            for e in finding.evidence
        ],
        "fix": finding.fix,
        "edits": [snippet(edit) for edit in finding.edits],
        "fingerprint": finding.fingerprint,
    }


def snippet(edit: Edit) -> dict[str, Any]:
    """An edit as the writer of its target renders it: language, text and whether unsafe.

    The fix writers are optional at this layer: without them an edit is shown by its action
    and the source it changes.
    """
    shown: dict[str, Any] = {"action": edit.action, "source": edit.source, "unsafe": edit.unsafe}
    if edit.note:
        shown["note"] = edit.note
    try:
        from dbdrift.fix import render as render_edit

        rendered = render_edit(edit)
    except ImportError:  # the writers of the fix package are not installed
        return shown
    fields = rendered if isinstance(rendered, Mapping) else _attributes(rendered)
    shown["language"] = fields.get("language")
    shown["text"] = fields.get("text")
    shown["unsafe"] = bool(fields.get("unsafe") or edit.unsafe)
    return shown


def _attributes(obj: object) -> dict[str, Any]:
    return {name: getattr(obj, name, None) for name in ("language", "text", "unsafe")}


def _error(error: Error) -> dict[str, Any]:
    return {"message": error.message, "path": error.origin.path, "line": error.origin.line}


def _error_key(error: Error) -> tuple[str, int, str]:
    return (error.origin.path, error.origin.line, error.message)
