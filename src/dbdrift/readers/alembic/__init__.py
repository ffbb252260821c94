"""The Alembic reader: revision scripts read with stdlib `ast`, replayed along their graph.

The source's files are ``alembic.ini``, ``env.py`` and the revision scripts of every version
folder (config.py finds them).  Each script's ``revision`` / ``down_revision`` /
``depends_on`` / ``branch_labels`` build the graph (graph.py); the ``upgrade()`` of every
revision, parents first, is spelled as the DDL Alembic would send (upgrade.py, ops.py,
batch.py) and replayed by the SQL replay, ``op.execute`` text included, with each
statement's origin at the line of its operation.  Nothing is imported or run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dbdrift.readers.sql.generated import Generated
    from dbdrift.schema import Schema
    from dbdrift.source import Source

# Discovery imports config.py from this package on every run; the reader's own modules
# (and the SQLAlchemy reader they build on) are imported only when a source is read.


def read(source: Source) -> Schema:
    """What ``alembic upgrade heads`` leaves in the database, read statically."""
    from dbdrift.readers.alembic.reader import read as read_source

    return read_source(source)


def generate(source: Source) -> tuple[list[Generated], Schema]:
    """The DDL Alembic would send for `source`, with the notes and errors found on the way."""
    from dbdrift.readers.alembic.reader import generate as generate_source

    return generate_source(source)
