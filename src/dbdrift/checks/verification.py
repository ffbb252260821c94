"""DBD905 (reading): a source whose replay in a real database disagrees with dbdrift's reading.

The replay itself happens before the checks (`verify.attach`, ``dbdrift scan --verify``);
this rule only reports what it recorded on the group.
"""

from __future__ import annotations

from collections.abc import Iterator

from dbdrift.align import Group, Member
from dbdrift.checks.common import kind_label
from dbdrift.checks.registry import Hit, rule
from dbdrift.findings import Evidence, Severity

SHOWN = 10
"""Differences spelled out in a finding's message; all of them are in its data."""


@rule("DBD905", "verify-disagreement", severity=Severity.medium, over="member")
def verify_disagreement(group: Group, member: Member) -> Iterator[Hit]:
    """Applied to a real scratch database, a source gives a schema dbdrift did not predict.

    ## What it detects
    With `dbdrift scan --verify`, every SQL source is applied to a scratch database
    statement by statement, as its migration runner would, and the database's catalog is
    compared with dbdrift's static reading of the same files: tables, columns (type,
    nullability, default, identity, generated), keys, foreign keys, uniques, indexes,
    check names, enum labels, and which statements the database refused.  Each source
    whose database differs gets one finding listing the differences.  A source that could
    not be verified (no server, no permission to create a database) gets an info finding
    saying why.

    ## Why it breaks
    Every other finding about this source rests on the static reading.  Where the
    database says otherwise, the database is right: a finding there may be wrong, and
    drift there may be missing.

    ## Example
    ```text
    db/migrations: 1 difference between dbdrift's reading and the database
      column users.email type: dbdrift 'text' != database 'character varying(255)'
    ```

    ## Fix
    Trust the database for the listed items, and report the difference to dbdrift with
    the statement that produces it (`dbdrift verify PATH --source ID` reproduces it).

    ## Fix safety
    Not applicable: no edit is proposed.

    ## References
    - Issue 7: verification of the static replay in a real scratch database.
    - `dbdrift verify --help`.
    """
    result = group.verified.get(member.id)
    if result is None:
        return
    if result.error is not None:
        yield Hit(
            title=f"{member.id}: not verified: {result.error}",
            message=f"The {kind_label(member)} {member.id} could not be applied to a scratch "
            f"database: {result.error.rstrip('.')}.",
            evidence=(Evidence(member.id, member.id, None, result.error),),
            severity=Severity.info,
            data={"server": result.server, "error": result.error},
        )
        return
    if not result.differences:
        return
    count = len(result.differences)
    plural = "difference" if count == 1 else "differences"
    shown = "; ".join(result.differences[:SHOWN])
    more = f"; and {count - SHOWN} more" if count > SHOWN else ""
    yield Hit(
        title=f"{member.id}: {count} {plural} between dbdrift's reading and the database",
        message=f"Applied to a scratch database on {result.server}, the {kind_label(member)} "
        f"{member.id} gives a schema that differs from dbdrift's reading: {shown}{more}.",
        evidence=tuple(Evidence(member.id, member.id, None, d) for d in result.differences),
        fix=f"Trust the database there; `dbdrift verify --source {member.id}` reproduces it.",
        data={
            "server": result.server,
            "differences": list(result.differences),
            "refused": [str(r) for r in result.refused],
        },
    )
