"""Helpers for the fix tests: write a small repository, read it with dbdrift's own readers."""

from __future__ import annotations

import itertools
from pathlib import Path

from dbdrift.discover import discover
from dbdrift.scan import read_source
from dbdrift.schema import Column, Schema, Table
from dbdrift.source import Source

_COUNTER = itertools.count()


def write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def replay(root: Path, dialect: str, steps: list[str]) -> Schema:
    """Our SQL replay of `steps`, each one migration file of a stream under `root`."""
    files = {f"db/migrations/{i:03d}_step.sql": text for i, text in enumerate(steps, 1)}
    write(root, files)
    source = Source(
        id="db/migrations",
        kind="sql-migrations",
        dialect=dialect,
        root=root,
        files=tuple(sorted(files)),
    )
    schema = read_source(source)
    assert schema.errors == (), schema.errors
    return schema


def table_of(root: Path, dialect: str, steps: list[str], name: str) -> Table:
    """A table as our SQL reader reads `steps`: the canonical target of a fix."""
    scratch = root / f"target_{next(_COUNTER)}"
    table = replay(scratch, dialect, steps).table(name)
    assert table is not None
    return table


def read_repo(root: Path, files: dict[str, str]) -> dict[str, Schema]:
    """Every source discovery finds in a repository made of `files`, read."""
    write(root, files)
    found = discover(root)
    return {s.id: read_source(s) for s in found.sources}


def shape(column: Column | None) -> tuple[object, ...] | None:
    """What a fix must reproduce of a column: name, type, nullability and default."""
    if column is None:
        return None
    return (column.name, column.type.sql, column.nullable, column.default)
