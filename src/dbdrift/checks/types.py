"""DBD2xx (types): a column one source types differently from the reference source.

Each paired column is compared once per (reference, source) pair, and `classify` picks the
one rule that explains the difference best, most specific first (`PRECEDENCE`): money in a
float over a timezone over an integer width over a family mismatch over enum values over
numeric precision over string length over any other spelling.  Every rule function asks
`classify` and reports only the pairs it owns, so one difference is never reported twice.

Types are compared as canonical `Type`s: each reader spells a type the way its database
reports it (types/postgres.py, types/mysql.py, types/sqlite.py), so an ORM type and the DDL
it emits compare equal by construction, and only real differences reach these rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from dbdrift.align import ColumnRow, Member
from dbdrift.checks.common import column_evidence, describe, edit, kind_label, member_of
from dbdrift.checks.registry import Hit, rule
from dbdrift.findings import Severity
from dbdrift.schema import Column, Table
from dbdrift.types import Type, postgres
from dbdrift.types.mysql import enum_members

PRECEDENCE = ("DBD202", "DBD206", "DBD205", "DBD201", "DBD207", "DBD203", "DBD204", "DBD208")
"""The order in which type rules claim a difference: the first that applies reports it."""

DEFAULT_TIME_PRECISION = {"postgresql": postgres.DEFAULT_TIME_PRECISION}
"""Per dialect family, the precision a temporal type without one has."""

UNENFORCED_SIZES = frozenset({"sqlite"})
"""Dialects that keep declared lengths and precisions as text only: SQLite stores any value
in any column of a type affinity (https://www.sqlite.org/datatype3.html, section 3.1), so
``VARCHAR(10)`` against ``TEXT`` cannot make a write fail there."""


@dataclass(frozen=True, slots=True)
class Pair:
    """One paired column: the reference source's version and another source's version."""

    row: ColumnRow
    ref_member: Member
    ref_table: Table
    ref: Column
    member: Member
    table: Table
    column: Column

    @property
    def key(self) -> str:
        return f"{self.row.table.key}.{self.row.name}"


def pairs(row: ColumnRow) -> Iterator[Pair]:
    """Every (reference, other source) pair of the column, in source order."""
    ref = row.reference()
    if ref is None:
        return
    table_row = row.table
    ref_member = member_of(table_row, table_row.reference)
    for member in table_row.group.members:
        column = row.columns.get(member.id)
        if column is None or member.id == table_row.reference:
            continue
        yield Pair(
            row,
            ref_member,
            table_row.tables[table_row.reference],
            ref,
            member,
            table_row.tables[member.id],
            column,
        )


def classify(pair: Pair) -> str | None:
    """The id of the one type rule that reports this pair, or ``None`` when types agree."""
    a, b = pair.ref.type, pair.column.type
    if a.family == "array" and b.family == "array" and a.element and b.element:
        a, b = a.element, b.element
    if a == b and (a.family != "enum" or not enum_difference(pair)):
        return None
    families = {a.family, b.family}
    if families == {"float", "numeric"}:
        return "DBD202"
    if a.family != b.family:
        return "DBD201"
    if a.family in ("timestamp", "time") and _zones_differ(a, b):
        return "DBD206"
    if a.family == "integer" and a.bits and b.bits and a.bits != b.bits:
        return "DBD205"
    if a.family == "enum" and enum_difference(pair):
        return "DBD207"
    if a.family == "numeric" and (a.precision, a.scale) != (b.precision, b.scale):
        return "DBD203"
    if a.family == "text" and a.length != b.length:
        return "DBD204"
    if a.sql != b.sql and not _same_time_precision(pair):
        return "DBD208"
    return None


def _same_time_precision(pair: Pair) -> bool:
    """Whether two temporal types differ only in spelling an implicit default precision
    (PostgreSQL's `timestamptz` is `timestamp(6) with time zone`)."""
    a, b = pair.ref.type, pair.column.type
    if a.family not in ("timestamp", "time") or a.timezone != b.timezone:
        return False
    default = DEFAULT_TIME_PRECISION.get(pair.ref_member.family)
    if default is None or pair.member.family != pair.ref_member.family:
        return False
    left = default if a.precision is None else a.precision
    right = default if b.precision is None else b.precision
    return left == right


def _zones_differ(a: Type, b: Type) -> bool:
    return a.timezone is not None and b.timezone is not None and a.timezone != b.timezone


def enum_values(member: Member, typ: Type) -> tuple[str, ...] | None:
    """The values of an enum type as `member` defines it, or ``None`` when unknown.

    A named enum (PostgreSQL ``CREATE TYPE``, a Prisma ``enum``) is looked up in the
    member's schema; an inline one (MySQL ``enum('a','b')``) carries its values in `sql`.
    """
    if typ.enum is not None:
        found = [e for e in member.schema.enums if e.name == typ.enum]
        if found:
            return found[0].values
    if typ.sql.lower().startswith("enum("):
        return tuple(enum_members(typ.sql))
    return None


def enum_difference(pair: Pair) -> tuple[list[str], list[str]] | None:
    """(values only the source has, values only the reference has), or ``None`` when the
    value sets agree or one of them is unknown."""
    a, b = _element(pair.ref.type), _element(pair.column.type)
    if a.family != "enum" or b.family != "enum":
        return None
    ref_values = enum_values(pair.ref_member, a)
    values = enum_values(pair.member, b)
    if ref_values is None or values is None or set(ref_values) == set(values):
        return None
    extra = sorted(set(values) - set(ref_values))
    missing = sorted(set(ref_values) - set(values))
    return extra, missing


def _element(typ: Type) -> Type:
    return typ.element if typ.family == "array" and typ.element is not None else typ


def holds(wide: Type, narrow: Type) -> bool:
    """Whether every value of `narrow` fits in `wide` unchanged (same family assumed)."""
    wide, narrow = _element(wide), _element(narrow)
    if wide.family != narrow.family:
        return False
    if wide.family == "integer":
        return (wide.bits or 64) >= (narrow.bits or 64)
    if wide.family == "float":
        return (wide.bits or 64) >= (narrow.bits or 64)
    if wide.family == "numeric":
        return numeric_holds(wide, narrow)
    if wide.family == "text":
        return wide.length is None or (narrow.length is not None and wide.length >= narrow.length)
    if wide.family in ("timestamp", "time"):
        return wide.timezone == narrow.timezone and (wide.precision or 6) >= (narrow.precision or 6)
    return True


def numeric_holds(wide: Type, narrow: Type) -> bool:
    """Whether numeric `wide` keeps every value of `narrow`: as many digits before and
    after the point (an unconstrained ``numeric`` holds everything)."""
    if wide.precision is None:
        return True
    if narrow.precision is None:
        return False
    wide_scale, narrow_scale = wide.scale or 0, narrow.scale or 0
    return (
        wide_scale >= narrow_scale
        and wide.precision - wide_scale >= narrow.precision - narrow_scale
    )


def is_key(table: Table, column: Column) -> bool:
    """Whether the column is part of the table's primary key or of one of its foreign keys."""
    if table.primary_key is not None and column.name in table.primary_key.columns:
        return True
    return any(column.name in fk.columns for fk in table.foreign_keys)


def type_hit(pair: Pair, message: str, severity: Severity | None = None, **data: object) -> Hit:
    """The finding for a pair: evidence from both sources, the alter-column edit on the
    non-reference source ("make it say what the reference says")."""
    ref_type, src_type = pair.ref.type, pair.column.type
    target = replace(pair.column, type=ref_type)
    unsafe = not holds(ref_type, src_type) or ref_type.family != src_type.family
    return Hit(
        title=(
            f"{pair.key} is {src_type.sql} in {pair.member.id} but {ref_type.sql} in "
            f"{pair.ref_member.id}"
        ),
        message=message,
        table=pair.row.table.key,
        column=pair.row.name,
        evidence=(
            column_evidence(pair.ref_member, pair.ref, pair.ref_table, describe(pair.ref)),
            column_evidence(pair.member, pair.column, pair.table, describe(pair.column)),
        ),
        fix=f"Change {pair.column.name} in {pair.member.id} to {ref_type.sql}, as "
        f"{pair.ref_member.id} has it, or migrate {pair.ref_member.id} to {src_type.sql}.",
        edits=(
            edit(
                "alter-column",
                pair.member,
                pair.table,
                column=target,
                old=pair.column.name,
                unsafe=unsafe,
                note=f"type {src_type.sql} -> {ref_type.sql}",
            ),
        ),
        severity=severity,
        data={"reference_type": ref_type.sql, "source_type": src_type.sql, **data},
    )


def _mine(row: ColumnRow, rule_id: str) -> Iterator[Pair]:
    """The pairs of `row` that `rule_id` reports; classified once per row for all rules."""
    by_rule = row.memo.get("types")
    if by_rule is None:
        by_rule = {}
        for pair in pairs(row):
            by_rule.setdefault(classify(pair), []).append(pair)
        row.memo["types"] = by_rule
    yield from by_rule.get(rule_id, ())


def _sides(pair: Pair) -> str:
    return (
        f"The {kind_label(pair.member)} {pair.member.id} declares {pair.key} as "
        f"{pair.column.type.sql}, while the {kind_label(pair.ref_member)} {pair.ref_member.id} "
        f"has {pair.ref.type.sql}"
    )


@rule("DBD201", "type-family-mismatch", severity=Severity.high, over="column")
def type_family_mismatch(row: ColumnRow) -> Iterator[Hit]:
    """Two sources give one column types of different families (uuid and text, int and text).

    ## What it detects
    A column whose type belongs to a different family in a source than in the reference
    source: `uuid` against `text` or `varchar`, `integer` against `text`, `boolean` against
    `integer`, an enum against a string, or arrays whose elements differ so.  Spellings
    that are the documented mapping of one ORM type in the group's dialect (Prisma's
    `Boolean` as MySQL `tinyint(1)`) are the same family and are not reported.  A float
    against a decimal is DBD202.

    ## Why it breaks
    The values do not convert silently.  A model that declares a key as a string while the
    database column is `uuid` sends `text` parameters: `WHERE id = $1` fails with `operator
    does not exist: uuid = text` in drivers that type parameters, and a join between the
    `uuid` key and a `varchar` foreign key needs casts everywhere.  Writes of values that do
    not parse (`'abc'` into an integer) fail at run time instead of in the type checker.

    ## Example
    ```sql
    CREATE TABLE users (id uuid PRIMARY KEY);          -- db/migrations/001_init.sql
    ```
    ```python
    id = Column(String(36), primary_key=True)           # app/models.py
    ```

    ## Fix
    Change the model's column to the database's type (Prisma `String @db.Uuid`,
    SQLAlchemy `Uuid`), or migrate the database column, casting its values.

    ## Fix safety
    Changing a model's type is safe once the code uses values of that type.  Migrating a
    database column to another family rewrites every row and fails on values that do not
    convert: the edit is marked unsafe.

    ## References
    - DESIGN.md, "Findings and severity": UUID against string keys is high.
    - https://www.postgresql.org/docs/current/datatype-uuid.html
    """
    for pair in _mine(row, "DBD201"):
        key = is_key(pair.ref_table, pair.ref) or is_key(pair.table, pair.column)
        families = f"{pair.column.type.family} against {pair.ref.type.family}"
        message = f"{_sides(pair)} ({families})."
        if key:
            message += (
                " The column is a key: joins and lookups compare values of different types "
                "(the classic UUID against VARCHAR key)."
            )
        yield type_hit(pair, message, key=key)


@rule("DBD202", "money-in-float", severity=Severity.high, over="column")
def money_in_float(row: ColumnRow) -> Iterator[Hit]:
    """One source stores a column as a float where another stores an exact decimal.

    ## What it detects
    A column that is a binary floating-point type (`real`, `double precision`, `FLOAT`,
    Prisma `Float`) in one source and an exact `numeric`/`decimal` in the other.

    ## Why it breaks
    Floats cannot represent most decimal fractions: `0.1 + 0.2` is `0.30000000000000004`.
    An amount written through a float model into a `numeric(12,2)` column is rounded on the
    way in; read from a float column it sums to cents that are off.  Totals, ratios and
    comparisons (`total = 19.99`) silently give wrong results; nothing fails.

    ## Example
    ```sql
    total numeric(12,2) NOT NULL                        -- db/migrations/001_init.sql
    ```
    ```prisma
    total Float                                          // prisma/schema.prisma
    ```

    ## Fix
    Declare the column as a decimal in the model (Prisma `Decimal @db.Decimal(12, 2)`,
    SQLAlchemy `Numeric(12, 2)`), matching the database.

    ## Fix safety
    Changing the model is safe; code that does arithmetic on the field must then use a
    decimal type.  Migrating a database float column to a decimal rounds existing values
    to the new scale: the edit is marked unsafe when it narrows.

    ## References
    - DESIGN.md, "Findings and severity": money in floating point on one side is high.
    - https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-FLOAT
    """
    for pair in _mine(row, "DBD202"):
        message = (
            f"{_sides(pair)}: one side is binary floating point and the other an "
            "exact decimal, so amounts are rounded when they cross."
        )
        yield type_hit(pair, message)


@rule("DBD203", "numeric-precision", severity=Severity.medium, over="column")
def numeric_precision(row: ColumnRow) -> Iterator[Hit]:
    """Two sources give a decimal column different precision or scale.

    ## What it detects
    A `numeric(p,s)` column whose precision or scale differs between the reference source
    and another source (`numeric(10,2)` against `numeric(12,4)`, or against an
    unconstrained `numeric` or Prisma's default `Decimal(65,30)`).

    ## Why it breaks
    When the reference (the database) is narrower than the source, a value the model
    accepts does not fit: PostgreSQL raises `numeric field overflow` for too many integer
    digits and rounds extra decimals silently (medium).  When the database is wider,
    nothing fails, but the model rounds values it reads (low).

    ## Example
    ```sql
    price numeric(10,2) NOT NULL                        -- db/migrations/001_init.sql
    ```
    ```python
    price = Column(Numeric(12, 4))                       # app/models.py
    ```

    ## Fix
    Declare the model's column with the database's precision and scale.

    ## Fix safety
    Changing the model is safe.  Narrowing a database column fails on values that do not
    fit and rounds the rest: the edit is marked unsafe when it narrows.

    ## References
    - https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-NUMERIC-DECIMAL
    """
    for pair in _mine(row, "DBD203"):
        narrower = not numeric_holds(pair.ref.type, pair.column.type)
        severity = _size_severity(pair, narrower)
        if narrower:
            consequence = "values the source accepts overflow or are rounded on write"
        else:
            consequence = "the database is wider, so nothing fails, but reads may round"
        message = f"{_sides(pair)}: {consequence}."
        yield type_hit(pair, message, severity)


@rule("DBD204", "string-length", severity=Severity.medium, over="column")
def string_length(row: ColumnRow) -> Iterator[Hit]:
    """Two sources give a string column different maximum lengths.

    ## What it detects
    A text column whose declared length differs: `varchar(100)` against `varchar(255)`, or
    `varchar(n)` against an unbounded `text` (Prisma's plain `String`).

    ## Why it breaks
    When the reference (the database) is narrower than the source, a value the model
    accepts is refused: `value too long for type character varying(100)` (medium).  When
    the database is wider, nothing fails (low).  In SQLite, declared lengths are not
    enforced, so the difference is always low there.

    ## Example
    ```sql
    email varchar(100) NOT NULL                         -- db/migrations/001_init.sql
    ```
    ```prisma
    email String @db.VarChar(255)                        // prisma/schema.prisma
    ```

    ## Fix
    Declare the model's column with the database's length (or widen the database column
    if longer values are expected).

    ## Fix safety
    Changing the model is safe.  Shortening a database column fails on rows that are too
    long: the edit is marked unsafe when it narrows.

    ## References
    - https://www.postgresql.org/docs/current/datatype-character.html
    """
    for pair in _mine(row, "DBD204"):
        narrower = not holds(pair.ref.type, pair.column.type)
        severity = _size_severity(pair, narrower)
        if narrower:
            consequence = "values the source accepts can be too long for the database"
        else:
            consequence = "the database accepts longer values, so nothing fails"
        message = f"{_sides(pair)}: {consequence}."
        yield type_hit(pair, message, severity)


def _size_severity(pair: Pair, narrower: bool) -> Severity:
    """Medium when the reference is narrower (writes fail), low when it is wider or when
    the dialect does not enforce declared sizes."""
    if narrower and pair.ref_member.family not in UNENFORCED_SIZES:
        return Severity.medium
    return Severity.low


@rule("DBD205", "integer-width", severity=Severity.high, over="column")
def integer_width(row: ColumnRow) -> Iterator[Hit]:
    """Two sources give an integer column different widths (smallint, integer, bigint).

    ## What it detects
    An integer column whose storage width differs: `integer` (32 bits) against `bigint`
    (64 bits), `smallint` against `integer`, Prisma `Int` against `BigInt`.

    ## Why it breaks
    Both directions overflow somewhere.  A database `integer` under a model `BigInteger`
    refuses writes above 2^31-1 (`integer out of range`).  A database `bigint` under a
    model `Int` holds values the model cannot read: Prisma raises a conversion error and
    32-bit clients wrap around.  Identifiers grow until the day they cross the limit.

    ## Example
    ```sql
    id bigserial PRIMARY KEY                            -- db/migrations/001_init.sql
    ```
    ```prisma
    id Int @id @default(autoincrement())                  // prisma/schema.prisma
    ```

    ## Fix
    Declare the model's column with the database's width (Prisma `BigInt`, SQLAlchemy
    `BigInteger`).

    ## Fix safety
    Changing the model is safe; code must then handle the wider values.  Narrowing a
    database column fails on values out of range: the edit is marked unsafe when it narrows.

    ## References
    - DESIGN.md, "Findings and severity": integer widths that overflow are high.
    - https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-INT
    """
    for pair in _mine(row, "DBD205"):
        ref_bits, bits = pair.ref.type.bits or 0, pair.column.type.bits or 0
        if ref_bits < bits:
            consequence = (
                f"writes above the database's {ref_bits}-bit range fail with an out-of-range error"
            )
        else:
            consequence = f"values above {bits} bits cannot be read into the source's type"
        message = f"{_sides(pair)}: {consequence}."
        yield type_hit(pair, message)


@rule("DBD206", "timestamp-timezone", severity=Severity.high, over="column")
def timestamp_timezone(row: ColumnRow) -> Iterator[Hit]:
    """One source keeps a timestamp's time zone and another does not.

    ## What it detects
    A `timestamp` or `time` column that is `with time zone` in one source and `without
    time zone` in the other (PostgreSQL `timestamptz` against `timestamp`, Prisma
    `@db.Timestamptz` against plain `DateTime`, SQLAlchemy `DateTime(timezone=True)`;
    MySQL `TIMESTAMP` against `DATETIME`).

    ## Why it breaks
    The same instant is stored or read with an offset applied on one side only: a value
    written as `2024-01-01T12:00Z` through a model that assumes UTC is read back shifted by
    the session's time zone, silently.  Comparisons and date boundaries (end of day, end of
    month) move by hours.

    ## Example
    ```sql
    created_at timestamptz NOT NULL DEFAULT now()       -- db/migrations/001_init.sql
    ```
    ```python
    created_at = Column(DateTime, nullable=False)         # app/models.py
    ```

    ## Fix
    Declare the model's column with the database's zone handling (SQLAlchemy
    `DateTime(timezone=True)`, Prisma `@db.Timestamptz(6)`).

    ## Fix safety
    Changing the model changes the values code sees.  Converting a database column between
    `timestamp` and `timestamptz` reinterprets every stored value in the session's time
    zone: the edit is marked unsafe.

    ## References
    - DESIGN.md, "Findings and severity": `timestamp` against `timestamptz` is high.
    - https://www.postgresql.org/docs/current/datatype-datetime.html
    """
    for pair in _mine(row, "DBD206"):
        message = (
            f"{_sides(pair)}: one side keeps the time zone and the other does not, "
            "so values are shifted by the session's offset."
        )
        yield type_hit(pair, message)


@rule("DBD207", "enum-values", severity=Severity.high, over="column")
def enum_values_differ(row: ColumnRow) -> Iterator[Hit]:
    """Two sources give an enum column different sets of values.

    ## What it detects
    A column that is an enum in both sources whose values differ: the source has values
    the database's enum lacks, or the database has values the source does not know.  The
    values of a named enum come from the source's enum definitions (PostgreSQL `CREATE
    TYPE ... AS ENUM`, a Prisma `enum`, a SQLAlchemy `Enum` class); a MySQL inline
    `enum('a','b')` carries them in its type.  An enum whose name alone differs is DBD208.

    ## Why it breaks
    Writing a value the database lacks fails: `invalid input value for enum "Role":
    "guest"`.  Reading a value the source does not know fails in Prisma (`Value 'owner'
    not found in enum 'Role'`) and yields an unknown member in other ORMs.

    ## Example
    ```sql
    CREATE TYPE "Role" AS ENUM ('admin', 'user');        -- db/migrations/001_init.sql
    ```
    ```prisma
    enum Role { admin user guest }                        // prisma/schema.prisma
    ```

    ## Fix
    Add the missing values to the database enum with a migration (`ALTER TYPE "Role" ADD
    VALUE 'guest'`), or remove them from the source; add values the database has to the
    source.

    ## Fix safety
    Adding an enum value is safe.  Removing one fails while rows still hold it: the edit is
    marked unsafe when the source would lose values.

    ## References
    - https://www.postgresql.org/docs/current/datatype-enum.html
    - https://www.prisma.io/docs/orm/reference/prisma-schema-reference#enum
    """
    for pair in _mine(row, "DBD207"):
        difference = enum_difference(pair)
        if difference is None:  # classify found one; kept for type narrowing
            continue
        extra, missing = difference
        parts = []
        if extra:
            parts.append(
                f"{pair.member.id} has {', '.join(extra)}, which {pair.ref_member.id} lacks "
                "(writes of them fail)"
            )
        if missing:
            parts.append(
                f"{pair.ref_member.id} has {', '.join(missing)}, which {pair.member.id} lacks "
                "(reads of them fail)"
            )
        message = f"The enum of {pair.key} differs: {'; '.join(parts)}."
        hit = type_hit(pair, message, extra=extra, missing=missing)
        ref_values = enum_values(pair.ref_member, _element(pair.ref.type)) or ()
        values = enum_values(pair.member, _element(pair.column.type)) or ()
        yield replace(
            hit,
            evidence=(
                column_evidence(
                    pair.ref_member,
                    pair.ref,
                    pair.ref_table,
                    f"{describe(pair.ref)} (values {', '.join(ref_values)})",
                ),
                column_evidence(
                    pair.member,
                    pair.column,
                    pair.table,
                    f"{describe(pair.column)} (values {', '.join(values)})",
                ),
            ),
            title=f"{pair.key} enum values differ between {pair.member.id} and "
            f"{pair.ref_member.id}",
            edits=tuple(replace(e, unsafe=bool(extra), note="enum values") for e in hit.edits),
        )


@rule("DBD208", "type-mismatch", severity=Severity.low, over="column")
def type_mismatch(row: ColumnRow) -> Iterator[Hit]:
    """Two sources spell a column's type differently within the same family.

    ## What it detects
    Any remaining difference of the database spelling of a column's type once the more
    specific type rules (DBD201 to DBD207) have had their say: `json` against `jsonb`,
    `timestamp(3)` (Prisma's `DateTime`) against `timestamp` (precision 6),
    `character(n)` against `character varying(n)`, an enum type of another name.

    ## Why it breaks
    Usually nothing fails, which is why it is low: the values fit on both sides.  But the
    behaviour differs in small ways: `jsonb` drops duplicate keys and reorders them, a
    `timestamp(3)` model truncates the microseconds the database keeps, `character(n)`
    pads with blanks.  A migration generated from the source would change the column.

    ## Example
    ```sql
    created_at timestamp NOT NULL                       -- db/migrations/001_init.sql
    ```
    ```prisma
    createdAt DateTime @map("created_at")                 // prisma/schema.prisma: timestamp(3)
    ```

    ## Fix
    Declare the model's column with the database's exact type (Prisma
    `@db.Timestamp(6)`, `@db.Json`).

    ## Fix safety
    Changing the model is safe.  Changing a database column to a lower precision rounds
    stored values: the edit is marked unsafe when it narrows.

    ## References
    - https://www.postgresql.org/docs/current/datatype-json.html
    - https://www.prisma.io/docs/orm/reference/prisma-schema-reference#datetime
    """
    for pair in _mine(row, "DBD208"):
        message = (
            f"{_sides(pair)}: the same family, spelled differently; values fit "
            "on both sides but behave slightly differently."
        )
        yield type_hit(pair, message)
