"""The Prisma reader: ``schema.prisma`` (or a folder of ``.prisma`` files) -> the tables Prisma
Migrate would create.

Each file is parsed by the lark grammar (parser.py) into plain blocks (ast.py); the blocks of
all files together are one schema, derived into dbdrift's `Schema` by derive.py.  A file that
cannot be read, or a block the grammar cannot parse, costs only itself: its error is kept
with its location and the rest is derived.
"""

from __future__ import annotations

from dbdrift.readers.prisma.ast import PrismaFile
from dbdrift.schema import Error, Origin, Schema
from dbdrift.source import Source


def read(source: Source) -> Schema:
    """Parse every file of `source` and derive the schema Prisma Migrate would create."""
    from dbdrift.readers.prisma.derive import derive
    from dbdrift.readers.prisma.parser import parse_file
    from dbdrift.readers.sql.text import load_text

    files: list[PrismaFile] = []
    for relative in source.files:
        text, error = load_text(source.root, relative)
        if error is not None or text is None:
            files.append(PrismaFile(relative, errors=(error or _unreadable(relative),)))
            continue
        files.append(parse_file(relative, text))
    return derive(files, source.ref())


def _unreadable(path: str) -> Error:
    return Error("the file could not be read", Origin(path, 1))
