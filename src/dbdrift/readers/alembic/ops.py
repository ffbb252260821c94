"""``op.*`` calls spelled as the DDL Alembic's PostgreSQL implementation sends.

Each operation follows ``alembic/ddl/impl.py``, ``alembic/ddl/postgresql.py`` and
``alembic/operations/toimpl.py``: ``alter_column`` changes the type first (``ALTER COLUMN x
TYPE y``, ``USING`` only with ``postgresql_using``), then nullability, default and, last,
the name; ``add_column`` adds the column, then its non-primary constraints and its index;
``create_table`` creates its named enum types first (``checkfirst=False``, unless
``create_type=False``) — ``add_column`` does not.  Tables and columns are read by the
SQLAlchemy reader's own functions; constraint names given as ``None`` come from
``target_metadata``'s naming convention, else from PostgreSQL.  MySQL and SQLite sources
use the subclasses in dialects.py, which change the spelling where Alembic's impls do.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

from dbdrift.readers.alembic.batch import Batch
from dbdrift.readers.alembic.values import (
    Dynamic,
    Scope,
    flag,
    is_identifier,
    names,
    optional_text,
    text,
    value,
)
from dbdrift.readers.sql.generated import Generated
from dbdrift.readers.sqlalchemy.columns import COLUMN_CALLS, column_from_call
from dbdrift.readers.sqlalchemy.ddl import (
    autoincrement_column,
    column_sql,
    create_table,
    foreign_keys,
)
from dbdrift.readers.sqlalchemy.model import ColumnSpec, Context, TableSpec
from dbdrift.readers.sqlalchemy.modules import Local
from dbdrift.readers.sqlalchemy.naming import DEFAULT, convention_name
from dbdrift.readers.sqlalchemy.tables import table_from_call
from dbdrift.readers.sqlalchemy.values import Unresolved, quote, server_default_sql, type_of
from dbdrift.schema import Note, Origin
from dbdrift.types.postgres import quote_ident

# The positional parameters of each operation (alembic/operations/base.py), and of the same
# operation on a ``batch_op`` (no table: the batch's).
SIGNATURES: dict[str, list[str]] = {
    "drop_table": ["table_name"],
    "rename_table": ["old_table_name", "new_table_name"],
    "add_column": ["table_name", "column"],
    "drop_column": ["table_name", "column_name"],
    "alter_column": ["table_name", "column_name"],
    "create_index": ["index_name", "table_name", "columns"],
    "drop_index": ["index_name", "table_name"],
    "create_foreign_key": [
        "constraint_name",
        "source_table",
        "referent_table",
        "local_cols",
        "remote_cols",
    ],
    "create_unique_constraint": ["constraint_name", "table_name", "columns"],
    "create_check_constraint": ["constraint_name", "table_name", "condition"],
    "drop_constraint": ["constraint_name", "table_name", "type_"],
    "create_primary_key": ["constraint_name", "table_name", "columns"],
    "execute": ["sqltext"],
}
BATCH_SIGNATURES: dict[str, list[str]] = {
    "add_column": ["column"],
    "drop_column": ["column_name"],
    "alter_column": ["column_name"],
    "create_index": ["index_name", "columns"],
    "drop_index": ["index_name"],
    "create_foreign_key": ["constraint_name", "referent_table", "local_cols", "remote_cols"],
    "create_unique_constraint": ["constraint_name", "columns"],
    "create_check_constraint": ["constraint_name", "condition"],
    "drop_constraint": ["constraint_name", "type_"],
    "create_primary_key": ["constraint_name", "columns"],
    "execute": ["sqltext"],
}
# Operations that change nothing dbdrift models (comments, data), read without a note.
QUIET = frozenset({"create_table_comment", "drop_table_comment", "f", "get_bind", "get_context"})


def bind(call: ast.Call, params: list[str]) -> dict[str, ast.AST]:
    """The call's arguments by parameter name."""
    args: dict[str, ast.AST] = dict(zip(params, call.args, strict=False))
    for keyword in call.keywords:
        if keyword.arg is not None:
            args[keyword.arg] = keyword.value
    return args


@dataclass
class Emitter:
    """Collects the generated statements of every revision, in apply order."""

    ctx: Context
    convention: dict[str, str]
    out: list[Generated] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    enums: set[str] = field(default_factory=set)  # enum types created so far
    keep: list[ast.AST] = field(default_factory=list)  # see Scope.keep
    dialect = "postgresql"

    # -- spelling (the dialect subclasses quote their own way) ---------------------------

    def q(self, name: str) -> str:
        return quote_ident(name)

    def qual(self, schema: str | None, name: str) -> str:
        return f"{self.q(schema)}.{self.q(name)}" if schema else self.q(name)

    def con(self, name: str | None) -> str:
        return f"CONSTRAINT {self.q(name)} " if name else ""

    def cols(self, columns: list[str]) -> str:
        return ", ".join(self.q(c) for c in columns)

    def emit(self, scope: Scope, node: ast.AST | int, sql: str) -> None:
        line = node if isinstance(node, int) else getattr(node, "lineno", 1)
        self.out.append(Generated(sql, Origin(scope.module.path, line)))

    def note(self, scope: Scope, node: ast.AST, kind: str, message: str) -> None:
        line = getattr(node, "lineno", 1)
        self.notes.append(Note(kind, message, Origin(scope.module.path, line)))

    def name(
        self,
        kind: str,
        explicit: str | None,
        table: str,
        columns: list[str],
        schema: str | None = None,
        **ref: object,
    ) -> str | None:
        if ref.pop("final", False):
            return explicit  # op.f("name"): already converted, never named again
        return convention_name(
            self.convention,
            kind,
            explicit,
            table,
            columns,
            schema=schema,
            **ref,  # type: ignore[arg-type]
        )

    # -- dispatch -----------------------------------------------------------------------

    def op(self, scope: Scope, name: str, call: ast.Call, batch: tuple[str, str | None] | None):
        """One ``op.<name>(...)`` (or ``batch_op.<name>(...)`` on the batch's table)."""
        if name == "create_table" and batch is None:
            self._create_table(scope, call)
            return
        params = (BATCH_SIGNATURES if batch else SIGNATURES).get(name)
        handler = getattr(self, f"_{name}", None)
        if params is None or handler is None:
            if name not in QUIET:
                kind = "alembic-data" if name == "bulk_insert" else "alembic-op"
                self.note(scope, call, kind, f"op.{name} is not modelled; skipped")
            return
        args = bind(call, params)
        if batch is not None:
            table, schema = batch
            for key in ("table_name", "source_table"):
                args[key] = ast.Constant(table)
            if schema is not None:
                for key in ("schema", "source_schema"):
                    args.setdefault(key, ast.Constant(schema))
        try:
            handler(scope, call, args)
        except (Dynamic, Unresolved) as exc:
            self.note(scope, call, "alembic-dynamic", f"op.{name} not read statically: {exc}")

    def begin_batch(self, batch: Batch) -> None:
        """A ``batch_alter_table`` block starts (only SQLite's batch mode keeps its calls)."""

    def end_batch(self, scope: Scope, call: ast.AST, batch: Batch) -> None:
        """A ``batch_alter_table`` block ends: its operations were emitted one by one."""

    # -- tables -------------------------------------------------------------------------

    def _create_table(self, scope: Scope, call: ast.Call) -> None:
        call = scope.substitute(call)  # type: ignore[assignment]
        assert isinstance(call, ast.Call)
        try:
            name = text(scope, call.args[0] if call.args else _kw(call, "table_name"))
        except Dynamic as exc:
            self.note(scope, call, "alembic-dynamic", f"op.create_table: {exc}")
            return
        items = list(call.args[1:])
        # read as ``Table(name, *items)``: table_from_call never looks at the callee
        spec_call = ast.copy_location(
            ast.Call(call.func, [ast.Constant(name), *items], call.keywords), call
        )
        table = table_from_call(self.ctx, scope.module, spec_call)
        if table is None:
            return
        table.convention = dict(self.convention) if self.convention else dict(DEFAULT)
        made: set[str] = set()
        kept = _enums_not_created(scope, items)
        for col in table.columns if self.dialect == "postgresql" else ():
            if col.enum is None or col.type is None or col.raw_type:
                continue
            typ = col.type.element or col.type
            if typ.sql in made or typ.sql in kept:
                continue
            made.add(typ.sql)
            self._create_enum(scope, col.origin.line, typ.sql, col.enum.values)
        self.emit_table(scope, call, table)

    def emit_table(self, scope: Scope, call: ast.Call, table: TableSpec) -> None:
        """The CREATE TABLE (and its indexes) of an ``op.create_table``."""
        creates, indexes = create_table(table)
        for sql in creates + indexes:
            self.emit(scope, call, sql)
        for fk, sql in foreign_keys(table):
            self.emit(scope, fk.line, sql)

    def _create_enum(self, scope: Scope, line: int, name: str, values: tuple[str, ...]) -> None:
        self.enums.add(name)
        body = ", ".join(quote(v) for v in values)
        self.emit(scope, line, f"CREATE TYPE {name} AS ENUM ({body})")

    def _drop_table(self, scope: Scope, call: ast.Call, args: dict) -> None:
        self.emit(scope, call, f"DROP TABLE {self._table(scope, args)}")

    def _rename_table(self, scope: Scope, call: ast.Call, args: dict) -> None:
        old = text(scope, args.get("old_table_name"))
        new = text(scope, args.get("new_table_name"))
        schema = optional_text(scope, args.get("schema"))
        sql = f"ALTER TABLE {self.qual(schema, old)} RENAME TO {self.q(new)}"
        self.emit(scope, call, sql)

    def _table(self, scope: Scope, args: dict, key: str = "table_name") -> str:
        schema_key = "source_schema" if key == "source_table" else "schema"
        name = text(scope, args.get(key))
        return self.qual(optional_text(scope, args.get(schema_key)), name)

    # -- columns ------------------------------------------------------------------------

    def _add_column(self, scope: Scope, call: ast.Call, args: dict) -> None:
        node = scope.substitute(args["column"]) if "column" in args else None
        if not isinstance(node, ast.Call) or self._call_name(scope, node) not in COLUMN_CALLS:
            raise Dynamic("the column is not a Column(...) call")
        table_name = text(scope, args.get("table_name"))
        schema = optional_text(scope, args.get("schema"))
        col = column_from_call(self.ctx, scope.module, node, None, None)
        if col.name is None:
            raise Dynamic("a column without a literal name")
        spec = TableSpec(table_name, schema, scope.module, call.lineno, columns=[col])
        spec.convention = dict(self.convention) if self.convention else dict(DEFAULT)
        target = self.qual(schema, table_name)
        serial = autoincrement_column(spec) is col
        if_not_exists = "IF NOT EXISTS " if flag(scope, args.get("if_not_exists")) else ""
        spec_sql = self.column_sql(spec, col, serial)
        self.emit(scope, call, f"ALTER TABLE {target} ADD COLUMN {if_not_exists}{spec_sql}")
        column = self.q(col.name)
        if col.unique and not col.index:
            label = self.name("uq", None, table_name, [col.name], schema)
            self.emit(scope, call, f"ALTER TABLE {target} ADD {self.con(label)}UNIQUE ({column})")
        for check in col.type_checks:
            label = self.name("ck", check.name, table_name, [col.name], schema)
            body = f"CHECK ({column} IN ({check.values}))"
            self.emit(scope, call, f"ALTER TABLE {target} ADD {self.con(label)}{body}")
        for sql in self.foreign_key_sql(spec):
            self.emit(scope, call, sql)
        if col.index:
            unique = "UNIQUE " if col.unique else ""
            label = self.name("ix", None, table_name, [col.name], schema) or ""
            sql = f"CREATE {unique}INDEX {self.q(label)} ON {target} ({column})"
            self.emit(scope, call, sql)

    def column_sql(self, table: TableSpec, col: ColumnSpec, auto: bool) -> str:
        """The column as ``ADD COLUMN`` spells it."""
        return column_sql(col, auto)

    def foreign_key_sql(self, table: TableSpec) -> list[str]:
        """``ALTER TABLE ... ADD [CONSTRAINT n] FOREIGN KEY ...`` for the table's columns."""
        return [sql for _, sql in foreign_keys(table)]

    def _drop_column(self, scope: Scope, call: ast.Call, args: dict) -> None:
        column = self.q(text(scope, args.get("column_name")))
        self.emit(scope, call, f"ALTER TABLE {self._table(scope, args)} DROP COLUMN {column}")

    def _alter_column(self, scope: Scope, call: ast.Call, args: dict) -> None:
        target = self._table(scope, args)
        column = text(scope, args.get("column_name"))
        head = f"ALTER TABLE {target} ALTER COLUMN {self.q(column)}"
        if "type_" in args:
            node = scope.substitute(args["type_"])
            typ = type_of(scope.index, scope.module, node)
            using = optional_text(scope, args.get("postgresql_using"))
            self.emit(scope, call, f"{head} TYPE {typ.sql}" + (f" USING {using}" if using else ""))
        nullable = flag(scope, args.get("nullable"))
        if nullable is not None:
            self.emit(scope, call, f"{head} {'DROP' if nullable else 'SET'} NOT NULL")
        default = args.get("server_default")
        if default is not None and not (
            isinstance(default, ast.Constant) and default.value is False
        ):
            sql = server_default_sql(scope.index, scope.module, scope.substitute(default))
            self.emit(scope, call, f"{head} SET DEFAULT {sql}" if sql else f"{head} DROP DEFAULT")
        new_name = optional_text(scope, args.get("new_column_name"))
        if new_name is not None:
            sql = f"ALTER TABLE {target} RENAME {self.q(column)} TO {self.q(new_name)}"
            self.emit(scope, call, sql)

    # -- indexes and constraints --------------------------------------------------------

    def _create_index(self, scope: Scope, call: ast.Call, args: dict) -> None:
        table_name = text(scope, args.get("table_name"))
        schema = optional_text(scope, args.get("schema"))
        columns = args.get("columns")
        items = columns.elts if isinstance(columns, ast.List | ast.Tuple) else [columns]
        keys, plain = [], []
        for item in items:
            key = _index_key(scope, item, self.q)
            keys.append(key)
            plain.append(key.strip('"'))
        explicit = optional_text(scope, args.get("index_name"))
        final = _final(args.get("index_name"))
        label = self.name("ix", explicit, table_name, plain, schema, final=final)
        if label is None:
            raise Dynamic("an index without a name")
        unique = "UNIQUE " if flag(scope, args.get("unique")) else ""
        concurrently = "CONCURRENTLY " if flag(scope, args.get("postgresql_concurrently")) else ""
        exists = "IF NOT EXISTS " if flag(scope, args.get("if_not_exists")) else ""
        using = optional_text(scope, args.get("postgresql_using"))
        sql = f"CREATE {unique}INDEX {concurrently}{exists}{self.q(label)} "
        sql += f"ON {self.qual(schema, table_name)}"
        sql += f" USING {using}" if using else ""
        sql += f" ({', '.join(keys)})"
        include = args.get("postgresql_include")
        if include is not None:
            sql += f" INCLUDE ({', '.join(self.q(n) for n in names(scope, include))})"
        where = optional_text(scope, args.get("postgresql_where"))
        sql += f" WHERE {where}" if where else ""
        self.emit(scope, call, sql)

    def _drop_index(self, scope: Scope, call: ast.Call, args: dict) -> None:
        name = text(scope, args.get("index_name"))
        schema = optional_text(scope, args.get("schema"))
        exists = "IF EXISTS " if flag(scope, args.get("if_exists")) else ""
        self.emit(scope, call, f"DROP INDEX {exists}{self.qual(schema, name)}")

    def _create_foreign_key(self, scope: Scope, call: ast.Call, args: dict) -> None:
        source = text(scope, args.get("source_table"))
        schema = optional_text(scope, args.get("source_schema"))
        referent = text(scope, args.get("referent_table"))
        ref_schema = optional_text(scope, args.get("referent_schema"))
        local, remote = names(scope, args.get("local_cols")), names(scope, args.get("remote_cols"))
        explicit = optional_text(scope, args.get("constraint_name"))
        label = self.name(
            "fk",
            explicit,
            source,
            local,
            schema,
            referred=referent,
            referred_columns=remote,
            final=_final(args.get("constraint_name")),
        )
        referred = self.qual(ref_schema, referent)
        body = f"FOREIGN KEY({self.cols(local)}) REFERENCES {referred} ({self.cols(remote)})"
        for key, word in (("match", "MATCH"), ("ondelete", "ON DELETE"), ("onupdate", "ON UPDATE")):
            found = optional_text(scope, args.get(key))
            body += f" {word} {found}" if found else ""
        deferrable = flag(scope, args.get("deferrable"))
        if deferrable is not None:
            body += " DEFERRABLE" if deferrable else " NOT DEFERRABLE"
        initially = optional_text(scope, args.get("initially"))
        body += f" INITIALLY {initially}" if initially else ""
        sql = f"ALTER TABLE {self.qual(schema, source)} ADD {self.con(label)}{body}"
        self.emit(scope, call, sql)

    def _add_named(self, scope: Scope, args: dict, kind: str, columns: list[str]) -> str:
        """``ALTER TABLE t ADD [CONSTRAINT name] `` for a constraint named as Alembic names it:
        the explicit name, `op.f()` kept as is, or the naming convention."""
        table_name = text(scope, args.get("table_name"))
        schema = optional_text(scope, args.get("schema"))
        explicit = optional_text(scope, args.get("constraint_name"))
        final = _final(args.get("constraint_name"))
        label = self.name(kind, explicit, table_name, columns, schema, final=final)
        return f"ALTER TABLE {self.qual(schema, table_name)} ADD {self.con(label)}"

    def _create_unique_constraint(self, scope: Scope, call: ast.Call, args: dict) -> None:
        columns = names(scope, args.get("columns"))
        head = self._add_named(scope, args, "uq", columns)
        self.emit(scope, call, head + f"UNIQUE ({self.cols(columns)})")

    def _create_check_constraint(self, scope: Scope, call: ast.Call, args: dict) -> None:
        condition = text(scope, args.get("condition"))
        self.emit(scope, call, self._add_named(scope, args, "ck", []) + f"CHECK ({condition})")

    def _create_primary_key(self, scope: Scope, call: ast.Call, args: dict) -> None:
        columns = names(scope, args.get("columns"))
        head = self._add_named(scope, args, "pk", columns)
        self.emit(scope, call, head + f"PRIMARY KEY ({self.cols(columns)})")

    def _drop_constraint(self, scope: Scope, call: ast.Call, args: dict) -> None:
        name = text(scope, args.get("constraint_name"))
        kind = _KINDS.get(str(optional_text(scope, args.get("type_"))))
        template = self.convention.get(kind or "", "")
        if kind and "%(constraint_name)s" in template and not _final(args.get("constraint_name")):
            # the constraint Alembic builds to drop is named by the convention too
            table_name = text(scope, args.get("table_name"))
            name = self.name(kind, name, table_name, [], None) or name
        exists = "IF EXISTS " if flag(scope, args.get("if_exists")) else ""
        sql = f"ALTER TABLE {self._table(scope, args)} DROP CONSTRAINT {exists}{self.q(name)}"
        self.emit(scope, call, sql)

    def _execute(self, scope: Scope, call: ast.Call, args: dict) -> None:
        node = args.get("sqltext")
        if node is not None and not isinstance(value_or_none(scope, node), str):
            self.note(
                scope,
                call,
                "alembic-data",
                f"op.execute({ast.unparse(node)}) is not SQL text; skipped",
            )
            return
        sql = text(scope, node).strip().rstrip(";").strip()
        if sql:
            self.emit(scope, call, sql)

    # -- enum types ---------------------------------------------------------------------

    def enum_call(self, scope: Scope, call: ast.Call, method: str) -> bool:
        """``sa.Enum(...).create(bind, checkfirst=True)`` / ``mood.drop(bind)``: ``True``
        when `call` was one."""
        target = call.func.value if isinstance(call.func, ast.Attribute) else None
        if target is None:
            return False
        node = scope.substitute(target)
        if not isinstance(node, ast.Call) or scope.leaf(node.func) not in ("Enum", "ENUM"):
            ref = scope.index.resolve(scope.module, node)
            node = getattr(ref, "node", None)
            if not isinstance(node, ast.Call) or scope.leaf(node.func) not in ("Enum", "ENUM"):
                return False
        sink: list = []
        try:
            typ = type_of(scope.index, scope.module, node, sink=sink)
        except Unresolved as exc:
            self.note(scope, call, "alembic-dynamic", f"enum type not read statically: {exc}")
            return True
        if self.dialect != "postgresql":
            return True  # an inline ENUM (MySQL) or a VARCHAR (SQLite): no type to create
        specs = [s for s in sink if isinstance(s, tuple)]
        checkfirst = bool(value_or_none(scope, _kw(call, "checkfirst")) or False)
        if method == "create":
            if not specs or (checkfirst and typ.sql in self.enums):
                return True
            self._create_enum(scope, call.lineno, typ.sql, specs[0][0].values)
        else:
            if checkfirst and typ.sql not in self.enums:
                return True
            self.enums.discard(typ.sql)
            self.emit(scope, call, f"DROP TYPE {typ.sql}")
        return True

    def _call_name(self, scope: Scope, node: ast.Call) -> str | None:
        return scope.leaf(node.func)


_KINDS = {"check": "ck", "unique": "uq", "foreignkey": "fk", "primary": "pk"}


def _final(node: ast.AST | None) -> bool:
    """``op.f("name")`` / ``batch_op.f(...)`` / ``conv(...)``: a name taken as it is."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    leaf = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return leaf in ("f", "conv")


def value_or_none(scope: Scope, node: ast.AST | None) -> object:
    if node is None:
        return None
    try:
        return value(scope, node)
    except Dynamic:
        return None


def _kw(call: ast.Call, name: str) -> ast.AST | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _index_key(scope: Scope, node: ast.AST | None, q: Callable[[str], str]) -> str:
    """A column name, or an expression (``sa.text("lower(email)")``, or a string Alembic
    does not take for a plain name) in parentheses, as SQLAlchemy groups it."""
    if node is None:
        raise Dynamic("an index without columns")
    is_text = isinstance(node, ast.Call) and scope.leaf(node.func) in ("text", "literal_column")
    key = text(scope, node)
    if not is_text and is_identifier(key):
        return q(key)
    return f"({key})"


def _enums_not_created(scope: Scope, items: list[ast.AST]) -> set[str]:
    """The names of ``postgresql.ENUM(..., create_type=False)`` types among the columns."""
    kept: set[str] = set()
    found: list[ast.AST] = []
    for item in items:
        for node in ast.walk(item):
            found.append(node)
            ref = scope.index.resolve(scope.module, node) if isinstance(node, ast.Name) else None
            if isinstance(ref, Local) and ref.node is not None:
                found.extend(ast.walk(ref.node))
    for node in found:
        if not isinstance(node, ast.Call) or scope.leaf(node.func) not in ("Enum", "ENUM"):
            continue
        create = value_or_none(scope, _kw(node, "create_type"))
        name = value_or_none(scope, _kw(node, "name"))
        schema = value_or_none(scope, _kw(node, "schema"))
        if create is False and isinstance(name, str):
            kept.add(f"{schema}.{name}" if isinstance(schema, str) else name)
    return kept
