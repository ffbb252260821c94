"""``op.*`` calls spelled as Alembic's MySQL / MariaDB and SQLite implementations send them.

MySQL (``alembic/ddl/mysql.py``): ``alter_column`` is one statement — ``CHANGE old new
<spec>`` when the column is renamed (or its type is a datetime), ``MODIFY col <spec>`` when
the type, nullability or autoincrement change, else ``ALTER COLUMN col SET/DROP DEFAULT`` —
and the spec is rebuilt from the ``existing_*`` arguments, so a missing ``existing_nullable``
makes the column NULL and a missing ``existing_server_default`` drops its default; enums are
inline ``ENUM(...)``; constraints are dropped by kind (``DROP FOREIGN KEY``, ``DROP INDEX``).

SQLite (``alembic/ddl/sqlite.py``, ``operations/batch.py``): plain ALTERs exist only for
adding, dropping and renaming columns and renaming tables; a ``batch_alter_table`` block
with anything but ``add_column`` / index operations is "move and copy": the table as the
database holds it at that point (reflected), changed by the block, created as
``_alembic_tmp_<table>``, the old table dropped, the new one renamed, its indexes created.

Types and column specs are the SQLAlchemy reader's for the dialect (readers/sqlalchemy).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from dbdrift.readers.alembic.batch import Batch
from dbdrift.readers.alembic.ops import BATCH_SIGNATURES, Emitter, bind
from dbdrift.readers.alembic.values import Dynamic, Scope, flag, names, optional_text, text
from dbdrift.readers.sql.catalog import Catalog
from dbdrift.readers.sql.generated import SYNTHETIC, text_of
from dbdrift.readers.sqlalchemy.columns import COLUMN_CALLS, column_from_call
from dbdrift.readers.sqlalchemy.dialects import writer
from dbdrift.readers.sqlalchemy.model import ColumnSpec, TableSpec
from dbdrift.readers.sqlalchemy.values import (
    Unresolved,
    is_function,
    quote,
    server_default_sql,
    type_of,
)
from dbdrift.schema import Origin, SourceRef, Table
from dbdrift.types.sqlalchemy import Unknown


class _Spelled(Emitter):
    """What MySQL and SQLite share: SQLAlchemy's per-dialect CREATE TABLE and column specs."""

    def emit_table(self, scope: Scope, call: ast.Call, table: TableSpec) -> None:
        create, indexes, later = writer(self.ctx, self.dialect).create_table(table, set())
        for sql in [create, *indexes]:
            self.emit(scope, call, sql)
        for fk, sql in later:
            self.emit(
                scope, fk.line, f"ALTER TABLE {self.qual(table.schema, table.name)} ADD {sql}"
            )

    def column_sql(self, table: TableSpec, col: ColumnSpec, auto: bool) -> str:
        return writer(self.ctx, self.dialect).column(table, col, auto)

    def foreign_key_sql(self, table: TableSpec) -> list[str]:
        spell = writer(self.ctx, self.dialect)
        target = self.qual(table.schema, table.name)
        out = []
        for fk, columns in spell.foreign_keys(table):
            sql = spell.foreign_key(table, fk, columns)
            if sql is not None:
                out.append(f"ALTER TABLE {target} ADD {sql}")
        return out

    def _type(self, scope: Scope, node: ast.AST | None) -> str | None:
        if node is None:
            return None
        try:
            return type_of(scope.index, scope.module, scope.substitute(node)).sql
        except Unknown as exc:
            raise Dynamic(str(exc)) from exc

    def _default(self, scope: Scope, node: ast.AST | None) -> str | None:
        """What follows ``DEFAULT`` for a ``server_default`` argument (``None``: none)."""
        if node is None or (isinstance(node, ast.Constant) and node.value in (None, False)):
            return None
        node = scope.substitute(node)
        sql = server_default_sql(scope.index, scope.module, node)
        if sql is None:
            return None
        col = ColumnSpec(None, None, None, Origin(scope.module.path, 1), server_default=sql)
        col.default_function = is_function(scope.index, scope.module, node)
        return writer(self.ctx, self.dialect).default(col)


class MySQLEmitter(_Spelled):
    """Alembic's ``MySQLImpl`` (and ``MariaDBImpl``, which is the same)."""

    dialect = "mysql"

    def q(self, name: str) -> str:
        return "`" + name.replace("`", "``") + "`"

    def _alter_column(self, scope: Scope, call: ast.Call, args: dict) -> None:
        target = self._table(scope, args)
        column = text(scope, args.get("column_name"))
        new_name = optional_text(scope, args.get("new_column_name"))
        type_node = args.get("type_") or args.get("existing_type")
        typ = self._type(scope, type_node)
        nullable = flag(scope, args.get("nullable"))
        autoincrement = flag(scope, args.get("autoincrement"))
        default_node = args.get("server_default")
        given = default_node is not None and not (
            isinstance(default_node, ast.Constant) and default_node.value is False
        )
        # a datetime type with any server_default but an explicit None takes CHANGE
        datetime = typ is not None and typ.startswith(("DATETIME", "TIMESTAMP"))
        cleared = isinstance(default_node, ast.Constant) and default_node.value is None
        if new_name is not None or (datetime and not cleared):
            word = f"CHANGE {self.q(column)} {self.q(new_name or column)}"
        elif (
            nullable is not None
            or "type_" in args
            or autoincrement is not None
            or "comment" in args
        ):
            word = f"MODIFY {self.q(column)}"
        elif given:
            default = self._default(scope, default_node)
            change = f"SET DEFAULT {default}" if default is not None else "DROP DEFAULT"
            self.emit(scope, call, f"ALTER TABLE {target} ALTER COLUMN {self.q(column)} {change}")
            return
        else:
            return
        if typ is None:
            raise Dynamic("MySQL's CHANGE/MODIFY COLUMN needs the type (type_ or existing_type)")
        if nullable is None:
            nullable = flag(scope, args.get("existing_nullable"), True)
        if autoincrement is None:
            autoincrement = flag(scope, args.get("existing_autoincrement"))
        default = self._default(
            scope, default_node if given else args.get("existing_server_default")
        )
        spec = f"{typ} {'NULL' if nullable else 'NOT NULL'}"
        spec += " AUTO_INCREMENT" if autoincrement else ""
        spec += f" DEFAULT {default}" if default is not None else ""
        comment = optional_text(scope, args.get("comment", args.get("existing_comment")))
        spec += f" COMMENT {quote(comment)}" if comment is not None else ""
        self.emit(scope, call, f"ALTER TABLE {target} {word} {spec}")

    def _drop_index(self, scope: Scope, call: ast.Call, args: dict) -> None:
        name = text(scope, args.get("index_name"))
        self.emit(scope, call, f"DROP INDEX {self.q(name)} ON {self._table(scope, args)}")

    def _drop_constraint(self, scope: Scope, call: ast.Call, args: dict) -> None:
        name = text(scope, args.get("constraint_name"))
        kind = optional_text(scope, args.get("type_"))
        target = self._table(scope, args)
        words = {
            "foreignkey": f"DROP FOREIGN KEY {self.q(name)}",
            "unique": f"DROP INDEX {self.q(name)}",
            "primary": "DROP PRIMARY KEY",
            "check": f"DROP CONSTRAINT {self.q(name)}",  # MariaDB's spelling
        }
        if kind not in words:
            raise Dynamic("MySQL has no generic DROP CONSTRAINT; Alembic needs type_")
        self.emit(scope, call, f"ALTER TABLE {target} {words[kind]}")


# -- SQLite -------------------------------------------------------------------------------

_PLAIN_IN_BATCH = frozenset({"add_column", "create_index", "drop_index"})


@dataclass
class _Pending:
    """One batch block's operations, kept until the block ends."""

    batch: Batch
    calls: list[tuple[Scope, str, ast.Call]] = field(default_factory=list)


@dataclass
class _Copy:
    """The table being rebuilt by a "move and copy" batch."""

    columns: list[list] = field(default_factory=list)  # [name, type, nullable, default, pk]
    pk: list[str] = field(default_factory=list)
    constraints: list[str] = field(default_factory=list)  # clauses without a name
    named: dict[str, str] = field(default_factory=dict)  # name -> clause
    indexes: dict[str, str] = field(default_factory=dict)  # name -> CREATE INDEX (a {t})
    renamed: set[str] = field(default_factory=set)  # new names of columns renamed here


class SQLiteEmitter(_Spelled):
    """Alembic's ``SQLiteImpl`` and batch mode's "move and copy"."""

    dialect = "sqlite"
    pending: list[_Pending] | None = None
    _replay: Any = None  # the SQLite replay of what was emitted so far (see _current)
    _fed = 0

    def q(self, name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def op(self, scope: Scope, name: str, call: ast.Call, batch: tuple[str, str | None] | None):
        if batch is not None and self.pending:
            self.pending[-1].calls.append((scope, name, call))
            return
        super().op(scope, name, call, batch)

    def begin_batch(self, batch: Batch) -> None:
        self.pending = [*(self.pending or []), _Pending(batch)]

    def end_batch(self, scope: Scope, call: ast.AST, batch: Batch) -> None:
        if not self.pending:
            return
        block = self.pending.pop()
        if not self._recreate(scope, block):
            for inner, name, op_call in block.calls:
                super().op(inner, name, op_call, (batch.table, batch.schema))
            return
        self._move_and_copy(scope, call, block)

    def _recreate(self, scope: Scope, block: _Pending) -> bool:
        """``SQLiteImpl.requires_recreate_in_batch`` (or ``recreate="always"/"never"``)."""
        if block.batch.recreate != "auto":
            return block.batch.recreate == "always"
        for inner, name, call in block.calls:
            if name not in _PLAIN_IN_BATCH:
                return True
            if name == "add_column":
                node = bind(call, BATCH_SIGNATURES["add_column"]).get("column")
                if isinstance(node, ast.Call) and _expression_default(inner, node):
                    return True
        return False

    # Plain operations SQLite cannot do: Alembic's SQLite impl refuses them.

    def _refused(self, call: ast.Call, scope: Scope, what: str) -> None:
        message = f"{what} outside batch mode: Alembic's SQLite implementation refuses it"
        self.note(scope, call, "alembic-op", message)

    def _create_foreign_key(self, scope: Scope, call: ast.Call, args: dict) -> None:
        self._refused(call, scope, "create_foreign_key")

    def _create_unique_constraint(self, scope: Scope, call: ast.Call, args: dict) -> None:
        self._refused(call, scope, "create_unique_constraint")

    def _create_check_constraint(self, scope: Scope, call: ast.Call, args: dict) -> None:
        self._refused(call, scope, "create_check_constraint")

    def _create_primary_key(self, scope: Scope, call: ast.Call, args: dict) -> None:
        self._refused(call, scope, "create_primary_key")

    def _drop_constraint(self, scope: Scope, call: ast.Call, args: dict) -> None:
        self._refused(call, scope, "drop_constraint")

    def _alter_column(self, scope: Scope, call: ast.Call, args: dict) -> None:
        if any(k in args for k in ("type_", "nullable")) or args.get("server_default"):
            self._refused(call, scope, "alter_column (type, nullable or default)")
            return
        new_name = optional_text(scope, args.get("new_column_name"))
        if new_name is not None:
            column = self.q(text(scope, args.get("column_name")))
            target = self._table(scope, args)
            sql = f"ALTER TABLE {target} RENAME COLUMN {column} TO {self.q(new_name)}"
            self.emit(scope, call, sql)

    # "Move and copy" ----------------------------------------------------------------------

    def _current(self, name: str) -> Table | None:
        """The table as the database holds it now (what Alembic reflects): the statements
        emitted since the last look are fed to a replay kept for the whole read."""
        if self._replay is None:
            from dbdrift.readers.sql.sqlite.replay import Replay

            self._replay = Replay(Catalog(SourceRef("alembic-batch", "alembic", "sqlite")))
        sql, _ = text_of(self.out[self._fed :])
        self._fed = len(self.out)
        self._replay.file(SYNTHETIC, sql)
        table = self._replay.catalog.table(None, name)
        return table.freeze() if table is not None else None

    def _move_and_copy(self, scope: Scope, call: ast.AST, block: _Pending) -> None:
        name = block.batch.table
        table = self._current(name)
        if table is None:
            self.note(scope, call, "alembic-op", f"batch_alter_table: no table {name} here")
            return
        copy = _Copy()
        for col in table.columns:
            default = writer(self.ctx, "sqlite").default(_raw_default(col.default))
            pk = bool(table.primary_key and col.name in table.primary_key.columns)
            copy.columns.append([col.name, col.type.sql, col.nullable, default, pk])
        copy.pk = list(table.primary_key.columns) if table.primary_key else []
        for unique in table.uniques:
            copy.constraints.append(f"UNIQUE ({self.cols(list(unique.columns))})")
        for check in table.checks:
            if check.name:  # an unnamed reflected CHECK is left out of the copy
                copy.named[check.name] = f"CHECK ({check.expression})"
        for fk in table.foreign_keys:
            copy.constraints.append(self._fk_clause(fk))
        for index in table.indexes:
            copy.indexes[index.name or ""] = self._index_sql(
                index.name or "", list(index.columns), index.unique, index.where
            )
        for inner, op_name, op_call in block.calls:
            try:
                self._apply(inner, op_name, op_call, copy, name)
            except (Dynamic, Unresolved, Unknown) as exc:
                message = f"batch_op.{op_name} not read statically: {exc}"
                self.note(inner, op_call, "alembic-dynamic", message)
        temp = f"_alembic_tmp_{name}"[:50]
        items = []
        for col_name, typ, nullable, default, _ in copy.columns:
            spec = f"{self.q(col_name)} {typ}"
            spec += f" DEFAULT {default}" if default is not None else ""
            spec += "" if nullable else " NOT NULL"
            items.append(spec)
        if copy.pk:
            items.append(f"PRIMARY KEY ({self.cols(copy.pk)})")
        items += [f"CONSTRAINT {self.q(n)} {body}" for n, body in copy.named.items()]
        items += copy.constraints
        line = getattr(call, "lineno", 1)
        self.emit(scope, line, f"CREATE TABLE {self.q(temp)} (\n  " + ",\n  ".join(items) + "\n)")
        self.emit(scope, line, f"DROP TABLE {self.q(name)}")
        self.emit(scope, line, f"ALTER TABLE {self.q(temp)} RENAME TO {self.q(name)}")
        for sql in copy.indexes.values():
            self.emit(scope, line, sql.replace("{t}", self.q(name)))

    def _fk_clause(self, fk) -> str:
        body = (
            f"FOREIGN KEY({self.cols(list(fk.columns))}) REFERENCES "
            f"{self.q(fk.ref_table)} ({self.cols(list(fk.ref_columns))})"
        )
        if fk.on_delete and fk.on_delete != "NO ACTION":
            body += f" ON DELETE {fk.on_delete}"
        if fk.on_update and fk.on_update != "NO ACTION":
            body += f" ON UPDATE {fk.on_update}"
        return body

    def _index_sql(self, name: str, columns: list[str], unique: bool, where: str | None) -> str:
        head = f"CREATE {'UNIQUE ' if unique else ''}INDEX {self.q(name)} ON {{t}}"
        return head + f" ({self.cols(columns)})" + (f" WHERE {where}" if where else "")

    def _apply(self, scope: Scope, op_name: str, call: ast.Call, copy: _Copy, table: str) -> None:
        """One ``batch_op`` call on the table being rebuilt (``ApplyBatchImpl``)."""
        args = bind(call, BATCH_SIGNATURES.get(op_name, []))
        by_name = {c[0]: c for c in copy.columns}
        if op_name == "add_column":
            node = scope.substitute(args["column"]) if "column" in args else None
            if not isinstance(node, ast.Call) or scope.leaf(node.func) not in COLUMN_CALLS:
                raise Dynamic("the column is not a Column(...) call")
            col = column_from_call(self.ctx, scope.module, node, None, None)
            if col.name is None or col.type is None:
                raise Dynamic("a column without a literal name or type")
            spec = TableSpec(table, None, scope.module, call.lineno, columns=[col])
            default = writer(self.ctx, "sqlite").default(col)
            copy.columns.append([col.name, col.type.sql, bool(col.nullable), default, False])
            if col.unique and not col.index:
                copy.constraints.append(f"UNIQUE ({self.q(col.name)})")
            spell = writer(self.ctx, "sqlite")
            for fk, columns in spell.foreign_keys(spec):
                sql = spell.foreign_key(spec, fk, columns)
                if sql is not None:
                    copy.constraints.append(sql)
            if col.index:
                label = self.name("ix", None, table, [col.name]) or ""
                copy.indexes[label] = self._index_sql(label, [col.name], col.unique, None)
        elif op_name == "drop_column":
            column = text(scope, args.get("column_name"))
            copy.columns = [c for c in copy.columns if c[0] != column]
            copy.pk = [c for c in copy.pk if c != column]
        elif op_name == "alter_column":
            column = by_name.get(text(scope, args.get("column_name")))
            if column is None:
                raise Dynamic("no such column in the batch's table")
            if "type_" in args:
                column[1] = self._type(scope, args["type_"])
            nullable = flag(scope, args.get("nullable"))
            if nullable is not None:
                column[2] = bool(nullable)
            node = args.get("server_default")
            if node is not None and not (isinstance(node, ast.Constant) and node.value is False):
                column[3] = self._default(scope, node)
            new_name = optional_text(scope, args.get("new_column_name"))
            if new_name is not None:
                copy.pk = [new_name if c == column[0] else c for c in copy.pk]
                copy.renamed.add(new_name)
                column[0] = new_name
        elif op_name in ("create_index", "drop_index"):
            label = text(scope, args.get("index_name"))
            if op_name == "drop_index":
                copy.indexes.pop(label, None)
                return
            unique = bool(flag(scope, args.get("unique")))
            columns = names(scope, args.get("columns"))
            copy.indexes[label] = self._index_sql(label, columns, unique, None)
        elif op_name == "create_unique_constraint":
            columns = names(scope, args.get("columns"))
            if self._left_out(scope, call, copy, columns):
                return
            label = self._label(scope, args, "uq", table, columns)
            copy.named[label] = f"UNIQUE ({self.cols(columns)})"
        elif op_name == "create_check_constraint":
            label = self._label(scope, args, "ck", table, [])
            copy.named[label] = f"CHECK ({text(scope, args.get('condition'))})"
        elif op_name == "create_foreign_key":
            local = names(scope, args.get("local_cols"))
            remote = names(scope, args.get("remote_cols"))
            if self._left_out(scope, call, copy, local):
                return
            referent = text(scope, args.get("referent_table"))
            label = self._label(
                scope, args, "fk", table, local, referred=referent, referred_columns=remote
            )
            body = f"FOREIGN KEY({self.cols(local)}) REFERENCES {self.q(referent)} "
            body += f"({self.cols(remote)})"
            for key, word in (("ondelete", "ON DELETE"), ("onupdate", "ON UPDATE")):
                found = optional_text(scope, args.get(key))
                body += f" {word} {found}" if found else ""
            copy.named[label] = body
        elif op_name == "drop_constraint":
            label = text(scope, args.get("constraint_name"))
            if copy.named.pop(label, None) is None:
                raise Dynamic(f"constraint {label} is not known by name here")
        else:
            raise Dynamic(f"op.{op_name} is not modelled in a SQLite batch")

    def _left_out(self, scope: Scope, call: ast.Call, copy: _Copy, columns: list[str]) -> bool:
        """Alembic keeps a batch's columns under their old keys: a constraint naming a column
        by the name it is given in the same batch is silently left out of the copy."""
        if not copy.renamed.intersection(columns):
            return False
        message = "the batch renames this constraint's column: Alembic leaves it out of the copy"
        self.note(scope, call, "alembic-batch", message)
        return True

    def _label(self, scope: Scope, args: dict, kind: str, table: str, columns: list[str], **ref):
        explicit = optional_text(scope, args.get("constraint_name"))
        found = self.name(kind, explicit, table, columns, None, **ref)
        if found is None:
            raise Dynamic("batch mode needs a name for the constraint")
        return found


def _raw_default(stored: str | None) -> ColumnSpec:
    """A reflected default: SQLAlchemy writes the text back, parenthesised when needed."""
    return ColumnSpec(None, None, None, Origin("", 1), server_default=stored)


def _expression_default(scope: Scope, column: ast.Call) -> bool:
    """``server_default=sa.text(...)`` / ``func.x()``: SQLite cannot ADD such a column."""
    node = next((k.value for k in column.keywords if k.arg == "server_default"), None)
    return isinstance(node, ast.Call)


def emitter_for(dialect: str) -> type[Emitter]:
    return {"mysql": MySQLEmitter, "sqlite": SQLiteEmitter}.get(dialect, Emitter)
