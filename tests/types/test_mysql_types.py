"""MySQL / MariaDB type and default spellings, one assertion per case (sqlglot's validate_all).

Each case is a column definition and what ``information_schema.COLUMNS`` reports for it on
MariaDB 10.11; the static tests check dbdrift's reading, the ``mariadb`` tests check that the
server really reports that (so the table below is the server's word, not ours).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dbdrift.readers.sql.catalog import Catalog
from dbdrift.readers.sql.mysql import Replay
from dbdrift.schema import Column, SourceRef
from dbdrift.types import mysql as mytypes
from oracle.mariadb import Server, connect, find_server, scratch_database

# definition -> (COLUMN_TYPE on MariaDB 10.11, dbdrift family)
TYPES: dict[str, tuple[str, str]] = {
    "INT": ("int(11)", "integer"),
    "INTEGER": ("int(11)", "integer"),
    "INT(5)": ("int(5)", "integer"),
    "INT UNSIGNED": ("int(10) unsigned", "integer"),
    "INT(8) UNSIGNED ZEROFILL": ("int(8) unsigned zerofill", "integer"),
    "INT ZEROFILL": ("int(10) unsigned zerofill", "integer"),
    "TINYINT": ("tinyint(4)", "integer"),
    "TINYINT UNSIGNED": ("tinyint(3) unsigned", "integer"),
    "TINYINT(1)": ("tinyint(1)", "boolean"),
    "TINYINT(1) UNSIGNED": ("tinyint(1) unsigned", "integer"),
    "BOOL": ("tinyint(1)", "boolean"),
    "BOOLEAN": ("tinyint(1)", "boolean"),
    "SMALLINT": ("smallint(6)", "integer"),
    "SMALLINT UNSIGNED": ("smallint(5) unsigned", "integer"),
    "MEDIUMINT": ("mediumint(9)", "integer"),
    "MEDIUMINT UNSIGNED": ("mediumint(8) unsigned", "integer"),
    "BIGINT": ("bigint(20)", "integer"),
    "BIGINT(20) UNSIGNED": ("bigint(20) unsigned", "integer"),
    "INT1": ("tinyint(4)", "integer"),
    "INT2": ("smallint(6)", "integer"),
    "INT3": ("mediumint(9)", "integer"),
    "INT4": ("int(11)", "integer"),
    "INT8": ("bigint(20)", "integer"),
    "MIDDLEINT": ("mediumint(9)", "integer"),
    "DECIMAL": ("decimal(10,0)", "numeric"),
    "DECIMAL(12,2)": ("decimal(12,2)", "numeric"),
    "NUMERIC(5)": ("decimal(5,0)", "numeric"),
    "DEC(4,1)": ("decimal(4,1)", "numeric"),
    "FIXED(3,1)": ("decimal(3,1)", "numeric"),
    "DECIMAL(10,2) UNSIGNED": ("decimal(10,2) unsigned", "numeric"),
    "FLOAT": ("float", "float"),
    "FLOAT(10,2)": ("float(10,2)", "float"),
    "FLOAT(24)": ("float", "float"),
    "FLOAT(25)": ("double", "float"),
    "FLOAT4": ("float", "float"),
    "DOUBLE": ("double", "float"),
    "DOUBLE PRECISION": ("double", "float"),
    "REAL": ("double", "float"),
    "FLOAT8": ("double", "float"),
    "DOUBLE(10,2)": ("double(10,2)", "float"),
    "DOUBLE UNSIGNED": ("double unsigned", "float"),
    "CHAR": ("char(1)", "text"),
    "CHAR(36)": ("char(36)", "text"),
    "CHARACTER(3)": ("char(3)", "text"),
    "NCHAR(3)": ("char(3)", "text"),
    "NATIONAL CHAR(2)": ("char(2)", "text"),
    "VARCHAR(255)": ("varchar(255)", "text"),
    "CHARACTER VARYING(10)": ("varchar(10)", "text"),
    "NVARCHAR(5)": ("varchar(5)", "text"),
    "NATIONAL VARCHAR(10)": ("varchar(10)", "text"),
    "VARCHAR(10) CHARACTER SET latin1": ("varchar(10)", "text"),
    "TINYTEXT": ("tinytext", "text"),
    "TEXT": ("text", "text"),
    "MEDIUMTEXT": ("mediumtext", "text"),
    "LONGTEXT": ("longtext", "text"),
    "LONG": ("mediumtext", "text"),
    "LONG VARCHAR": ("mediumtext", "text"),
    "TEXT(60)": ("tinytext", "text"),
    "TEXT(70)": ("text", "text"),
    "TEXT(16384)": ("mediumtext", "text"),
    "TEXT(200) CHARACTER SET latin1": ("tinytext", "text"),
    "BINARY": ("binary(1)", "binary"),
    "BINARY(16)": ("binary(16)", "binary"),
    "VARBINARY(20)": ("varbinary(20)", "binary"),
    "TINYBLOB": ("tinyblob", "binary"),
    "BLOB": ("blob", "binary"),
    "BLOB(20)": ("tinyblob", "binary"),
    "BLOB(256)": ("blob", "binary"),
    "MEDIUMBLOB": ("mediumblob", "binary"),
    "LONGBLOB": ("longblob", "binary"),
    "LONG VARBINARY": ("mediumblob", "binary"),
    "BIT": ("bit(1)", "binary"),
    "BIT(8)": ("bit(8)", "binary"),
    "DATE": ("date", "date"),
    "DATETIME": ("datetime", "timestamp"),
    "DATETIME(0)": ("datetime", "timestamp"),
    "DATETIME(3)": ("datetime(3)", "timestamp"),
    "TIMESTAMP": ("timestamp", "timestamp"),
    "TIMESTAMP(6)": ("timestamp(6)", "timestamp"),
    "TIME": ("time", "time"),
    "TIME(2)": ("time(2)", "time"),
    "YEAR": ("year(4)", "other"),
    "JSON": ("longtext", "json"),
    "ENUM('a','b c','d''e')": ("enum('a','b c','d''e')", "enum"),
    "SET('x','y')": ("set('x','y')", "other"),
    "UUID": ("uuid", "uuid"),
}

# definition -> COLUMN_DEFAULT on MariaDB 10.11 (the text NULL read as None).
DEFAULTS: dict[str, str | None] = {
    "INT DEFAULT 0": "0",
    "INT DEFAULT '5'": "5",
    "INT DEFAULT -3": "-3",
    "INT DEFAULT +4": "4",
    "INT DEFAULT 0x10": "16",
    "TINYINT DEFAULT 1.4": "1",
    "BIGINT UNSIGNED DEFAULT 18446744073709551615": "18446744073709551615",
    "BOOL DEFAULT TRUE": "1",
    "BOOLEAN DEFAULT FALSE": "0",
    "DECIMAL(12,2) DEFAULT 0": "0.00",
    "DECIMAL(10,2) DEFAULT '2'": "2.00",
    "DECIMAL(5,2) DEFAULT -1": "-1.00",
    "DECIMAL(3,1) DEFAULT .5": "0.5",
    "DOUBLE DEFAULT 1.5": "1.5",
    "DOUBLE DEFAULT -0.5": "-0.5",
    "DOUBLE DEFAULT 1.5e10": "15000000000",
    "DOUBLE DEFAULT 1e-5": "0.00001",
    "FLOAT DEFAULT 2": "2",
    "FLOAT DEFAULT 1e3": "1000",
    "FLOAT DEFAULT 0.1": "0.1",
    "VARCHAR(10) DEFAULT 'x'": "'x'",
    "VARCHAR(10) DEFAULT ''": "''",
    'VARCHAR(10) DEFAULT "it\'s"': "'it''s'",
    "VARCHAR(10) DEFAULT 'a''b'": "'a''b'",
    "VARCHAR(10) DEFAULT 'a\\nb'": "'a\\nb'",
    "VARCHAR(10) DEFAULT 'a\\\\b'": "'a\\\\b'",
    "VARCHAR(10) DEFAULT 'NULL'": "'NULL'",
    "VARCHAR(3) DEFAULT 5": "'5'",
    "VARCHAR(5) DEFAULT 0x41": "'A'",
    "CHAR(2) DEFAULT _utf8mb4'ab'": "'ab'",
    "VARCHAR(4) DEFAULT N'ab'": "'ab'",
    "TEXT DEFAULT 'z'": "'z'",
    "JSON DEFAULT '{}'": "'{}'",
    "ENUM('x','y') DEFAULT 'y'": "'y'",
    "ENUM('x','y') NOT NULL": None,
    "INT": None,
    "INT NULL DEFAULT NULL": None,
    "INT NOT NULL": None,
    "DATETIME DEFAULT '2020-01-01'": "'2020-01-01 00:00:00'",
    "DATE DEFAULT '2020-1-2'": "'2020-01-02'",
    "TIME DEFAULT '10:00'": "'10:00:00'",
    "TIME(1) DEFAULT '1:2:3'": "'01:02:03.0'",
    "TIMESTAMP(3) NOT NULL DEFAULT '2020-01-01 10:11:12.5'": "'2020-01-01 10:11:12.500'",
    "YEAR DEFAULT 2020": "2020",
    "BIT(1) DEFAULT b'1'": "b'1'",
    "DATETIME DEFAULT NOW()": "current_timestamp()",
    "DATETIME(2) DEFAULT NOW(2)": "current_timestamp(2)",
    "DATETIME(3) DEFAULT CURRENT_TIMESTAMP(3)": "current_timestamp(3)",
    "TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP": "current_timestamp()",
    "TIMESTAMP DEFAULT LOCALTIMESTAMP": "current_timestamp()",
    "DATE DEFAULT (CURRENT_DATE)": "curdate()",
    "DATE DEFAULT (CURDATE())": "curdate()",
    "VARCHAR(36) DEFAULT (UUID())": "uuid()",
    "INT DEFAULT (1 + 2 * 3)": "(1 + 2 * 3)",
    "INT DEFAULT (-5)": "-5",
    "INT DEFAULT (1)": "1",
    "INT DEFAULT (ABS(-3))": "abs(-3)",
    "VARCHAR(20) DEFAULT (CONCAT('a', 'b'))": "concat('a','b')",
    "VARCHAR(10) DEFAULT (LOWER('X'))": "lcase('X')",
    "DOUBLE DEFAULT (RAND())": "rand()",
}


@pytest.fixture(scope="module")
def mariadb() -> Server:
    """A reachable MariaDB server: skipped without one, a failure without one under CI."""
    return find_server()


@pytest.fixture
def mariadb_scratch(mariadb: Server) -> Iterator[tuple[Server, str]]:
    """A fresh empty database on it, dropped afterwards."""
    with scratch_database(mariadb) as name:
        yield mariadb, name


def read_column(definition: str) -> Column:
    """dbdrift's reading of one column definition."""
    catalog = Catalog(SourceRef("t", "sql-schema", "mysql"))
    Replay(catalog).file("t.sql", f"CREATE TABLE t (c {definition});")
    schema = catalog.freeze()
    assert schema.errors == (), schema.errors
    column = schema.tables[0].columns[0]
    return column


@pytest.mark.parametrize("definition", TYPES)
def test_type_spelling(definition: str) -> None:
    sql, family = TYPES[definition]
    column = read_column(definition)
    assert (column.type.sql, column.type.family) == (sql, family)


@pytest.mark.parametrize("definition", DEFAULTS)
def test_default_spelling(definition: str) -> None:
    assert read_column(definition).default == DEFAULTS[definition]


def test_type_parameters() -> None:
    assert read_column("DECIMAL(12,2)").type.precision == 12
    assert read_column("DECIMAL(12,2)").type.scale == 2
    assert read_column("VARCHAR(255)").type.length == 255
    assert read_column("CHAR(36)").type.fixed is True
    assert read_column("VARCHAR(36)").type.fixed is False
    assert read_column("BIGINT").type.bits == 64
    assert read_column("MEDIUMINT").type.bits == 24
    assert read_column("DOUBLE").type.bits == 64
    assert read_column("DATETIME(3)").type.precision == 3
    assert read_column("DATETIME").type.timezone is False
    assert read_column("TIMESTAMP").type.timezone is True


@pytest.mark.parametrize(
    ("name", "params", "kwargs", "mariadb_sql", "mysql8_sql"),
    [
        ("INT", (), {}, "int(11)", "int"),
        ("UBIGINT", (), {}, "bigint(20) unsigned", "bigint unsigned"),
        ("TINYINT", (1,), {}, "tinyint(1)", "tinyint(1)"),
        ("INT", (8,), {"zerofill": True}, "int(8) unsigned zerofill", "int(8) unsigned zerofill"),
        ("JSON", (), {}, "longtext", "json"),
        ("DECIMAL", (12, 2), {}, "decimal(12,2)", "decimal(12,2)"),
    ],
)
def test_flavours(
    name: str, params: tuple[int, ...], kwargs: dict[str, bool], mariadb_sql: str, mysql8_sql: str
) -> None:
    """A MySQL 8 flavour is one table row away: display widths and JSON differ."""
    got = {
        flavour: mytypes.column_type(name, params, flavour_name=flavour, **kwargs)
        for flavour in ("mariadb", "mysql8")
    }
    assert {k: v.sql if v else None for k, v in got.items()} == {
        "mariadb": mariadb_sql,
        "mysql8": mysql8_sql,
    }


def test_varchar_without_length_is_refused() -> None:
    catalog = Catalog(SourceRef("t", "sql-schema", "mysql"))
    Replay(catalog).file("t.sql", "CREATE TABLE t (c VARCHAR);")
    assert [e.origin.line for e in catalog.errors] == [1]


def _server_columns(
    server: Server, database: str, definitions: list[str]
) -> list[tuple[str, str | None]]:
    """COLUMN_TYPE and COLUMN_DEFAULT of each definition, one table per definition."""
    conn = connect(server, database)
    try:
        out: list[tuple[str, str | None]] = []
        with conn.cursor() as cur:
            for i, definition in enumerate(definitions):
                cur.execute(f"CREATE TABLE t{i} (c {definition})")
                cur.execute(
                    "SELECT COLUMN_TYPE, COLUMN_DEFAULT FROM information_schema.COLUMNS "
                    "WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s",
                    (database, f"t{i}"),
                )
                ctype, default = cur.fetchone()
                out.append((ctype, None if default == "NULL" else default))
        return out
    finally:
        conn.close()


@pytest.mark.mariadb
def test_type_table_is_what_mariadb_reports(mariadb_scratch: tuple[Server, str]) -> None:
    server, database = mariadb_scratch
    reported = _server_columns(server, database, list(TYPES))
    assert dict(zip(TYPES, (t for t, _ in reported), strict=True)) == {
        d: sql for d, (sql, _) in TYPES.items()
    }


@pytest.mark.mariadb
def test_default_table_is_what_mariadb_reports(mariadb_scratch: tuple[Server, str]) -> None:
    server, database = mariadb_scratch
    reported = _server_columns(server, database, list(DEFAULTS))
    assert dict(zip(DEFAULTS, (d for _, d in reported), strict=True)) == DEFAULTS
