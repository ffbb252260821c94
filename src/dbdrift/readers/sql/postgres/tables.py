"""CREATE TABLE: columns first, then constraints in the order PostgreSQL adds them."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from dbdrift.readers.sql.catalog import MutTable
from dbdrift.readers.sql.postgres import names as pg_names
from dbdrift.readers.sql.postgres.alter import AlterTable
from dbdrift.readers.sql.postgres.columns import build_column
from dbdrift.readers.sql.postgres.common import (
    LIKE_CONSTRAINTS,
    LIKE_DEFAULTS,
    LIKE_GENERATED,
    LIKE_IDENTITY,
    LIKE_INDEXES,
    Node,
    ReplayError,
)
from dbdrift.readers.sql.postgres.statements import (
    Statement,
)
from dbdrift.schema import Check, Column, Origin

if TYPE_CHECKING:
    from dbdrift.readers.sql.postgres.replay import Replay


class TableBuilder:
    """Builds one CREATE TABLE: columns first, then constraints in PostgreSQL's order."""

    def __init__(self, replay: Replay, table: MutTable, st: Statement) -> None:
        self.replay = replay
        self.table = table
        self.st = st
        self.pending: list[Node] = []
        self.serials: list[str] = []
        self.identities: list[str] = []
        self.inherited_checks: list[Check] = []
        self.inherited: set[str] = set()
        self.cloned: list[tuple[str, Any]] = []

    @property
    def schema(self) -> str:
        return self.table.schema or "public"

    def origin_at(self, location: int | None) -> Origin:
        if location is None or location < 0:
            return self.table.origin
        return Origin(self.replay.path, self.replay.lines.line_of_byte(self.st.base + location))

    def column(self, body: Node) -> None:
        name = pg_names.truncate_identifier(body["colname"])
        if name in self.table.columns and name not in self.inherited:
            raise ReplayError(f'column "{name}" specified more than once', body.get("location"))
        column = build_column(
            self.replay, self.table, body, self.st, self.origin_at(body.get("location"))
        )
        if name in self.inherited:
            column.column = self._merge_inherited(self.table.columns[name], column.column)
            self.inherited.discard(name)
        self.table.columns[name] = column.column
        if column.serial:
            self.serials.append(name)
        if column.column.identity:
            self.identities.append(name)
        for constraint in column.constraints:
            self.pending.append({**constraint, "_column": name})

    def _merge_inherited(self, parent: Column, child: Column) -> Column:
        """A column declared again under INHERITS merges with the parent's (NOTICE: merging)."""
        if parent.type.sql != child.type.sql:
            raise ReplayError(
                f'column "{child.name}" has a type conflict: '
                f"{parent.type.sql} versus {child.type.sql}"
            )
        return replace(
            child,
            nullable=parent.nullable and child.nullable,
            default=child.default if child.default is not None else parent.default,
        )

    def inherit(self, node: Node) -> None:
        """Columns (and what comes with them) from INHERITS parents or a PARTITION OF parent."""
        for rv in node.get("inhRelations", []):
            parent = self.replay._find_table(rv["RangeVar"])
            assert parent is not None
            for name, column in parent.columns.items():
                self.table.columns[name] = replace(
                    column, identity=None if not node.get("partbound") else column.identity
                )
                self.inherited.add(name)
            self.inherited_checks.extend(parent.checks)
            if node.get("partbound"):
                self.cloned.append(("partition", parent))
                self.replay.state.partitions.setdefault(parent.key, []).append(self.table.key)

    def like(self, body: Node) -> None:
        parent = self.replay._find_table(body["relation"])
        assert parent is not None
        options = body.get("options", 0)
        for name, column in parent.columns.items():
            if name in self.table.columns:
                raise ReplayError(f'column "{name}" specified more than once')
            self.table.columns[name] = replace(
                column,
                default=column.default if options & LIKE_DEFAULTS else None,
                identity=column.identity if options & LIKE_IDENTITY else None,
                generated=column.generated if options & LIKE_GENERATED else None,
                nullable=column.nullable,
                origin=self.table.origin,
            )
            if column.identity and options & LIKE_IDENTITY:
                self.identities.append(name)
        if options & LIKE_CONSTRAINTS:
            self.inherited_checks.extend(parent.checks)
        if options & LIKE_INDEXES:
            self.cloned.append(("like", parent))

    def finish_columns(self) -> None:
        """Serial columns need their sequence names before the table exists."""
        for name in self.serials:
            default = self.replay.own_sequence(self.table, name)
            self.table.columns[name] = replace(self.table.columns[name], default=default)

    def create_sequences(self) -> None:
        """Identity columns get theirs once the table is there (names may then differ)."""
        for name in self.identities:
            self.replay.own_sequence(self.table, name)

    def apply_pending(self) -> None:
        """Checks are named while the table is created, then PK/unique indexes, then FKs."""
        self.table.checks.extend(self.inherited_checks)
        alter = AlterTable(self.replay, self.table, self.st, self.table.origin)
        by_kind: dict[str, list[Node]] = {}
        for constraint in self.pending:
            by_kind.setdefault(constraint["contype"], []).append(constraint)
        for constraint in by_kind.get("CONSTR_CHECK", []):
            alter.add_constraint(constraint)
        for constraint in by_kind.get("CONSTR_PRIMARY", []):
            alter.add_constraint(constraint)
        for kind, parent in self.cloned:
            alter.clone_indexes(parent, partition=kind == "partition")
        for constraint in by_kind.get("CONSTR_UNIQUE", []):
            alter.add_constraint(constraint)
        for constraint in by_kind.get("CONSTR_EXCLUSION", []):
            alter.add_constraint(constraint)
        for constraint in by_kind.get("CONSTR_FOREIGN", []):
            alter.add_constraint(constraint)
