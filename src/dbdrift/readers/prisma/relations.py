"""Relations: the foreign keys and implicit many-to-many tables Prisma Migrate creates.

A relation is two relation fields that point at each other (same relation name, each on the
other's model).  The side with ``@relation(fields: [...], references: [...])`` holds the
foreign key (sql_schema_calculator.rs ``push_inline_relations``); two list fields without
``fields`` make an implicit many-to-many relation, stored in a join table ``_<A>To<B>`` (the
two model names in byte order) or ``_<relation name>``, with columns ``A`` and ``B`` typed
like the two models' ids (``push_relation_tables``).

Default referential actions (https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/referential-actions#referential-action-defaults):
``onDelete`` is ``Restrict`` when any of the referencing fields is required and ``SetNull``
otherwise; ``onUpdate`` is ``Cascade``.  Join tables cascade both ways.  With
``relationMode = "prisma"`` no foreign key is created at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from dbdrift.readers.prisma import names
from dbdrift.readers.prisma.ast import Attribute, Block, Field
from dbdrift.readers.prisma.common import (
    ACTIONS,
    Context,
    Draft,
    FieldRef,
    attribute_origin,
    field_refs,
    ident_arg,
    origin_of,
    string_arg,
)
from dbdrift.schema import Column, ForeignKey, Index, PrimaryKey, Unique


@dataclass
class RelationField:
    """A field whose type is another model: not a column, one side of a relation."""

    block: Block
    field: Field
    target: str
    name: str | None  # the relation's name (@relation("x") or name: "x")
    attr: Attribute | None
    fields: list[FieldRef] | None
    references: list[FieldRef] | None

    @property
    def is_list(self) -> bool:
        return self.field.type.list


def relation_field(ctx: Context, block: Block, fld: Field) -> RelationField:
    """Read a relation field's ``@relation`` attribute."""
    attr = fld.attribute("relation")
    relation_name = string_arg(attr, "name", 0)
    fields = field_refs(attr.arg("fields")) if attr else None
    references = field_refs(attr.arg("references")) if attr else None
    if attr is not None and (attr.arg("fields") is None) != (attr.arg("references") is None):
        ctx.error(
            "The relation field needs both `fields` and `references`, or neither.",
            block.path,
            attribute_origin(block, fld, attr).line,
        )
    return RelationField(block, fld, fld.type.name, relation_name, attr, fields, references)


def derive_relations(ctx: Context, relation_fields: list[RelationField]) -> list[Draft]:
    """Add each relation's foreign key to its table; return the join tables, in Prisma's order
    (relations in the order their first field appears)."""
    # (model, target, relation name) -> the indexes of the fields with that signature
    by_signature: dict[tuple[str, str, str | None], list[int]] = {}
    for index, rf in enumerate(relation_fields):
        by_signature.setdefault((rf.block.name, rf.target, rf.name), []).append(index)
    paired: set[int] = set()
    join_tables: list[Draft] = []
    for index, rf in enumerate(relation_fields):
        if index in paired:
            continue
        paired.add(index)
        candidates = by_signature.get((rf.target, rf.block.name, rf.name), [])
        other_index = next((j for j in candidates if j not in paired), None)
        other = relation_fields[other_index] if other_index is not None else None
        if other_index is not None:
            paired.add(other_index)
        forward = rf if rf.fields else (other if other is not None and other.fields else None)
        if forward is not None:
            _inline(ctx, forward, rf if forward is other else other)
            continue
        if other is not None and rf.is_list and other.is_list:
            join = _join_table(ctx, rf, other)
            if join is not None:
                join_tables.append(join)
            continue
        _incomplete(ctx, rf, other)
    return join_tables


def _incomplete(ctx: Context, rf: RelationField, other: RelationField | None) -> None:
    line = attribute_origin(rf.block, rf.field, rf.attr).line
    if other is None:
        ctx.error(
            f"The relation field `{rf.field.name}` on model `{rf.block.name}` is missing an "
            f"opposite relation field on the model `{rf.target}`.",
            rf.block.path,
            line,
        )
    else:
        ctx.error(
            f"The relation between `{rf.block.name}.{rf.field.name}` and "
            f"`{other.block.name}.{other.field.name}` needs `fields` and `references` on one side.",
            rf.block.path,
            line,
        )


# One-to-one and one-to-many: a foreign key on the side with `fields` ---------------------


def _inline(ctx: Context, rf: RelationField, back: RelationField | None) -> None:
    if back is None:
        _incomplete(ctx, rf, None)
    if not ctx.foreign_keys or rf.target not in ctx.drafts or rf.block.name not in ctx.drafts:
        return
    draft, target = ctx.drafts[rf.block.name], ctx.drafts[rf.target]
    origin = attribute_origin(rf.block, rf.field, rf.attr)
    columns = _columns(ctx, rf, draft, rf.fields or [], "fields")
    ref_columns = _columns(ctx, rf, target, rf.references or [], "references")
    if columns is None or ref_columns is None:
        return
    if len(columns) != len(ref_columns):
        ctx.error(
            "The number of `fields` and `references` of a relation must be the same.",
            origin.path,
            origin.line,
        )
        return
    required = any(
        (f := rf.block.field(ref.name)) is not None and not f.type.optional
        for ref in rf.fields or []
    )
    on_delete = _action(ctx, rf, "onDelete") or ("RESTRICT" if required else "SET NULL")
    on_update = _action(ctx, rf, "onUpdate") or "CASCADE"
    name = string_arg(rf.attr, "map") or names.foreign_key_name(draft.name, columns, ctx.limit)
    draft.foreign_keys.append(
        ForeignKey(
            name=name,
            columns=tuple(columns),
            ref_table=target.name,
            ref_columns=tuple(ref_columns),
            ref_schema=target.schema,
            on_delete=on_delete,
            on_update=on_update,
            origin=origin,
        )
    )


def _columns(
    ctx: Context, rf: RelationField, draft: Draft, refs: list[FieldRef], argument: str
) -> list[str] | None:
    columns: list[str] = []
    for ref in refs:
        column = draft.by_field.get(ref.name)
        if column is None:
            origin = attribute_origin(rf.block, rf.field, rf.attr)
            model = draft.block.name if draft.block else draft.name
            ctx.error(
                f"The argument `{argument}` must refer only to existing scalar fields: "
                f"`{ref.name}` is not a scalar field of the model `{model}`.",
                origin.path,
                origin.line,
            )
            return None
        columns.append(column.name)
    return columns


def _action(ctx: Context, rf: RelationField, argument: str) -> str | None:
    written = ident_arg(rf.attr, argument)
    if written is None:
        return None
    action = ACTIONS.get(written)
    if action is None:
        origin = attribute_origin(rf.block, rf.field, rf.attr)
        ctx.error(
            f"Invalid referential action `{written}` for `{argument}`; expected one of "
            f"{', '.join(ACTIONS)}.",
            origin.path,
            origin.line,
        )
    return action


# Implicit many-to-many: a join table -----------------------------------------------------


def _join_table(ctx: Context, first: RelationField, second: RelationField) -> Draft | None:
    model_a, model_b = sorted((first.block.name, first.target))
    if model_a not in ctx.drafts or model_b not in ctx.drafts:
        return None  # one side is a view: Prisma makes no table
    a, b = ctx.drafts[model_a], ctx.drafts[model_b]
    origin = origin_of(first.block, first.field)
    id_a, id_b = _single_id(ctx, a, first), _single_id(ctx, b, first)
    if id_a is None or id_b is None:
        return None
    relation = first.name or f"{model_a}To{model_b}"
    table = names.join_table_name(relation, ctx.limit)
    if ctx.postgres:
        from dbdrift.readers.sql.postgres.names import truncate_identifier

        table = truncate_identifier(table)
    named = names.join_table_names(table, ctx.limit, primary_key=ctx.postgres)
    join = Draft(table, a.schema, origin)
    for column_name, ref in (("A", id_a), ("B", id_b)):
        column = Column(name=column_name, type=ref.type, nullable=False, origin=origin)
        join.columns.append(column)
    if ctx.postgres:
        join.primary_key = PrimaryKey(named["unique"], ("A", "B"), origin)
    elif ctx.dialect == "mysql":
        join.uniques.append(Unique(named["unique"], ("A", "B"), origin))
    else:
        join.indexes.append(Index(named["unique"], ("A", "B"), unique=True, origin=origin))
    method = "btree" if ctx.postgres else None
    join.indexes.append(Index(named["index"], ("B",), method=method, origin=origin))
    if ctx.foreign_keys:
        for column_name, fk_name, target, ref in (
            ("A", named["fk_a"], a, id_a),
            ("B", named["fk_b"], b, id_b),
        ):
            join.foreign_keys.append(
                ForeignKey(
                    name=fk_name,
                    columns=(column_name,),
                    ref_table=target.name,
                    ref_columns=(ref.name,),
                    ref_schema=target.schema,
                    on_delete="CASCADE",
                    on_update="CASCADE",
                    origin=origin,
                )
            )
    return join


def _single_id(ctx: Context, draft: Draft, rf: RelationField) -> Column | None:
    pk = draft.primary_key
    column = draft.column(pk.columns[0]) if pk is not None and len(pk.columns) == 1 else None
    if column is None:
        origin = origin_of(rf.block, rf.field)
        ctx.error(
            f"The implicit many-to-many relation `{rf.block.name}.{rf.field.name}` needs the "
            f"model `{draft.block.name if draft.block else draft.name}` to have a single-field id.",
            origin.path,
            origin.line,
        )
    return column
