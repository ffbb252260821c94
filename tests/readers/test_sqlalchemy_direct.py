"""The direct build (readers/sqlalchemy/direct.py) against the DDL replay it stands in for.

The reader builds plain tables straight from its specs and replays the DDL only when that
cannot be done; both must give the same schema to the last origin.  Each fixture of the
oracle tests, the benchmark's generated package and a set of small models that touch every
refusal are read both ways: the direct build either refuses (``None``) or equals the replay.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from dbdrift.discover import discover
from dbdrift.readers.sql.text import load_text
from dbdrift.readers.sqlalchemy import Context, Index, collect
from dbdrift.readers.sqlalchemy.ddl import replay, resolve_targets
from dbdrift.readers.sqlalchemy.direct import build
from dbdrift.schema import Schema
from dbdrift.source import Source

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "sqlalchemy"
NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate_sqlalchemy import write_package  # noqa: E402


def _context(source: Source) -> Context:
    index = Index()
    for relative in source.files:
        text, _ = load_text(source.root, relative)
        assert text is not None
        index.add(relative, text)
    ctx = Context(index)
    resolve_targets(ctx, collect(ctx))
    return ctx


def both(source: Source) -> tuple[Schema | None, Schema]:
    """The direct build and the replay, each from its own fresh reading of `source`."""
    base = Schema(source.ref())
    return build(_context(source), base), replay(_context(source), base)


def _source(folder: Path) -> Source:
    sources = [s for s in discover(folder).sources if s.kind == "sqlalchemy"]
    assert len(sources) == 1, [s.id for s in sources]
    return sources[0]


@pytest.mark.parametrize("name", NAMES)
def test_fixture_direct_build_equals_replay(name: str) -> None:
    direct, replayed = both(_source(FIXTURES / name))
    assert direct is None or direct == replayed


def test_most_fixtures_take_the_direct_build() -> None:
    """The refusals stay the exception: at least the plain fixtures are built directly."""
    built = [n for n in NAMES if both(_source(FIXTURES / n))[0] is not None]
    assert len(built) >= 8, built


def test_benchmark_package_is_built_directly(tmp_path: Path) -> None:
    write_package(tmp_path, 250)
    direct, replayed = both(_source(tmp_path))
    assert direct is not None
    assert len(direct.tables) == 250
    assert direct == replayed


PLAIN = """
    from sqlalchemy import Column, ForeignKey, Integer, String, Text, func
    from sqlalchemy.orm import declarative_base
    Base = declarative_base()
"""

# Each model needs a decision the direct build leaves to the replay.
REFUSED = {
    "schema": """
        class A(Base):
            __tablename__ = "a"
            __table_args__ = {"schema": "other"}
            id = Column(Integer, primary_key=True)
    """,
    "check": """
        from sqlalchemy import CheckConstraint
        class A(Base):
            __tablename__ = "a"
            __table_args__ = (CheckConstraint("id > 0"),)
            id = Column(Integer, primary_key=True)
    """,
    "taken name": """
        class A(Base):
            __tablename__ = "a"
            id = Column(Integer, primary_key=True)
        class B(Base):
            __tablename__ = "a_pkey"
            id = Column(Integer, primary_key=True)
    """,
    "fk to a non-unique column": """
        class A(Base):
            __tablename__ = "a"
            id = Column(Integer, primary_key=True)
            code = Column(String(5))
        class B(Base):
            __tablename__ = "b"
            id = Column(Integer, primary_key=True)
            a_code = Column(String(5), ForeignKey("a.code"))
    """,
    "fk between incompatible types": """
        class A(Base):
            __tablename__ = "a"
            id = Column(Integer, primary_key=True)
        class B(Base):
            __tablename__ = "b"
            id = Column(Integer, primary_key=True)
            a_id = Column(Text, ForeignKey("a.id"))
    """,
    "duplicate table": """
        from sqlalchemy import MetaData, Table
        m = MetaData()
        a = Table("a", m, Column("id", Integer, primary_key=True))
        b = Table("a", MetaData(), Column("id", Integer, primary_key=True))
    """,
    "bad default": """
        from sqlalchemy import text
        class A(Base):
            __tablename__ = "a"
            id = Column(Integer, primary_key=True)
            n = Column(Integer, server_default=text("no_such_function("))
    """,
}

BUILT = {
    "plain with defaults": """
        class A(Base):
            __tablename__ = "a"
            id = Column(Integer, primary_key=True)
            name = Column(String(40), nullable=False, unique=True, server_default="x")
            made = Column(Integer, server_default=func.now(), index=True)
        class B(Base):
            __tablename__ = "b"
            id = Column(Integer, primary_key=True)
            a_id = Column(Integer, ForeignKey("a.id", ondelete="cascade"), index=True)
            a_name = Column(String(40), ForeignKey("a.name"), unique=True, index=True)
    """,
    "long names": """
        class A(Base):
            __tablename__ = "a_table_name_long_enough_that_postgres_cuts_what_it_derives_x"
            the_identifier_column_with_a_long_name_too_for_the_serial_seq = Column(
                Integer, primary_key=True
            )
    """,
}


def _write(tmp_path: Path, body: str) -> Source:
    (tmp_path / "models.py").write_text(textwrap.dedent(PLAIN) + textwrap.dedent(body))
    return _source(tmp_path)


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_models_go_to_the_replay(tmp_path: Path, case: str) -> None:
    direct, _ = both(_write(tmp_path, REFUSED[case]))
    assert direct is None


@pytest.mark.parametrize("case", sorted(BUILT))
def test_built_models_equal_the_replay(tmp_path: Path, case: str) -> None:
    direct, replayed = both(_write(tmp_path, BUILT[case]))
    assert direct is not None
    assert direct == replayed
    assert not replayed.errors
