"""The SQLAlchemy oracle: import a fixture with the real SQLAlchemy and project its metadata.

`load_metadata` imports a fixture package in the test process (fixtures are code we wrote,
never a user's repository) and collects every `MetaData` it defines: declarative bases,
plain ``MetaData()`` objects, Flask-SQLAlchemy's ``db.metadata`` and the tables the fixture
added to SQLModel's shared ``SQLModel.metadata``.  `project_metadata` reduces them to the
shape of `tests.oracle.compare.project`, so a test compares dbdrift's static reading to what
SQLAlchemy itself builds with one equality.

Two facts are compared only after ``create_all`` on a real PostgreSQL, not here:

- server defaults: SQLAlchemy keeps the text the model wrote (``func.now()``, ``"0"``), the
  database keeps its own deparse (``now()``, ``0``); this projection puts ``None``;
- constraint and index names: without a naming convention SQLAlchemy leaves them unnamed
  and the database names them; this projection puts ``None`` for every name (primary key,
  foreign keys, uniques, indexes, checks), and tests blank the names of dbdrift's side with
  `unnamed` before comparing.

Nothing here uses dbdrift: the oracle must not share the code it judges.
"""

from __future__ import annotations

import copy
import importlib
import pkgutil
import re
import sys
from pathlib import Path
from typing import Any

from oracle.compare import EXPR, check_names, key_name  # tests/ is on sys.path under pytest

DEFAULT_SCHEMA = "public"

# SQLAlchemy's PostgreSQL DDL spelling -> what format_type(atttypid, atttypmod) prints.
PG_TYPES = {
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "SMALLINT": "smallint",
    "BOOLEAN": "boolean",
    "TEXT": "text",
    "DATE": "date",
    "INTERVAL": "interval",
    "JSON": "json",
    "JSONB": "jsonb",
    "UUID": "uuid",
    "BYTEA": "bytea",
    "INET": "inet",
    "CIDR": "cidr",
    "MACADDR": "macaddr",
    "MONEY": "money",
    "TSVECTOR": "tsvector",
    "REAL": "real",
    "FLOAT": "double precision",  # FLOAT without precision is float8
    "DOUBLE PRECISION": "double precision",
    "VARCHAR": "character varying",
    "CHAR": "character(1)",
    "NUMERIC": "numeric",
    "XML": "xml",
    "OID": "oid",
}
_VARCHAR = re.compile(r"VARCHAR\((\d+)\)")
_CHAR = re.compile(r"CHAR\((\d+)\)")
_NUMERIC = re.compile(r"(?:NUMERIC|DECIMAL)\((\d+)(?:,\s*(\d+))?\)")
_FLOAT = re.compile(r"FLOAT\((\d+)\)")
_TIMEISH = re.compile(r"(TIMESTAMP|TIME)(?:\((\d+)\))? (WITH|WITHOUT) TIME ZONE")

_cache: dict[tuple[str, str], list[Any]] = {}


def format_type(compiled: str) -> str:
    """The ``format_type`` spelling of a type as SQLAlchemy compiles it for PostgreSQL."""
    compiled = compiled.strip()
    if compiled.endswith("[]"):
        return format_type(compiled[:-2]) + "[]"
    if compiled in PG_TYPES:
        return PG_TYPES[compiled]
    if m := _VARCHAR.fullmatch(compiled):
        return f"character varying({m.group(1)})"
    if m := _CHAR.fullmatch(compiled):
        return f"character({m.group(1)})"
    if m := _NUMERIC.fullmatch(compiled):
        return f"numeric({m.group(1)},{m.group(2) or 0})"
    if m := _FLOAT.fullmatch(compiled):
        return "real" if int(m.group(1)) <= 24 else "double precision"
    if m := _TIMEISH.fullmatch(compiled):
        kind, precision, zone = m.groups()
        name = "timestamp" if kind == "TIMESTAMP" else "time"
        size = f"({precision})" if precision else ""
        return f"{name}{size} {zone.lower()} time zone"
    if compiled == "TIMESTAMP":
        return "timestamp without time zone"
    if compiled == "TIME":
        return "time without time zone"
    return compiled  # an enum or domain name, already quoted as PostgreSQL would print it


def load_metadata(fixture_dir: Path, module: str) -> list[Any]:
    """Import `module` from `fixture_dir` and return every MetaData it defines.

    The fixture root is on ``sys.path`` only during the import and the fixture's modules are
    removed from ``sys.modules`` afterwards; results are cached per fixture, because SQLModel
    and Flask-SQLAlchemy keep class registries that a second import would collide with.
    """
    key = (str(Path(fixture_dir).resolve()), module)
    if key in _cache:
        return _cache[key]
    from sqlalchemy import MetaData

    shared = _sqlmodel_metadata()
    before = set(shared.tables) if shared is not None else set()
    sys.path.insert(0, key[0])
    try:
        root = importlib.import_module(module)
        if hasattr(root, "__path__"):  # a package: import every module, as an app would
            for info in pkgutil.walk_packages(root.__path__, module + "."):
                importlib.import_module(info.name)
        package = [m for n, m in sys.modules.items() if n == module or n.startswith(module + ".")]
        found: dict[int, Any] = {}
        for mod in package:
            for name in sorted(mod.__dict__):
                value = mod.__dict__[name]
                if isinstance(value, MetaData):
                    found.setdefault(id(value), value)
                meta = getattr(value, "metadata", None)
                if isinstance(meta, MetaData) and meta is not shared:
                    found.setdefault(id(meta), meta)
    finally:
        sys.path.remove(key[0])
        for name in [n for n in sys.modules if n == module or n.startswith(module + ".")]:
            del sys.modules[name]
    result = [m for m in found.values() if m.tables]
    if shared is not None and (added := sorted(set(shared.tables) - before)):
        own = MetaData()
        tables = [shared.tables[k] for k in added]
        for table in tables:
            table.to_metadata(own)
        for table in tables:
            shared.remove(table)
        result.append(own)
    _cache[key] = result
    return result


def _sqlmodel_metadata() -> Any:
    try:
        from sqlmodel import SQLModel
    except ImportError:
        return None
    return SQLModel.metadata


def _type_sql(column: Any) -> str:
    from sqlalchemy.dialects import postgresql

    return format_type(column.type.compile(dialect=postgresql.dialect()))


def _native_enums(column: Any) -> list[Any]:
    """The native PostgreSQL enum types a column uses (itself, or an array's element)."""
    from sqlalchemy import ARRAY, Enum

    kind = getattr(column.type, "impl", None) or column.type
    kind = column.type if isinstance(column.type, (Enum, ARRAY)) else kind
    if isinstance(kind, ARRAY):
        kind = kind.item_type
    return [kind] if isinstance(kind, Enum) and kind.native_enum and kind.name else []


def project_metadata(metadatas: list[Any]) -> dict[str, Any]:
    """SQLAlchemy's metadata as the oracle projection, defaults and names as ``None``."""
    from sqlalchemy import CheckConstraint, ForeignKeyConstraint, UniqueConstraint

    tables: dict[str, Any] = {}
    enums: dict[str, list[str]] = {}
    for metadata in metadatas:
        for table in metadata.tables.values():
            schema = table.schema or DEFAULT_SCHEMA
            columns = []
            for c in table.columns:
                identity = c.identity
                columns.append(
                    [
                        c.name,
                        _type_sql(c),
                        bool(c.nullable),
                        None,
                        None
                        if identity is None
                        else ("always" if identity.always else "by default"),
                        c.computed is not None,
                    ]
                )
                for enum in _native_enums(c):
                    enums[key_name(enum.schema or DEFAULT_SCHEMA, enum.name)] = list(enum.enums)
            fks = []
            uniques = []
            checks = []
            for constraint in table.constraints:
                if isinstance(constraint, ForeignKeyConstraint):
                    ref = constraint.referred_table
                    fks.append(
                        [
                            None,
                            [c.name for c in constraint.columns],
                            ref.schema or DEFAULT_SCHEMA,
                            ref.name,
                            [e.column.name for e in constraint.elements],
                            (constraint.ondelete or "NO ACTION").upper(),
                            (constraint.onupdate or "NO ACTION").upper(),
                        ]
                    )
                elif isinstance(constraint, UniqueConstraint):
                    uniques.append([None, [c.name for c in constraint.columns]])
                elif isinstance(constraint, CheckConstraint):
                    checks.append(None)
            indexes = []
            for index in table.indexes:
                keys = [
                    getattr(e, "name", EXPR) if _is_column(e) else EXPR for e in index.expressions
                ]
                where = index.dialect_options["postgresql"].get("where")
                indexes.append([None, keys, bool(index.unique), where is not None])
            pk = list(table.primary_key.columns)
            tables[key_name(schema, table.name)] = {
                "columns": columns,
                "primary_key": [None, [c.name for c in pk]] if pk else None,
                "foreign_keys": sorted(fks),
                "uniques": sorted(uniques),
                "indexes": sorted(indexes),
                "checks": check_names(checks),
            }
    return {"tables": dict(sorted(tables.items())), "enums": dict(sorted(enums.items()))}


def _identity(identity: Any) -> str | None:
    if identity is None:
        return None
    return "always" if identity.always else "by default"


def _is_column(element: Any) -> bool:
    from sqlalchemy import Column

    return isinstance(element, Column)


def unnamed(projection: dict[str, Any]) -> dict[str, Any]:
    """A projection with defaults and constraint/index names blanked, lists re-sorted.

    What `project_metadata` cannot know before the database has named things (see the
    module docstring), applied to dbdrift's side so both are compared on the same terms.
    """
    result = copy.deepcopy(projection)
    result["tables"] = dict(sorted(result["tables"].items()))
    result["enums"] = dict(sorted(result["enums"].items()))
    for table in result["tables"].values():
        for column in table["columns"]:
            column[3] = None
        if table["primary_key"] is not None:
            table["primary_key"][0] = None
        for key in ("foreign_keys", "uniques", "indexes"):
            for entry in table[key]:
                entry[0] = None
            table[key].sort()
        table["checks"] = [None] * len(table["checks"])
    return result


def engine_url(dsn: str) -> Any:
    """SQLAlchemy's ``postgresql+psycopg://`` URL for a libpq key=value DSN."""
    from psycopg.conninfo import conninfo_to_dict
    from sqlalchemy.engine import URL

    params = conninfo_to_dict(dsn)
    return URL.create(
        "postgresql+psycopg",
        username=params.get("user"),
        password=params.get("password"),
        host=params.get("host"),
        port=int(params["port"]) if params.get("port") else None,
        database=params.get("dbname"),
    )


def create_all(dsn: str, metadatas: list[Any]) -> None:
    """``create_all`` of every metadata on `dsn`, creating the schemas they name first.

    ``create_all`` does not create schemas (a real project's migration does), so the
    harness does it.
    """
    from sqlalchemy import create_engine, text

    engine = create_engine(engine_url(dsn))
    try:
        schemas = sorted({t.schema for m in metadatas for t in m.tables.values() if t.schema})
        with engine.begin() as conn:
            for schema in schemas:
                conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        for metadata in metadatas:
            metadata.create_all(engine)
    finally:
        engine.dispose()
