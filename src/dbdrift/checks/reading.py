"""DBD9xx (reading): what could not be read, what was read but not compared, and why."""

from __future__ import annotations

from collections.abc import Iterator

from dbdrift.align import MIGRATION_KINDS, Group, Matrix, Member
from dbdrift.checks.common import kind_label
from dbdrift.checks.registry import Hit, rule
from dbdrift.findings import Evidence, Severity
from dbdrift.schema import Note

NOTE_LABELS = {
    "function": ("function", "functions"),
    "trigger": ("trigger", "triggers"),
    "view": ("view", "views"),
    "data": ("data statement (INSERT/UPDATE/DELETE)", "data statements (INSERT/UPDATE/DELETE)"),
    "sequence": ("sequence", "sequences"),
    "extension": ("extension", "extensions"),
    "privilege": ("privilege statement", "privilege statements"),
    "temporary": ("temporary table", "temporary tables"),
    "transaction": ("transaction statement", "transaction statements"),
    "session": ("session setting", "session settings"),
    "setting": ("setting", "settings"),
    "pragma": ("pragma", "pragmas"),
    "skipped": ("skipped statement", "skipped statements"),
    "unsupported": ("unsupported construct", "unsupported constructs"),
    "comment": ("comment", "comments"),
    "other": ("other statement", "other statements"),
}
"""Note kind -> (singular, plural) as a summary counts them; other kinds are shown as is."""


@rule("DBD901", "read-error", severity=Severity.medium, over="member")
def read_error(group: Group, member: Member) -> Iterator[Hit]:
    """A schema file that could not be read, so part of it was not compared.

    ## What it detects
    An error a reader reported for a source that is not a migration stream (those are
    DBD505): a Prisma syntax error, a Python file that does not parse, a file that is not
    UTF-8, a statement in a schema snapshot that does not parse.

    ## Why it breaks
    What stands in the unreadable part is missing from the comparison, so drift there goes
    unreported; the same error usually stops the tool that owns the file (`prisma generate`
    refuses a schema with a syntax error).

    ## Example
    ```prisma
    model User {
      id String @id
      email String @unique(   // prisma/schema.prisma:3: syntax error
    }
    ```

    ## Fix
    Correct the file at the reported line so that its own tool accepts it.

    ## Fix safety
    Safe: only the broken file changes.

    ## References
    - DESIGN.md, "Readers": readers never raise; what they cannot read becomes an error with
      its origin.
    """
    if member.kind in MIGRATION_KINDS:
        return
    for error in member.schema.errors:
        if member.kind == "database":
            yield _database_error(member, error.message)
            continue
        where = str(error.origin)
        yield Hit(
            title=f"{where}: cannot read: {error.message}",
            message=(
                f"Part of the {kind_label(member)} {member.id} could not be read at {where}: "
                f"{error.message.rstrip('.')}.  What it defines there was not compared."
            ),
            evidence=(Evidence(member.id, error.origin.path, error.origin.line, error.message),),
            fix=f"Correct {error.origin.path} at line {error.origin.line} so that it can be read.",
            data={"error": error.message},
        )


def _database_error(member: Member, message: str) -> Hit:
    """A live database that could not be read: no file or line to point at."""
    return Hit(
        title=f"{member.id}: cannot read the database: {message}",
        message=(
            f"The database {member.id} could not be read: {message.rstrip('.')}.  "
            "Nothing it holds was compared."
        ),
        evidence=(Evidence(member.id, member.id, None, message),),
        fix=f"Make {member.id} reachable with a role that may read its catalog, then scan again.",
        data={"error": message},
    )


@rule("DBD902", "not-compared", severity=Severity.info, over="member")
def not_compared(group: Group, member: Member) -> Iterator[Hit]:
    """Statements a source holds that dbdrift read but does not model or compare.

    ## What it detects
    Everything a reader noted but did not turn into tables and columns: functions,
    triggers, views, data statements (`INSERT`), privileges, session settings.  One finding
    per source counts them by kind and points at the first of each kind.

    ## Why it breaks
    Nothing breaks: this says where the comparison stops.  A trigger that fills a column,
    or a view the code queries, is not checked against the other sources.

    ## Example
    ```sql
    -- db/migrations/002_posts.sql
    CREATE FUNCTION touch() RETURNS trigger AS $$ ... $$ LANGUAGE plpgsql;
    INSERT INTO plans VALUES ('free');
    ```

    ## Fix
    Nothing to fix; review the listed statements by hand if they matter to the models.

    ## Fix safety
    Not applicable: no edit is proposed.

    ## References
    - DESIGN.md, "Findings and severity": info is what was read but not compared, and why.
    """
    notes = member.schema.notes
    if not notes:
        return
    by_kind: dict[str, list[Note]] = {}
    for note in notes:
        by_kind.setdefault(note.kind, []).append(note)
    counts = {kind: sum(map(_statements, found)) for kind, found in by_kind.items()}
    ordered = sorted(by_kind.items(), key=lambda item: (-counts[item[0]], item[0]))
    counted = ", ".join(_count(kind, counts[kind]) for kind, _ in ordered)
    total = sum(counts.values())
    statements = "statement" if total == 1 else "statements"
    yield Hit(
        title=f"{member.id}: {total} {statements} read but not compared",
        message=f"{total} {statements} read but not modelled: {counted}.",
        evidence=tuple(
            Evidence.at(member.id, found[0].origin, f"{_count(kind, counts[kind])}, first here")
            for kind, found in ordered
        ),
        data={"counts": {kind: counts[kind] for kind, _ in ordered}},
    )


def _statements(note: Note) -> int:
    """How many statements a note stands for (a run of data statements is one note)."""
    return note.count


def _count(kind: str, n: int) -> str:
    singular, plural = NOTE_LABELS.get(kind, (f"{kind} note", f"{kind} notes"))
    return f"{n} {singular if n == 1 else plural}"


@rule("DBD903", "separate-databases", severity=Severity.info, over="matrix")
def separate_databases(matrix: Matrix) -> Iterator[Hit]:
    """The sources describe more than one database; the groups were not compared.

    ## What it detects
    A scan whose sources fall into more than one group: sources of different dialect
    families (a ClickHouse analytics schema beside the PostgreSQL one, a SQLite test
    schema), or sources of one family that share no table.  It lists each group and why
    it was formed.

    ## Why it breaks
    Nothing breaks: sources in different groups are never compared with each other, so a
    table that should be shared between them is not checked.

    ## Example
    ```text
    postgresql: 3 sources linked by shared table names
    sqlite: shares no table with any other sqlite source   (tests/fixtures/schema.sql)
    ```

    ## Fix
    Nothing to fix when they are separate databases.  If two groups describe one database,
    name the canonical source with `--canonical` or make the dialect explicit.

    ## Fix safety
    Not applicable: no edit is proposed.

    ## References
    - Issue 5: sources that describe different databases are not compared; the report says
      which groups it formed and why.
    """
    if len(matrix.groups) < 2:
        return
    lines = [f"{g.id} ({', '.join(m.id for m in g.members)}): {g.why}" for g in matrix.groups]
    yield Hit(
        title=f"{len(matrix.groups)} separate databases found; they were not compared",
        message="The sources form separate groups, not compared with each other: "
        + "; ".join(lines)
        + ".",
        evidence=tuple(
            Evidence(m.id, m.id, None, f"in group {g.id}") for g in matrix.groups for m in g.members
        ),
        data={"groups": {g.id: [m.id for m in g.members] for g in matrix.groups}},
    )


@rule("DBD904", "discovery-error", severity=Severity.medium, over="matrix")
def discovery_error(matrix: Matrix) -> Iterator[Hit]:
    """A part of the repository that discovery could not walk or read.

    ## What it detects
    A directory that could not be listed, a symbolic link loop or a link that cannot be
    followed, a candidate file that could not be read.

    ## Why it breaks
    A schema source inside that part of the tree was never found, so it was not compared:
    the scan may look cleaner than the repository is.

    ## Example
    ```text
    services/a/loop -> ../..   (symbolic link loop)
    ```

    ## Fix
    Fix the permissions or remove the broken link, or exclude the folder in the
    configuration if it holds no schema.

    ## Fix safety
    Safe: nothing in a schema changes.

    ## References
    - DESIGN.md, "The flow": discovery reports what it could not walk instead of failing.
    """
    for error in matrix.discovery_errors:
        where = str(error.origin)
        yield Hit(
            title=f"{where}: not scanned: {error.message}",
            message=f"Discovery could not walk {error.origin.path}: "
            f"{error.message.rstrip('.')}.  A source there would not have been found.",
            evidence=(
                Evidence(error.origin.path, error.origin.path, error.origin.line, error.message),
            ),
            fix=f"Fix or exclude {error.origin.path}.",
            data={"error": error.message},
        )
