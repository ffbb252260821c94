"""Properties of the SQL replay that must hold for any input, checked with hypothesis.

- it never raises: any text, however broken, gives a schema with located errors;
- a file split in two (at a statement boundary) replays to the same schema as the whole;
- the normalized DDL that ``dbdrift schema --format sql`` prints replays to the same schema.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dbdrift.readers.sql import read
from dbdrift.report.schema_sql import render
from dbdrift.source import Source
from oracle.compare import project

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import Stream

TOKENS = [
    "CREATE",
    "TABLE",
    "ALTER",
    "DROP",
    "INDEX",
    "ON",
    "t",
    "u",
    '"T"',
    "(",
    ")",
    ",",
    ";",
    "a",
    "b",
    "int",
    "text",
    "varchar(3)",
    "PRIMARY KEY",
    "REFERENCES",
    "DEFAULT",
    "'x'",
    "1",
    "NOT NULL",
    "ADD COLUMN",
    "RENAME",
    "TO",
    "TYPE",
    "AS ENUM",
    "$$",
    "--",
    "/*",
    "*/",
    "\n",
    "'",
    '"',
    "CHECK",
    "UNIQUE",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "INSERT INTO",
    "VALUES",
]


def replay(texts: list[str]) -> object:
    with tempfile.TemporaryDirectory() as folder:
        return _replay(Path(folder), texts)


def _replay(tmp: Path, texts: list[str]) -> object:
    names = []
    for number, text in enumerate(texts, start=1):
        name = f"{number:03d}_step.sql"
        (tmp / name).write_text(text, encoding="utf-8")
        names.append(name)
    return read(Source("db", "sql-migrations", "postgresql", tmp, tuple(names)))


def statements(seed: int, count: int) -> list[str]:
    stream = Stream(seed)
    return [stream.statement() for _ in range(count)]


@settings(
    max_examples=150,
    deadline=None,
)
@given(st.lists(st.sampled_from(TOKENS), max_size=60), st.text(max_size=40))
def test_never_raises(tokens: list[str], noise: str) -> None:
    schema = replay([" ".join(tokens) + noise])
    for error in schema.errors:
        assert error.origin.path == "001_step.sql"
        assert error.origin.line >= 1


@settings(
    max_examples=40,
    deadline=None,
)
@given(st.integers(0, 10_000), st.integers(2, 60), st.data())
def test_split_file_replays_the_same(seed: int, count: int, data: st.DataObject) -> None:
    body = statements(seed, count)
    cut = data.draw(st.integers(1, count - 1))
    whole = replay(["\n".join(body)])
    parts = replay(["\n".join(body[:cut]), "\n".join(body[cut:])])
    assert project(parts) == project(whole)
    assert len(parts.errors) == len(whole.errors)


@settings(
    max_examples=40,
    deadline=None,
)
@given(st.integers(0, 10_000), st.integers(1, 80))
def test_rendered_ddl_replays_to_the_same_schema(seed: int, count: int) -> None:
    original = replay(["\n".join(statements(seed, count))])
    assert original.errors == ()
    again = replay([render(original)])
    assert again.errors == ()
    assert project(again) == project(original)
