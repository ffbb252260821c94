"""Discovery on the oracle fixtures: each is one stream, in its tool's apply order.

The oracle tests build their sources by hand (so that they do not depend on discovery);
this test closes the loop: what discovery hands the reader for each fixture is exactly the
stream the oracles apply, in the same order, with the right dialect.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dbdrift.discover import discover
from test_oracle_postgres import apply_order

STREAMS = Path(__file__).parent / "fixtures" / "streams"
FIXTURES = sorted(p.name for p in STREAMS.iterdir() if p.is_dir())


def expected_dialect(name: str) -> str:
    return name.split("_")[0] if name.startswith(("mysql_", "sqlite_")) else "postgresql"


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_is_discovered_as_its_stream(name: str) -> None:
    root = STREAMS / name
    found = discover(root)
    streams = [s for s in found.sources if s.kind == "sql-migrations"]
    assert len(streams) == 1, [s.id for s in found.sources]
    (stream,) = streams
    assert stream.dialect == expected_dialect(name), stream.dialect_evidence
    assert list(stream.files) == apply_order(root)
    assert found.errors == ()


def test_every_fixture_is_checked() -> None:
    assert len(FIXTURES) >= 12
