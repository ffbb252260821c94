"""A live SQLite database, read from its own catalog: the ``CREATE`` text in ``sqlite_master``.

SQLite keeps no type, default or constraint anywhere but in that text (``ALTER TABLE``
rewrites it in place), and its pragmas are derived from it.  Replaying those statements --
tables in creation order, then their indexes -- through dbdrift's SQLite replay therefore
gives the schema the database holds, spelled exactly as a static reading spells it.
"""

from __future__ import annotations

from typing import Any

from dbdrift.schema import Schema, SourceRef

_CATALOG = """
SELECT type, sql FROM sqlite_master
WHERE sql IS NOT NULL AND type IN ('table', 'index') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
ORDER BY type = 'index', rowid
"""


def read_catalog(conn: Any, ref: SourceRef) -> Schema:
    """The tables and indexes of ``main`` behind `conn` (a SQLAlchemy connection)."""
    from dbdrift.readers.sql.catalog import Catalog
    from dbdrift.readers.sql.sqlite import Replay

    statements = [sql for _kind, sql in conn.exec_driver_sql(_CATALOG).fetchall()]
    catalog = Catalog(ref)
    Replay(catalog).file(ref.id, "".join(f"{sql};\n" for sql in statements))
    return catalog.freeze()
