"""Django's database backends as data: the types, checks and statement templates each one uses.

One `Backend` per dialect, read from Django's own source: ``DatabaseWrapper.data_types``,
``data_type_check_constraints`` and ``data_types_suffix`` (django/db/backends/<name>/base.py),
the ``sql_*`` templates of each ``DatabaseSchemaEditor`` (<name>/schema.py) and the feature
flags the editor consults (<name>/features.py).  A backend is the common tables with its
own entries laid over them (``{**BASE, ...}``); the schema editor never asks which backend it
runs for, only what the tables say.  MySQL is spelled as Django's backend does on the MariaDB
dbdrift's MySQL replay models (10.11: ``uuid`` for ``UUIDField``; MariaDB itself turns
``json`` into ``longtext`` with a ``json_valid`` check).
"""

from __future__ import annotations

from dataclasses import dataclass

# Types every backend spells alike (Django repeats them in each ``data_types``).
TYPES = {
    "CharField": "varchar(%(max_length)s)",
    "DateField": "date",
    "FileField": "varchar(%(max_length)s)",
    "FilePathField": "varchar(%(max_length)s)",
    "IntegerField": "integer",
    "BigIntegerField": "bigint",
    "SlugField": "varchar(%(max_length)s)",
    "SmallIntegerField": "smallint",
    "TextField": "text",
}

POSTGRESQL_TYPES = {
    **TYPES,
    "AutoField": "integer",
    "BigAutoField": "bigint",
    "BinaryField": "bytea",
    "BooleanField": "boolean",
    "DateTimeField": "timestamp with time zone",
    "DecimalField": "numeric(%(max_digits)s, %(decimal_places)s)",
    "DurationField": "interval",
    "FloatField": "double precision",
    "IPAddressField": "inet",
    "GenericIPAddressField": "inet",
    "JSONField": "jsonb",
    "PositiveBigIntegerField": "bigint",
    "PositiveIntegerField": "integer",
    "PositiveSmallIntegerField": "smallint",
    "SmallAutoField": "smallint",
    "TimeField": "time",
    "UUIDField": "uuid",
    # django.contrib.postgres
    "HStoreField": "hstore",
    "CICharField": "citext",
    "CIEmailField": "citext",
    "CITextField": "citext",
}

MYSQL_TYPES = {
    **TYPES,
    "AutoField": "integer AUTO_INCREMENT",
    "BigAutoField": "bigint AUTO_INCREMENT",
    "BinaryField": "longblob",
    "BooleanField": "bool",
    "DateTimeField": "datetime(6)",
    "DecimalField": "numeric(%(max_digits)s, %(decimal_places)s)",
    "DurationField": "bigint",
    "FloatField": "double precision",
    "IPAddressField": "char(15)",
    "GenericIPAddressField": "char(39)",
    "JSONField": "json",
    "PositiveBigIntegerField": "bigint UNSIGNED",
    "PositiveIntegerField": "integer UNSIGNED",
    "PositiveSmallIntegerField": "smallint UNSIGNED",
    "SmallAutoField": "smallint AUTO_INCREMENT",
    "TextField": "longtext",
    "TimeField": "time(6)",
    "UUIDField": "char(32)",
}

# ``DatabaseWrapper.data_types`` on a MariaDB of 10.7 or later (``has_native_uuid_field``).
MARIADB_TYPES = {**MYSQL_TYPES, "UUIDField": "uuid"}

SQLITE_TYPES = {
    **TYPES,
    "AutoField": "integer",
    "BigAutoField": "integer",
    "BinaryField": "BLOB",
    "BooleanField": "bool",
    "DateTimeField": "datetime",
    "DecimalField": "decimal",
    "DurationField": "bigint",
    "FloatField": "real",
    "IPAddressField": "char(15)",
    "GenericIPAddressField": "char(39)",
    "JSONField": "text",
    "PositiveBigIntegerField": "bigint unsigned",
    "PositiveIntegerField": "integer unsigned",
    "PositiveSmallIntegerField": "smallint unsigned",
    "SmallAutoField": "integer",
    "TimeField": "time",
    "UUIDField": "char(32)",
}

_POSITIVE = ("PositiveBigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField")

# ``data_type_check_constraints``, with the backend's quote around ``%(column)s``.
POSTGRESQL_CHECKS = {kind: '"%(column)s" >= 0' for kind in _POSITIVE}
MYSQL_CHECKS = {kind: "`%(column)s` >= 0" for kind in _POSITIVE}
SQLITE_CHECKS = {
    **POSTGRESQL_CHECKS,
    "JSONField": '(JSON_VALID("%(column)s") OR "%(column)s" IS NULL)',
}

# ``rel_db_type``: the field class whose type a foreign key to this class takes.
REL_KINDS = {
    "AutoField": "IntegerField",
    "BigAutoField": "BigIntegerField",
    "SmallAutoField": "SmallIntegerField",
    "PositiveBigIntegerField": "BigIntegerField",
    "PositiveIntegerField": "IntegerField",
    "PositiveSmallIntegerField": "SmallIntegerField",
}
# ``related_fields_match_type = True``: a key to a positive field keeps its unsigned type.
MYSQL_REL_KINDS = {k: v for k, v in REL_KINDS.items() if k not in _POSITIVE}

# The ``sql_*`` templates of ``BaseDatabaseSchemaEditor`` that differ between backends;
# ``{...}`` placeholders take names already quoted.
SQL = {
    "rename_table": "ALTER TABLE {old} RENAME TO {new}",
    "delete_table": "DROP TABLE {table} CASCADE",
    "delete_column": "ALTER TABLE {table} DROP COLUMN {column} CASCADE",
    "rename_column": "ALTER TABLE {table} RENAME COLUMN {old} TO {new}",
    "create_fk": (
        "ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({column})"
        " REFERENCES {to_table} ({to_column}){deferrable}"
    ),
    "delete_fk": "ALTER TABLE {table} DROP CONSTRAINT {name}",
    "create_unique": "ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE ({columns})",
    "delete_unique": "ALTER TABLE {table} DROP CONSTRAINT {name}",
    "delete_index": "DROP INDEX {name}",
    "rename_index": "ALTER INDEX {old} RENAME TO {new}",
    "delete_check": "ALTER TABLE {table} DROP CONSTRAINT {name}",
    "alter_type": "ALTER TABLE {table} ALTER COLUMN {column} TYPE {type}",
    "alter_null": "ALTER TABLE {table} ALTER COLUMN {column} DROP NOT NULL",
    "alter_not_null": "ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL",
    "set_default": "ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {default}",
    "drop_default": "ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT",
}

POSTGRESQL_SQL = {
    **SQL,
    "delete_index": "DROP INDEX IF EXISTS {name}",
    "alter_type": "ALTER TABLE {table} ALTER COLUMN {column} TYPE {type} USING {column}::{type}",
}

MYSQL_SQL = {
    **SQL,
    "rename_table": "RENAME TABLE {old} TO {new}",
    "delete_column": "ALTER TABLE {table} DROP COLUMN {column}",
    "delete_fk": "ALTER TABLE {table} DROP FOREIGN KEY {name}",
    "delete_unique": "ALTER TABLE {table} DROP INDEX {name}",
    "delete_index": "DROP INDEX {name} ON {table}",
    "rename_index": "ALTER TABLE {table} RENAME INDEX {old} TO {new}",
    "delete_check": "ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}",
    # ``_set_field_new_type``: MODIFY restates the column, the old nullability kept
    "alter_type": "ALTER TABLE {table} MODIFY {column} {type} {null}",
    "alter_null": "ALTER TABLE {table} MODIFY {column} {type} NULL",
    "alter_not_null": "ALTER TABLE {table} MODIFY {column} {type} NOT NULL",
}

SQLITE_SQL = {
    **SQL,
    "delete_table": "DROP TABLE {table}",
    "delete_column": "ALTER TABLE {table} DROP COLUMN {column}",
    "create_unique": "CREATE UNIQUE INDEX {name} ON {table} ({columns})",
    "delete_unique": "DROP INDEX {name}",
}


@dataclass(frozen=True)
class Backend:
    """What Django's schema editor does differently on one database."""

    name: str
    """The dialect of the generated DDL (the SQL replay that reads it)."""
    label: str
    """How notes name the backend."""
    data_types: dict[str, str]
    checks: dict[str, str]
    rel_kinds: dict[str, str]
    sql: dict[str, str]
    quote: str = '"'
    max_name: int | None = 63
    """``ops.max_name_length()``; ``None`` is Django's 200 for index names."""
    auto_suffix: str = ""
    """``data_types_suffix`` of the auto fields, after the column's check."""
    deferrable: str = ""
    """``sql_create_fk``'s ``%(deferrable)s``."""
    inline_fk: str = ""
    """``sql_create_inline_fk``: the reference written into the column, no constraint name."""
    like_index: bool = False
    """PostgreSQL's extra ``_like`` index with a pattern opclass."""
    fk_index: bool = True
    """Whether Django indexes a foreign key (not on InnoDB, which indexes it itself)."""
    unindexed_types: tuple[str, ...] = ()
    """``_limited_data_types``: types Django never gives a ``db_index``."""
    unique_name: str = "{table}_{column}_key"
    """The name the database gives an inline ``UNIQUE`` column constraint."""
    partial_indexes: bool = True
    """``supports_partial_indexes``: without, an index's condition is dropped and a
    conditional unique constraint is not created."""
    remake: bool = False
    """SQLite: alterations rebuild the table (``_remake_table``)."""


POSTGRESQL = Backend(
    "postgresql",
    "PostgreSQL",
    POSTGRESQL_TYPES,
    POSTGRESQL_CHECKS,
    REL_KINDS,
    POSTGRESQL_SQL,
    auto_suffix="GENERATED BY DEFAULT AS IDENTITY",
    deferrable=" DEFERRABLE INITIALLY DEFERRED",
    like_index=True,
)

MYSQL = Backend(
    "mysql",
    "MySQL",
    MARIADB_TYPES,
    MYSQL_CHECKS,
    MYSQL_REL_KINDS,
    MYSQL_SQL,
    quote="`",
    max_name=64,
    fk_index=False,
    unindexed_types=(
        *("tinyblob", "blob", "mediumblob", "longblob"),
        *("tinytext", "text", "mediumtext", "longtext", "json"),
    ),
    unique_name="{column}",
    partial_indexes=False,
)

SQLITE = Backend(
    "sqlite",
    "SQLite",
    SQLITE_TYPES,
    SQLITE_CHECKS,
    REL_KINDS,
    SQLITE_SQL,
    max_name=None,
    auto_suffix="AUTOINCREMENT",
    inline_fk="REFERENCES {to_table} ({to_column}) DEFERRABLE INITIALLY DEFERRED",
    unique_name="",
    remake=True,
)

BACKENDS = {"postgresql": POSTGRESQL, "mysql": MYSQL, "mariadb": MYSQL, "sqlite": SQLITE}
