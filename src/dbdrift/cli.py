"""The command line: thin commands over importable stages.

`run(argv, out, err)` parses and runs one command and returns the exit code, so tests call
it with string buffers; only `main` exits.  Only the payload goes to `out`; problems go to
`err` as one line each.  A problem inside a repository's files is part of the payload
(an error entry, exit 0); exit 2 is for what the user asked wrongly, or a bug of ours,
which prints one line and never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from typer.exceptions import TyperException

from dbdrift import readers
from dbdrift.discover import Discovery, discover
from dbdrift.findings import Finding, Severity
from dbdrift.schema import Schema
from dbdrift.source import Source

if TYPE_CHECKING:
    from dbdrift.scan import Progress, ScanResult

log = logging.getLogger(__name__)

PROG = "dbdrift"

# Exit codes, the one place they are defined.
EXIT_OK = 0
"""Nothing reached ``--fail-on``; input errors inside files are reported, still 0."""
EXIT_FINDINGS = 1
"""A finding reached ``--fail-on``."""
EXIT_ERROR = 2
"""A usage error (unknown source, bad option, missing path) or an internal error."""

PIPE_WIDTH = 200
PROGRESS_MIN_SOURCES = 10
"""A scan reading fewer sources than this shows no progress bar."""


class UsageError(Exception):
    """Something the user asked that cannot be done; one line on stderr, exit 2."""


@dataclass(frozen=True, slots=True)
class Streams:
    """Where a command writes: the payload to `out`, diagnostics to `err`."""

    out: TextIO
    err: TextIO


class SourcesFormat(StrEnum):
    text = "text"
    json = "json"


class SchemaFormat(StrEnum):
    json = "json"
    sql = "sql"


class ScanFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


class FailOn(StrEnum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    info = "info"
    none = "none"


app = typer.Typer(
    name=PROG,
    help="Find every place a codebase disagrees with itself about its database.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

RepoPath = Annotated[
    Path,
    typer.Argument(
        exists=True, file_okay=False, help="The repository (or folder) to read.", show_default=True
    ),
]


@app.command()
def sources(
    ctx: typer.Context,
    path: RepoPath = Path("."),
    format: Annotated[
        SourcesFormat, typer.Option("--format", "-f", help="Output format.")
    ] = SourcesFormat.text,
) -> None:
    """List the schema sources found under PATH, with kinds, dialects and what was skipped."""
    streams: Streams = ctx.obj
    found = discover(path)
    if format is SourcesFormat.json:
        _write_json(streams.out, found.to_dict())
    else:
        _sources_text(found, path, streams.out)


@app.command()
def schema(
    ctx: typer.Context,
    source: Annotated[
        str, typer.Option("--source", "-s", help="The source id, as `dbdrift sources` lists it.")
    ],
    path: RepoPath = Path("."),
    format: Annotated[
        SchemaFormat, typer.Option("--format", "-f", help="Output format.")
    ] = SchemaFormat.json,
) -> None:
    """Print one source's normalized schema, as JSON or as DDL in the source's dialect."""
    streams: Streams = ctx.obj
    found = discover(path)
    chosen = found.source(source)
    if chosen is None:
        raise UsageError(_unknown_source(source, path, found))
    result = read(chosen)
    if format is SchemaFormat.sql:
        from dbdrift.report.schema_sql import render

        streams.out.write(render(result))
    else:
        _write_json(streams.out, result.to_dict())


@app.command()
def scan(
    ctx: typer.Context,
    path: RepoPath = Path("."),
    format: Annotated[
        ScanFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ScanFormat.text,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", dir_okay=False, help="Write the report to FILE."),
    ] = None,
    fail_on: Annotated[
        FailOn,
        typer.Option("--fail-on", help="Exit 1 when a finding is at least this severe."),
    ] = FailOn.high,
    canonical: Annotated[
        str | None,
        typer.Option("--canonical", help="The source id the others are compared with."),
    ] = None,
    verify: Annotated[
        bool,
        typer.Option(
            "--verify",
            help="Also apply every SQL source to a scratch database and report where the "
            "database disagrees with dbdrift's reading (DBD905).",
        ),
    ] = False,
    verify_db: Annotated[
        str | None,
        typer.Option(
            "--verify-db",
            help="Server URL (or env:VAR) for --verify's scratch databases; "
            "default: a throwaway local PostgreSQL.",
        ),
    ] = None,
    db: Annotated[
        list[str] | None,
        typer.Option(
            "--db",
            help="A live database to compare, read-only: name=URL, name=env:VAR or a bare URL "
            "(named db1, db2 ...). Repeatable; adds to [tool.dbdrift] databases.",
        ),
    ] = None,
    db_timeout: Annotated[
        float,
        typer.Option("--db-timeout", min=0.1, help="Seconds to wait for each database."),
    ] = 10.0,
) -> int:
    """Compare every schema source under PATH and report where they disagree."""
    from dbdrift.scan import scan as run_scan

    streams: Streams = ctx.obj
    show_progress = format is ScanFormat.text and _isatty(streams.err)
    checked = {**_verify_options(verify, verify_db), **_database_options(db, db_timeout)}
    with _progress(streams.err, show_progress) as progress:
        result = _scan_or_usage_error(run_scan, path, canonical, progress, **checked)
    if canonical is not None:
        chosen = result.discovery.source(canonical)
        if chosen is None:
            raise UsageError(_unknown_source(canonical, path, result.discovery))
        if chosen.id != canonical:  # named by the path of a copy
            result = _scan_or_usage_error(run_scan, path, chosen.id, **checked)
    _database_errors(result, streams.err)
    _write_report(result, format, output, streams.out)
    return _exit_code(result.findings, fail_on)


def _scan_or_usage_error(run_scan: Any, *args: Any, **kwargs: Any) -> ScanResult:
    """Run the scan; a bad configuration file or database name is the user's error."""
    from dbdrift.config import ConfigError
    from dbdrift.readers.database.urls import DatabaseError

    try:
        return run_scan(*args, **kwargs)
    except (ConfigError, DatabaseError) as exc:
        raise UsageError(str(exc)) from exc


def _database_options(db: list[str] | None, timeout: float) -> dict[str, Any]:
    """``scan``'s keyword arguments for --db and --db-timeout."""
    return {"databases": tuple(db or ()), "db_timeout": timeout}


def _database_errors(result: ScanResult, err: TextIO) -> None:
    """One line on stderr for each database that could not be read (also an error finding)."""
    for member in result.matrix.members:
        if member.kind == "database":
            for error in member.schema.errors:
                err.write(f"{PROG}: {error.message}\n")


def _verify_options(verify: bool, verify_db: str | None) -> dict[str, Any]:
    """``scan``'s keyword arguments for --verify; --verify-db alone implies --verify."""
    if verify_db is None:
        return {"verify": verify}
    from dbdrift.readers.database.urls import DatabaseError, expand

    try:
        return {"verify": True, "verify_db": expand(verify_db)}
    except DatabaseError as exc:
        raise UsageError(str(exc)) from exc


def _write_report(result: ScanResult, format: ScanFormat, output: Path | None, out: TextIO) -> None:
    """Render `result` to `out`, or to the file `output`."""
    target: TextIO = io.StringIO() if output is not None else out
    if format is ScanFormat.json:
        from dbdrift.report.json_report import render as render_json

        target.write(render_json(result))
    elif format is ScanFormat.markdown:
        from dbdrift.report.markdown import render as render_markdown

        target.write(render_markdown(result))
    else:
        from dbdrift.report.text import render as render_text

        tty = _isatty(target)
        render_text(result, target, width=None if tty else PIPE_WIDTH, color=tty)
    if output is not None:
        assert isinstance(target, io.StringIO)
        try:
            output.write_text(target.getvalue(), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc


def _exit_code(findings: Sequence[Finding], fail_on: FailOn) -> int:
    if fail_on is FailOn.none:
        return EXIT_OK
    threshold = Severity(fail_on.value)
    return EXIT_FINDINGS if any(f.severity.reaches(threshold) for f in findings) else EXIT_OK


@contextlib.contextmanager
def _progress(err: TextIO, enabled: bool) -> Iterator[Progress | None]:
    """A progress callback drawing a transient bar on `err`, once a scan has many sources."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress as Bar

    bar = Bar(console=Console(file=err), transient=True)
    task: list[Any] = []

    def update(source_id: str, done: int, total: int) -> None:
        if total < PROGRESS_MIN_SOURCES:
            return
        if not task:
            task.append(bar.add_task("Reading sources", total=total))
        bar.update(task[0], completed=done, description=f"Reading {source_id}")

    with bar:
        yield update


@app.command()
def rules(
    ctx: typer.Context,
    format: Annotated[
        SourcesFormat, typer.Option("--format", "-f", help="Output format.")
    ] = SourcesFormat.text,
) -> None:
    """List every rule: id, name, default severity and what it detects."""
    from dbdrift.checks.rules import all_rules
    from dbdrift.report.rule_docs import summary

    streams: Streams = ctx.obj
    listed = [r for r in all_rules() if r.status != "removed"]
    if format is SourcesFormat.json:
        _write_json(
            streams.out,
            {
                "format": "dbdrift/1",
                "rules": [
                    {
                        "id": r.id,
                        "name": r.name,
                        "severity": r.severity.value,
                        "over": r.over,
                        "status": r.status,
                        "summary": summary(r),
                    }
                    for r in listed
                ],
            },
        )
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(
        file=streams.out, highlight=False, width=None if _isatty(streams.out) else PIPE_WIDTH
    )
    table = Table(title=f"Rules ({len(listed)})", title_justify="left")
    for header in ("id", "name", "severity", "summary"):
        table.add_column(header, overflow="fold")
    for r in listed:
        table.add_row(r.id, Text(r.name), r.severity.value, Text(summary(r)))
    console.print(table)


@app.command()
def explain(
    ctx: typer.Context,
    rule: Annotated[str, typer.Argument(help="A rule id (DBD101) or name.")],
) -> None:
    """Print a rule's documentation: what it detects, why it breaks, how to fix it."""
    from dbdrift.checks.rules import get
    from dbdrift.report.rule_docs import page

    streams: Streams = ctx.obj
    found = get(rule)
    if found is None:
        raise UsageError(f"unknown rule {rule!r}; `{PROG} rules` lists them")
    streams.out.write(page(found))


@app.command()
def verify(
    ctx: typer.Context,
    source: Annotated[
        str, typer.Option("--source", "-s", help="The source id, as `dbdrift sources` lists it.")
    ],
    path: RepoPath = Path("."),
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Server URL (or env:VAR) to create the scratch database on; "
            "default: a throwaway local PostgreSQL.",
        ),
    ] = None,
    db_timeout: Annotated[
        float, typer.Option("--db-timeout", help="Seconds to wait for a connection.")
    ] = 10.0,
    format: Annotated[
        SourcesFormat, typer.Option("--format", "-f", help="Output format.")
    ] = SourcesFormat.text,
) -> int:
    """Apply a source to a scratch database and compare the database with dbdrift's reading.

    Exit 0 when they agree, 1 when they differ, 2 when it cannot be done.  The scratch
    database is dropped whatever happens.
    """
    from dbdrift.readers.database.urls import DatabaseError, expand, password_of
    from dbdrift.verify import VerifyError
    from dbdrift.verify import verify as run_verify

    streams: Streams = ctx.obj
    url = None
    if db is not None:
        try:
            url = expand(db)
        except DatabaseError as exc:
            raise UsageError(str(exc)) from exc
    found = discover(path)
    chosen = found.source(source)
    if chosen is None:
        raise UsageError(_unknown_source(source, path, found))
    try:
        result = run_verify(chosen, url, static=read(chosen), timeout=db_timeout)
    except VerifyError as exc:
        message = str(exc)
        secret = password_of(url) if url else None
        raise UsageError(message.replace(secret, "***") if secret else message) from exc
    if format is SourcesFormat.json:
        _write_json(
            streams.out,
            {
                "format": "dbdrift/1",
                "source": result.source,
                "server": result.server,
                "agrees": result.agrees,
                "differences": list(result.differences),
                "refused": [
                    {"path": r.path, "line": r.line, "message": r.message} for r in result.refused
                ],
            },
        )
    else:
        _verify_text(result, streams.out)
    return EXIT_OK if result.agrees else EXIT_FINDINGS


def _verify_text(result: Any, out: TextIO) -> None:
    where = f"{result.source} applied to a scratch database on {result.server}"
    if result.refused:
        out.write(f"The database refused {len(result.refused)} statements:\n")
        out.writelines(f"  {r}\n" for r in result.refused)
    if result.agrees:
        out.write(f"{where}: the database agrees with dbdrift's reading.\n")
        return
    count = len(result.differences)
    out.write(f"{where}: {count} difference{'s' if count != 1 else ''} from dbdrift's reading:\n")
    out.writelines(f"  {line}\n" for line in result.differences)


def read(source: Source) -> Schema:
    """The schema of one source, read by the reader of its kind."""
    try:
        return readers.read(source)
    except readers.NoReader as exc:
        raise UsageError(str(exc)) from exc


def _unknown_source(wanted: str, path: Path, found: Discovery) -> str:
    if not found.sources:
        return f"unknown source {wanted!r}: no schema sources found under {path}"
    ids = ", ".join(s.id for s in found.sources)
    return f"unknown source {wanted!r}; sources under {path}: {ids}"


def _write_json(out: TextIO, document: dict[str, Any]) -> None:
    out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def _sources_text(found: Discovery, path: Path, out: TextIO) -> None:
    """The human listing: a table of sources, then what was skipped, then what failed."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # A terminal sets the width; a pipe or a file gets long lines rather than folded paths.
    console = Console(file=out, highlight=False, width=None if _isatty(out) else PIPE_WIDTH)
    if not found.sources:
        console.print(f"No schema sources found under {path}.")
    else:
        table = Table(title=f"Sources ({len(found.sources)})", title_justify="left")
        for header in ("id", "kind", "dialect", "files", "copies"):
            table.add_column(
                header, overflow="fold", justify="right" if header == "files" else "left"
            )
        for s in found.sources:
            kind = Text(s.kind)
            if layout := s.details.get("layout"):
                kind.append(f"\n{layout}", style="dim")
            dialect = Text(s.dialect)
            dialect.append(f"\n{s.dialect_evidence}", style="dim")
            table.add_row(Text(s.id), kind, dialect, str(len(s.files)), Text("\n".join(s.copies)))
        console.print(table)
    if found.skipped:
        table = Table(title=f"Skipped ({len(found.skipped)})", title_justify="left")
        table.add_column("path", overflow="fold")
        table.add_column("reason", overflow="fold")
        for skipped in found.skipped:
            table.add_row(Text(skipped.path), Text(skipped.reason))
        console.print(table)
    if found.errors:
        console.print(Text(f"Errors ({len(found.errors)})", style="bold red"))
        for error in found.errors:
            console.print(Text(f"{error.origin}: {error.message}"))


def _isatty(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def run(argv: Sequence[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run one command line and return its exit code; nothing here exits the process."""
    streams = Streams(sys.stdout if out is None else out, sys.stderr if err is None else err)
    command = typer.main.get_command(app)
    try:
        # Help and usage text from the parser go through sys.stdout/sys.stderr.
        with contextlib.redirect_stdout(streams.out), contextlib.redirect_stderr(streams.err):
            result = command.main(
                args=list(argv), prog_name=PROG, standalone_mode=False, obj=streams
            )
    except UsageError as exc:
        streams.err.write(f"{PROG}: {exc}\n")
        return EXIT_ERROR
    except TyperException as exc:  # the parser's usage errors
        show = getattr(exc, "show", None)
        if show is not None:
            show(file=streams.err)
        else:
            streams.err.write(f"{PROG}: {exc}\n")
        return EXIT_ERROR
    except typer.Abort:
        streams.err.write(f"{PROG}: aborted\n")
        return EXIT_ERROR
    except BrokenPipeError:
        raise
    except Exception as exc:
        log.debug("internal error", exc_info=True)
        streams.err.write(f"internal error: {type(exc).__name__}: {exc}, please report\n")
        return EXIT_ERROR
    return result if isinstance(result, int) else EXIT_OK


def main() -> None:
    """The console script: run the command line and exit with its code."""
    try:
        code = run(sys.argv[1:])
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader of stdout went away (`dbdrift sources | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_ERROR
    sys.exit(code)
