"""Database URLs: names, ``env:`` indirection, redaction; and the ``[tool.dbdrift]`` config."""

from __future__ import annotations

from pathlib import Path

import pytest

from dbdrift.config import ConfigError, load
from dbdrift.readers.database.urls import (
    DatabaseError,
    dialect_of,
    engine_url,
    password_of,
    redact,
    resolve_url,
)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://app:s3cret@db:5432/app", "postgresql://app:***@db:5432/app"),
        ("mysql+pymysql://root:p%40ss@h/x", "mysql+pymysql://root:***@h/x"),
        (
            "postgresql://db/app?user=a&password=s3cret&x=1",
            "postgresql://db/app?user=a&password=***&x=1",
        ),
        ("postgresql://app@db/app", "postgresql://app@db/app"),
        ("sqlite:///dev.db", "sqlite:///dev.db"),
    ],
)
def test_redact(url: str, shown: str) -> None:
    assert redact(url) == shown


def test_password_of() -> None:
    assert password_of("postgresql://a:p%40ss@h/x") == "p%40ss"
    assert password_of("postgresql://h/x?password=zz") == "zz"
    assert password_of("postgresql://a@h/x") is None


def test_resolve_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBDRIFT_TEST_URL", "mysql://r@h/d")
    monkeypatch.delenv("DBDRIFT_TEST_NOPE", raising=False)
    assert resolve_url("prod=postgresql://a:b@h/d") == ("prod", "postgresql://a:b@h/d")
    assert resolve_url("postgresql://h/d?x=1", 3) == ("db3", "postgresql://h/d?x=1")
    assert resolve_url("sqlite:///a=b.db", 2) == ("db2", "sqlite:///a=b.db")
    assert resolve_url("p=env:DBDRIFT_TEST_URL") == ("p", "mysql://r@h/d")
    assert resolve_url("env:DBDRIFT_TEST_URL", 4) == ("db4", "mysql://r@h/d")
    with pytest.raises(DatabaseError, match="DBDRIFT_TEST_NOPE is not set"):
        resolve_url("p=env:DBDRIFT_TEST_NOPE")
    with pytest.raises(DatabaseError, match="not a usable database name"):
        resolve_url("a b=sqlite:///x.db")


def test_dialects_and_drivers() -> None:
    assert dialect_of("postgres://h/d") == "postgresql"
    assert dialect_of("mariadb://h/d") == "mysql"
    assert engine_url("postgres://u:p@h/d") == "postgresql+psycopg://u:p@h/d"
    assert engine_url("mariadb://u@h/d") == "mysql+pymysql://u@h/d"
    assert engine_url("postgresql+psycopg2://h/d") == "postgresql+psycopg2://h/d"
    with pytest.raises(DatabaseError, match="unsupported database URL scheme 'oracle'"):
        dialect_of("oracle://u:secret@h/d")


def test_config_files(tmp_path: Path) -> None:
    assert load(tmp_path).databases == {}
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.dbdrift]\ndatabases = {prod = "env:DATABASE_URL"}\n'
    )
    config = load(tmp_path)
    assert config.databases == {"prod": "env:DATABASE_URL"}
    assert config.path == tmp_path / "pyproject.toml"
    (tmp_path / "dbdrift.toml").write_text('[databases]\nlocal = "sqlite:///dev.db"\n')
    assert load(tmp_path).databases == {"local": "sqlite:///dev.db"}
    (tmp_path / "dbdrift.toml").write_text("databases = {local = 1}\n")
    with pytest.raises(ConfigError, match="databases must be a table"):
        load(tmp_path)
    (tmp_path / "dbdrift.toml").write_text("databases = {\n")
    with pytest.raises(ConfigError, match="not readable as TOML"):
        load(tmp_path)
