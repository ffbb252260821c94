"""DBD507 (sources): a live database that lacks migrations of the stream it is compared with."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from dbdrift.align import Group
from dbdrift.checks.registry import Hit, rule
from dbdrift.findings import Evidence, Severity
from dbdrift.history import DATABASE_KIND, PrefixMatch

SHOWN_DIFFERENCES = 5
"""How many of the other differences an inexact match lists in its message."""


@rule("DBD507", "unapplied-migrations", severity=Severity.high, over="group")
def unapplied_migrations(group: Group) -> Iterator[Hit]:
    """A live database has not had the last migrations of its stream applied.

    ## What it detects
    A database given with `--db` (or `[tool.dbdrift] databases`) whose schema equals, or is
    closest to, the state of the group's migration stream after an earlier migration: the
    longest prefix of the stream whose replay matches the database is found, and the
    migrations after it are named ("migration 007_x.sql has not been applied here").  The
    differences that follow from those migrations (their tables and columns missing from
    the database) are folded into this finding instead of being listed one by one; any
    other drift of the database is still reported on its own.  Streams of more than 200
    files are not replayed prefix by prefix; the rule then says so at info level.

    ## Why it breaks
    The code is written against the schema after every migration.  On this database the
    tables and columns the missing migrations add do not exist, so every query using them
    fails (`column "locale" does not exist`), and writes that rely on their defaults or
    constraints behave differently.

    ## Example
    ```text
    db/migrations/006_task_comments.sql   CREATE TABLE task_comments (...)
    prod (postgresql://app:***@db/app)     no table task_comments: 006 was never run
    ```

    ## Fix
    Run the stream's migration tool against the database (`migrate up`, `flyway migrate`,
    `prisma migrate deploy`), which applies the missing migrations in order.

    ## Fix safety
    Applying migrations changes the live database: review them first (a migration that
    rewrites a large table can lock it), and back the database up.  dbdrift itself never
    writes to a database.

    ## References
    - DESIGN.md, "Readers": a live database is read read-only through SQLAlchemy.
    - `dbdrift verify` replays a stream in a scratch database to check the static reading.
    """
    for source_id, match in sorted(group.snapshots.items()):
        database = group.member(source_id)
        if database.kind != DATABASE_KIND:
            continue
        if match.skipped is not None:
            yield Hit(
                title=f"{source_id} was not compared with every state of {match.stream}",
                message=f"Skipped checking which migrations {source_id} lacks: {match.skipped}.",
                evidence=(Evidence(match.stream, match.stream, None, match.skipped),),
                severity=Severity.info,
                data={"database": source_id, "stream": match.stream},
            )
            continue
        if match.behind:
            yield _unapplied_hit(source_id, match)


def _unapplied_hit(source_id: str, match: PrefixMatch) -> Hit:
    missing = [PurePosixPath(p).name for p in match.missing]
    named = _files(missing)
    verb = "has" if len(missing) == 1 else "have"
    state = PurePosixPath(match.stream_files[match.files - 1]).name if match.files else None
    after = f"after {state}" if state else "before any migration"
    title = f"{named} {verb} not been applied to {source_id}"
    if match.exact:
        message = (
            f"{source_id} equals the state of {match.stream} {after}; {named} {verb} not been "
            "applied here."
        )
    else:
        n = len(match.differences)
        shown = "; ".join(match.differences[:SHOWN_DIFFERENCES])
        more = "; ..." if n > SHOWN_DIFFERENCES else ""
        message = (
            f"{source_id} is closest to the state of {match.stream} {after} "
            f"({n} other difference{'s' if n != 1 else ''}: {shown}{more}); {named} {verb} "
            "not been applied here."
        )
    evidence = (
        Evidence(source_id, source_id, None, f"matches the state {after}"),
        *(Evidence(match.stream, path, 1, "not applied to the database") for path in match.missing),
    )
    return Hit(
        title=title,
        message=message,
        evidence=evidence,
        fix=f"Apply the missing migrations of {match.stream} to {source_id} with the stream's "
        "migration tool.",
        data={
            "database": source_id,
            "stream": match.stream,
            "files": match.files,
            "total": match.total,
            "missing": list(match.missing),
        },
    )


def _files(names: list[str]) -> str:
    """``migration 007_x.sql`` or ``migrations 006_a.sql, 007_b.sql``."""
    if len(names) == 1:
        return f"migration {names[0]}"
    if len(names) <= 3:
        return "migrations " + ", ".join(names)
    return f"migrations {names[0]} .. {names[-1]} ({len(names)} files)"
