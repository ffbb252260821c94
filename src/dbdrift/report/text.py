"""The terminal report (``dbdrift scan``, the default format), drawn with rich.

A summary (score, findings per severity, the sources read), then the findings grouped by
table, each coloured by severity.  Colour only reaches a terminal: a pipe or a file gets
plain text `width` columns wide.  Rendered from the JSON report document, like Markdown.
"""

from __future__ import annotations

from typing import Any, TextIO

from dbdrift.scan import ScanResult

STYLES = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "yellow",
    "low": "cyan",
    "info": "dim",
}


def render(result: ScanResult, out: TextIO, width: int | None = None, color: bool = False) -> None:
    """Write the terminal report of `result` to `out`."""
    from dbdrift.report.json_report import document

    render_document(document(result), out, width=width, color=color)


def render_document(
    doc: dict[str, Any], out: TextIO, width: int | None = None, color: bool = False
) -> None:
    """Write the terminal report of a JSON report document to `out`."""
    from rich.console import Console

    console = Console(
        file=out,
        width=width,
        highlight=False,
        color_system="auto" if color else None,
        force_terminal=color,
        emoji=False,
        markup=False,
    )
    _summary(console, doc)
    _findings(console, doc)


def _summary(console: Any, doc: dict[str, Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    total = sum(doc["counts"].values())
    line = Text(f"Score {doc['score']}/100", style="bold")
    line.append(f"  {total} finding{'s' if total != 1 else ''}: ")
    for i, (severity, count) in enumerate(doc["counts"].items()):
        if i:
            line.append(", ")
        line.append(f"{count} {severity}", style=STYLES[severity] if count else "")
    console.print(line)
    console.print(Text(doc["score_formula"], style="dim"))
    if not doc["sources"]:
        console.print(f"No schema sources found under {doc['root']}.")
        return
    table = Table(title=f"Sources ({len(doc['sources'])})", title_justify="left")
    for header in ("id", "kind", "dialect", "tables", "group", "canonical"):
        table.add_column(header, overflow="fold", justify="right" if header == "tables" else "left")
    for s in doc["sources"]:
        table.add_row(
            Text(s["id"]),
            Text(s["kind"]),
            Text(s["dialect"]),
            str(s["table_count"]),
            Text(s["group"] or ""),
            "yes" if s["canonical"] else "",
        )
    console.print(table)
    errors = [e for s in doc["sources"] for e in s["errors"]] + list(doc["errors"])
    if errors:
        console.print(Text(f"{len(errors)} read error(s); see --format markdown", style="red"))


def _findings(console: Any, doc: dict[str, Any]) -> None:
    """Findings grouped by table (source-level findings last), worst table first."""
    from rich.text import Text

    if not doc["findings"]:
        console.print("No findings.")
        return
    by_table: dict[str, list[dict[str, Any]]] = {}
    for finding in doc["findings"]:
        by_table.setdefault(finding["table"] or "", []).append(finding)
    for table, findings in by_table.items():
        console.print()
        console.print(Text(table or "(sources)", style="bold underline"))
        for f in findings:
            head = Text("  ")
            head.append(f"{f['severity']:<8}", style=STYLES[f["severity"]])
            head.append(f" {f['rule']} ")
            head.append(f["title"])
            console.print(head)
            for e in f["evidence"]:
                where = e["path"] if e["line"] is None else f"{e['path']}:{e['line']}"
                console.print(Text(f"             {where}: {e['says']}", style="dim"))
            if f["fix"]:
                console.print(Text(f"             fix: {f['fix']}", style="green"))
