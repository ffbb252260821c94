"""Generated migration streams (benchmarks/generate.py) against a real PostgreSQL.

The benchmark and property tests trust the generator to write streams PostgreSQL accepts;
this proves it, and makes every generated stream one more oracle fixture: PostgreSQL applies
it, and dbdrift's replay must read exactly the catalog PostgreSQL reports.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dbdrift.readers.sql import read
from dbdrift.source import Source
from oracle.compare import project
from oracle.postgres import apply_stream, introspect

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import write_stream


@pytest.mark.postgres
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_stream_matches_postgres(seed: int, pg_scratch: str, tmp_path: Path) -> None:
    files = write_stream(tmp_path, 600, per_file=100, seed=seed)
    relative = tuple(f.relative_to(tmp_path).as_posix() for f in files)
    refused = apply_stream(pg_scratch, tmp_path, relative)
    assert refused == []
    schema = read(Source("db/migrations", "sql-migrations", "postgresql", tmp_path, relative))
    assert schema.errors == ()
    assert project(schema) == introspect(pg_scratch)
