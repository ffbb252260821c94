"""Starting dbdrift loads no parser, driver or renderer: each is imported where it is used.

dbdrift runs in pre-commit hooks, so the cost of `import dbdrift.cli` is paid on every run;
a module-level import of a heavy library (or of a whole reader) from a light module brings
it back.  The check counts modules, not milliseconds, so it cannot flake on a busy machine.
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = (
    "pglast",
    "sqlglot",
    "lark",
    "sqlalchemy",
    "jinja2",
    "rich",
    "libcst",
    "psycopg",
    "pymysql",
    "dbdrift.readers.sql.postgres.replay",
    "dbdrift.readers.sqlalchemy",
    "dbdrift.readers.alembic.reader",
    "dbdrift.readers.django",
    "dbdrift.readers.prisma",
    "dbdrift.readers.database",
    "dbdrift.checks.rules",
)


def test_importing_the_cli_loads_no_heavy_module() -> None:
    probe = (
        "import sys, dbdrift.cli\n"
        f"heavy = {HEAVY!r}\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy"
        " or any(m.startswith(h + '.') for h in heavy))))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert loaded == []
