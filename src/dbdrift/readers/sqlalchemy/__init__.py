"""The SQLAlchemy / SQLModel / Flask-SQLAlchemy reader: model files read with stdlib `ast`.

Repository code is never imported or run.  Every file of the source is parsed once
(modules.py), names are resolved across the files, each mapped class and ``Table(...)``
becomes a table (classes.py, tables.py, columns.py), and the result is spelled as the DDL
SQLAlchemy would emit on the source's dialect and replayed (ddl.py for PostgreSQL, where
plain tables are built directly by direct.py; dialects.py for MySQL and SQLite).  What has
no static meaning (a table name computed at run time, a type from an unknown package)
becomes a located note.
"""

from __future__ import annotations

import ast
import gc
from collections.abc import Iterator
from contextlib import contextmanager

from dbdrift.readers.sql.text import load_text
from dbdrift.readers.sqlalchemy.classes import Classes
from dbdrift.readers.sqlalchemy.ddl import replay, resolve_targets
from dbdrift.readers.sqlalchemy.dialects import replay_dialect
from dbdrift.readers.sqlalchemy.direct import build
from dbdrift.readers.sqlalchemy.model import Context, TableSpec
from dbdrift.readers.sqlalchemy.modules import Index, Local, Module
from dbdrift.readers.sqlalchemy.tables import add_constraint, table_from_call
from dbdrift.readers.sqlalchemy.values import call_name
from dbdrift.schema import Schema
from dbdrift.source import Source


def read(source: Source) -> Schema:
    """The tables every model class and ``Table(...)`` of `source` would create."""
    with _collector_paused():
        return _read(source)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading builds hundreds of thousands of syntax-tree nodes and specs, none of them
    garbage until the read ends; the cyclic collector's passes over them would cost as much
    as the reading itself (half the benchmark), so it waits until the read is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read(source: Source) -> Schema:
    index = Index(dialect=source.dialect if source.dialect in _DIALECTS else "postgresql")
    errors = []
    for relative in source.files:
        text, error = load_text(source.root, relative)
        if error is not None:
            errors.append(error)
            continue
        assert text is not None
        index.add(relative, text)
    ctx = Context(index)
    by_node = collect(ctx)
    resolve_targets(ctx, by_node)
    _drop_repeated_tables(ctx)
    notes = tuple(index.notes + ctx.notes)
    base = Schema(source.ref(), notes=notes, errors=tuple(errors + index.errors))
    if index.dialect != "postgresql":
        return replay_dialect(ctx, base, index.dialect)
    return build(ctx, base) or replay(ctx, base)


_DIALECTS = frozenset({"postgresql", "mysql", "sqlite"})


def _drop_repeated_tables(ctx: Context) -> None:
    """A table name defined again (by another ``MetaData`` of the source, typically a copy of
    a model in a second service) is read once: the first definition; each later one is a
    note at its line, not a replay error."""
    first: dict[tuple[str | None, str], TableSpec] = {}
    kept = []
    for table in ctx.tables:
        key = (table.schema, table.name)
        if key in first:
            seen = first[key]
            message = (
                f"table {table.name} is defined again (first at {seen.module.path}:"
                f"{seen.line}); the schema holds it once, as first defined"
            )
            ctx.note("sqlalchemy-duplicate", message, table.module, table.line)
            continue
        first[key] = table
        kept.append(table)
    ctx.tables = kept


def collect(ctx: Context) -> dict[int, TableSpec]:
    """Every table of the source, by the id of the node that defines it (for ``User.id``)."""
    classes = Classes(ctx)
    by_node: dict[int, TableSpec] = {}
    for module in ctx.index.modules:
        for stmt in module.tree.body:
            if isinstance(stmt, ast.ClassDef):
                info = classes.info(module, stmt)
                classes.note_unresolved(info)
                classes.build(info)
                if info.table is not None:
                    by_node[id(stmt)] = info.table
            elif _is_table_call(ctx, module, stmt):
                assert isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call)
                table = table_from_call(ctx, module, stmt.value)
                if table is not None:
                    ctx.tables.append(table)
                    by_node[id(stmt.value)] = table
    for module in ctx.index.modules:
        for stmt in module.tree.body:
            if isinstance(stmt, ast.Expr | ast.Assign) and isinstance(stmt.value, ast.Call):
                _module_index(ctx, module, stmt.value, by_node)
    return by_node


def _module_index(
    ctx: Context, module: Module, call: ast.Call, by_node: dict[int, TableSpec]
) -> None:
    """``Index("ix_name", User.email, unique=True)`` after the class: an index of the table
    its columns belong to (``Model.attr`` or ``table.c.name``)."""
    if call_name(ctx.index, module, call.func) != "Index" or len(call.args) < 2:
        return
    keys = call.args[1:]
    first = keys[0]
    if not isinstance(first, ast.Attribute):
        ctx.note("sqlalchemy-index", "an index whose table is not known", module, call)
        return
    base = first.value.value if isinstance(first.value, ast.Attribute) else first.value
    ref = ctx.index.resolve(module, base)
    table = by_node.get(id(ref.node)) if isinstance(ref, Local) else None
    names = []
    for key in keys:
        column = _column_of(table, key) if table is not None else None
        if column is None:
            ctx.note("sqlalchemy-index", "an index key that is not a column", module, key)
            return
        names.append(column)
    assert table is not None
    named = ast.copy_location(ast.Call(call.func, [call.args[0]], call.keywords), call)
    add_constraint(ctx, module, table, named)
    table.constraints[-1].columns = names
    table.constraints[-1].line = call.lineno


def _column_of(table: TableSpec, key: ast.AST) -> str | None:
    if not isinstance(key, ast.Attribute):
        return None
    column = next((c for c in table.columns if key.attr in (c.attr, c.name)), None)
    return column.name if column is not None else None


def _is_table_call(ctx: Context, module: Module, stmt: ast.stmt) -> bool:
    """``name = Table(...)`` at the top of a module."""
    if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call)):
        return False
    return call_name(ctx.index, module, stmt.value.func) == "Table"
