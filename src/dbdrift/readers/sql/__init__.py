"""The SQL reader: schema files and ordered migration streams, replayed onto an empty schema.

Each dialect has its own replay module (PostgreSQL through pglast, MySQL and SQLite through
sqlglot) behind one interface: ``Replay(catalog)`` with ``.file(path, text)`` called for each
file in apply order.  Bad files and bad statements become errors; the replay goes on.
"""

from __future__ import annotations

from importlib import import_module
from typing import Protocol

from dbdrift.readers.sql.catalog import Catalog
from dbdrift.readers.sql.text import load_text, up_section
from dbdrift.schema import Origin, Schema
from dbdrift.source import Source

# dialect -> module holding its `Replay`; imported only when a source of that dialect is read.
REPLAYS = {
    "postgresql": "dbdrift.readers.sql.postgres",
    "mysql": "dbdrift.readers.sql.mysql",
    "sqlite": "dbdrift.readers.sql.sqlite",
}


class Replay(Protocol):
    def __init__(self, catalog: Catalog) -> None: ...

    def file(self, path: str, text: str) -> None: ...


def read(source: Source) -> Schema:
    """Replay every file of `source` in order and return the schema it leaves behind."""
    catalog = Catalog(source.ref())
    if source.dialect not in REPLAYS:
        # Recognised (ClickHouse, say) but not modelled: said once, not misread as another.
        message = f"not read: dbdrift has no reader for {source.dialect} SQL"
        catalog.note("unsupported-dialect", message, Origin(source.files[0], 1))
        return catalog.freeze()
    module = import_module(REPLAYS[source.dialect])
    replay: Replay = module.Replay(catalog)
    for relative in source.files:
        text, error = load_text(source.root, relative)
        if error is not None:
            catalog.errors.append(error)
            continue
        assert text is not None
        replay.file(relative, up_section(text))
    return catalog.freeze()
