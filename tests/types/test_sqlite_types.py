"""SQLite type knowledge: one declared spelling per case, its family and its reported text."""

from __future__ import annotations

import pytest

from dbdrift.types.sqlite import affinity_family, declared_type, dequote, reported_type

# (declared type as SQLite reports it, family): the affinity rules of
# https://www.sqlite.org/datatype3.html section 3.1, refined by common spellings.
FAMILIES = [
    ("INTEGER", "integer"),
    ("INT", "integer"),
    ("TINYINT", "integer"),
    ("SMALLINT", "integer"),
    ("MEDIUMINT", "integer"),
    ("BIGINT", "integer"),
    ("unsigned big int", "integer"),
    ("INT2", "integer"),
    ("INT8", "integer"),
    ("POINT", "integer"),  # contains "INT": rule 1 wins, as SQLite's own example warns
    ("TEXT", "text"),
    ("CLOB", "text"),
    ("CHARACTER(20)", "text"),
    ("VARCHAR(255)", "text"),
    ("VARYING CHARACTER(255)", "text"),
    ("NCHAR(55)", "text"),
    ("NATIVE CHARACTER(70)", "text"),
    ("NVARCHAR(100)", "text"),
    ("BLOB", "binary"),
    ("", "other"),
    ("REAL", "float"),
    ("DOUBLE", "float"),
    ("DOUBLE PRECISION", "float"),
    ("FLOAT", "float"),
    ("NUMERIC", "numeric"),
    ("DECIMAL(10,5)", "numeric"),
    ("STRING", "numeric"),  # no rule matches: NUMERIC affinity
    ("MONEY", "numeric"),
    ("BOOLEAN", "boolean"),
    ("bool", "boolean"),
    ("DATE", "date"),
    ("DATETIME", "timestamp"),
    ("TIMESTAMP", "timestamp"),
    ("timestamp with time zone", "timestamp"),
    ("TIME", "time"),
    ("UUID", "uuid"),
    ("JSON", "json"),
    ("JSONB", "json"),
    ("ANY", "other"),
]


@pytest.mark.parametrize(("declared", "family"), FAMILIES)
def test_family(declared: str, family: str) -> None:
    assert declared_type(declared).family == family


def test_sql_is_the_declared_text() -> None:
    assert declared_type("Decimal( 12 , 2 )").sql == "Decimal( 12 , 2 )"


def test_varchar_length() -> None:
    assert declared_type("VARCHAR(255)").length == 255


def test_decimal_precision_and_scale() -> None:
    t = declared_type("DECIMAL(12, 2)")
    assert (t.precision, t.scale) == (12, 2)


def test_negative_scale_is_kept() -> None:
    assert declared_type("numeric(10,-2)").scale == -2


def test_integers_hold_64_bits_whatever_the_name() -> None:
    assert declared_type("TINYINT").bits == 64


def test_timestamp_with_time_zone_keeps_its_zone() -> None:
    assert declared_type("TIMESTAMP WITH TIME ZONE").timezone is True


def test_datetime_has_no_zone() -> None:
    assert declared_type("DATETIME").timezone is False


def test_affinity_ignores_refinements() -> None:
    assert affinity_family("BOOLEAN") == "numeric"


@pytest.mark.parametrize(
    ("written", "reported"),
    [
        ("integer", "INTEGER"),  # standard names come back upper case
        ("Text", "TEXT"),
        ('"text"', "TEXT"),
        ("[int]", "INT"),
        ("`blob`", "BLOB"),
        ("any", "ANY"),
        ("varchar(10)", "varchar(10)"),  # anything else as written
        ("double   precision", "double   precision"),
        ("'char'(3)", "char"),  # dequoted up to the closing quote
        ('"VarChar"( 10 )', "VarChar"),
        ("int GENERATED ALWAYS", "INT"),  # belongs to the column constraint
        ("x", "x"),
    ],
)
def test_reported_type(written: str, reported: str) -> None:
    assert reported_type(written) == reported


def test_dequote_doubled_quotes() -> None:
    assert dequote('"a""b"') == 'a"b'
