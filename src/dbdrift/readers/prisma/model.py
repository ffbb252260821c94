"""One model -> one table: its columns in field order, its primary key, unique indexes and
indexes, named as Prisma names them (names.py)."""

from __future__ import annotations

from dataclasses import replace

from dbdrift.readers.prisma import names
from dbdrift.readers.prisma.ast import Attribute, Block, Call, Field
from dbdrift.readers.prisma.common import (
    FIELD_ATTRIBUTES,
    MODEL_ATTRIBUTES,
    Context,
    Draft,
    EnumInfo,
    attribute_origin,
    field_refs,
    ident_arg,
    origin_of,
    string_arg,
)
from dbdrift.readers.prisma.defaults import DefaultProblem, Target, derive_default
from dbdrift.readers.prisma.relations import RelationField, relation_field
from dbdrift.schema import Column, Index, PrimaryKey, Unique
from dbdrift.types import Type
from dbdrift.types import prisma as ptypes

# @@index(type: ...) -> the access method PostgreSQL reports.
INDEX_METHODS = {
    "BTree": "btree",
    "Hash": "hash",
    "Gist": "gist",
    "Gin": "gin",
    "SpGist": "spgist",
    "Brin": "brin",
}


def derive_model(ctx: Context, block: Block, relation_fields: list[RelationField]) -> Draft | None:
    """The table of `block`; its relation fields are appended to `relation_fields`."""
    from dbdrift.readers.prisma.derive import block_schema

    name = string_arg(block.attribute("map"), "name", 0) or block.name
    if ctx.postgres:
        name = _truncate(name)
    schema = block_schema(ctx, block)
    if (schema, name) in ctx.table_keys:
        ctx.error(
            f'The model "{block.name}" cannot be defined because another model is mapped to '
            f'the table "{name}".',
            block.path,
            block.line,
        )
        return None
    ctx.table_keys.add((schema, name))
    draft = Draft(name, schema, origin_of(block), block=block)
    for attr in block.attributes:
        if attr.name not in MODEL_ATTRIBUTES:
            ctx.error(f'Attribute not known: "@@{attr.name}".', block.path, attr.line or block.line)
    for fld in block.fields:
        _check_attributes(ctx, block, fld)
        type_name = fld.type.name
        if fld.type.unsupported is None and type_name in ctx.models:
            relation_fields.append(relation_field(ctx, block, fld))
        elif fld.type.unsupported is None and type_name in ctx.views:
            continue  # a relation to a view: no column, no foreign key
        elif fld.type.unsupported is None and type_name in ctx.composites:
            ctx.error(
                f"Field `{fld.name}` refers to the composite type `{type_name}`, which is only "
                "supported on MongoDB.",
                block.path,
                fld.line or block.line,
            )
        else:
            _column(ctx, draft, block, fld)
    _primary_key(ctx, draft, block)
    _uniques_and_indexes(ctx, draft, block)
    ctx.drafts[block.name] = draft
    return draft


def _truncate(name: str) -> str:
    from dbdrift.readers.sql.postgres.names import truncate_identifier

    return truncate_identifier(name)


def _check_attributes(ctx: Context, block: Block, fld: Field) -> None:
    native_prefix = ctx.datasource + "."
    for attr in fld.attributes:
        if attr.name in FIELD_ATTRIBUTES or attr.name.startswith(native_prefix):
            continue
        ctx.error(f'Attribute not known: "@{attr.name}".', block.path, attr.line or fld.line)


# Columns ----------------------------------------------------------------------------------


def _column(ctx: Context, draft: Draft, block: Block, fld: Field) -> None:
    name = string_arg(fld.attribute("map"), "name", 0) or fld.name
    if ctx.postgres:
        name = _truncate(name)
    origin = origin_of(block, fld)
    if draft.column(name) is not None:
        ctx.error(
            f'Field "{fld.name}" is mapped to the column "{name}", which another field '
            "already uses.",
            origin.path,
            origin.line,
        )
        return
    resolved = _field_type(ctx, block, fld)
    if resolved is None:
        return
    typ, scalar, enum = resolved
    column = Column(
        name=name,
        type=typ,
        nullable=fld.type.optional or fld.type.list,
        origin=origin,
        attr=fld.name if name != fld.name else None,
    )
    default_attr = fld.attribute("default")
    if default_attr is not None:
        target = Target(typ, scalar, enum, fld.type.list)
        try:
            derived = derive_default(ctx, default_attr, target)
        except DefaultProblem as exc:
            where = attribute_origin(block, fld, default_attr)
            ctx.error(f"@default on `{block.name}.{fld.name}`: {exc}", where.path, where.line)
        else:
            column = replace(column, default=derived.default)
            if derived.autoincrement:
                draft.autoincrement.add(name)
            if derived.sequence:  # CockroachDB writes sequence() as an identity column
                column = replace(column, identity="by default", nullable=False)
    draft.columns.append(column)
    draft.by_field[fld.name] = column
    draft.scalar_of[name] = scalar


def _field_type(
    ctx: Context, block: Block, fld: Field
) -> tuple[Type, str | None, EnumInfo | None] | None:
    """The column type of a scalar, enum or Unsupported field, or ``None`` after an error."""
    ftype = fld.type
    natives = [a for a in fld.attributes if a.name.startswith(ctx.datasource + ".")]
    where = attribute_origin(block, fld, natives[0] if natives else None)
    try:
        if len(natives) > 1:
            raise ptypes.TypeProblem("A field can have at most one native type attribute.")
        if ftype.list and not ctx.postgres:
            raise ptypes.TypeProblem(
                f"Field `{fld.name}` in model `{block.name}` can't be a list. The current "
                "connector does not support lists of primitive types."
            )
        if ftype.unsupported is not None:
            return ptypes.unsupported_type(ctx.dialect, ftype.unsupported, ftype.list), None, None
        if ftype.name in ptypes.SCALARS:
            native, args = _native(natives[0]) if natives else (None, ())
            return (
                ptypes.scalar_type(ctx.provider, ftype.name, native, args, ftype.list),
                ftype.name,
                None,
            )
        enum = ctx.enums.get(ftype.name)
        if enum is not None:
            if natives:
                raise ptypes.TypeProblem("Native types can only be used on scalar fields.")
            return _enum_type(ctx, enum, ftype.list), None, enum
    except ptypes.TypeProblem as exc:
        ctx.error(str(exc), where.path, where.line)
        return None
    ctx.error(
        f'Type "{ftype.name}" is neither a built-in type, nor refers to another model, '
        "composite type, or enum.",
        block.path,
        fld.line or block.line,
    )
    return None


def _native(attr: Attribute) -> tuple[str, tuple[int, ...]]:
    args: list[int] = []
    for arg in attr.args:
        value = arg.value
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ptypes.TypeProblem(f"The arguments of @{attr.name} must be numbers.")
        args.append(value)
    return attr.name.split(".", 1)[1], tuple(args)


def _enum_type(ctx: Context, enum: EnumInfo, is_list: bool) -> Type:
    if ctx.postgres:
        return ptypes.postgres_enum_type(enum.schema or "public", enum.db_name, is_list)
    if ctx.dialect == "mysql":
        return ptypes.mysql_enum_type(list(enum.values.values()))
    return ptypes.sqlite_type(None)


# Keys and indexes -------------------------------------------------------------------------


def _primary_key(ctx: Context, draft: Draft, block: Block) -> None:
    field_ids = [f for f in block.fields if f.attribute("id") is not None]
    model_id = block.attribute("id")
    if len(field_ids) + (model_id is not None) > 1:
        ctx.error(
            f"The model `{block.name}` has more than one id (@id or @@id).",
            block.path,
            (model_id.line if model_id is not None else 0) or field_ids[-1].line or block.line,
        )
    if field_ids:
        fld = field_ids[0]
        attr = fld.attribute("id")
        columns = _columns(ctx, draft, block, attr, [fld.name])
    elif model_id is not None:
        fld, attr = None, model_id
        columns = _columns(ctx, draft, block, attr, None)
    else:
        return
    if columns is None:
        return
    name = string_arg(attr, "map") or names.primary_key_name(draft.name, ctx.limit)
    draft.primary_key = PrimaryKey(name, tuple(columns), attribute_origin(block, fld, attr))
    for column in columns:  # a primary key's columns are NOT NULL
        col = draft.column(column)
        if col is not None and col.nullable:
            draft.replace_column(replace(col, nullable=False))


def _uniques_and_indexes(ctx: Context, draft: Draft, block: Block) -> None:
    for fld in block.fields:
        for attr in fld.attributes:
            if attr.name == "unique":
                _unique(ctx, draft, block, fld, attr, [fld.name])
    for attr in block.attributes:
        if attr.name == "unique":
            _unique(ctx, draft, block, None, attr, None)
        elif attr.name in ("index", "fulltext"):
            _index(ctx, draft, block, attr)


def _unique(
    ctx: Context,
    draft: Draft,
    block: Block,
    fld: Field | None,
    attr: Attribute,
    fields: list[str] | None,
) -> None:
    columns = _columns(ctx, draft, block, attr, fields)
    if columns is None:
        return
    name = string_arg(attr, "map") or names.unique_index_name(draft.name, columns, ctx.limit)
    origin = attribute_origin(block, fld, attr)
    if ctx.dialect == "mysql":
        draft.uniques.append(Unique(name, tuple(columns), origin))
    else:
        method = "btree" if ctx.postgres else None
        draft.indexes.append(Index(name, tuple(columns), True, method, _where(attr), origin))


def _index(ctx: Context, draft: Draft, block: Block, attr: Attribute) -> None:
    origin = attribute_origin(block, None, attr)
    fulltext = attr.name == "fulltext"
    if fulltext and ctx.dialect != "mysql":
        ctx.error(
            "You defined a fulltext index, but the current connector does not support them.",
            origin.path,
            origin.line,
        )
        return
    columns = _columns(ctx, draft, block, attr, None)
    if columns is None:
        return
    name = string_arg(attr, "map") or names.index_name(draft.name, columns, ctx.limit)
    method: str | None = "fulltext" if fulltext else None
    if ctx.postgres:
        written = ident_arg(attr, "type") or "BTree"
        method = INDEX_METHODS.get(written)
        if method is None:
            ctx.error(f"Unknown index type `{written}`.", origin.path, origin.line)
            method = written.lower()
    draft.indexes.append(Index(name, tuple(columns), False, method, _where(attr), origin))


def _where(attr: Attribute) -> str | None:
    """A partial index's predicate (``where: raw("...")``, preview ``partialIndexes``)."""
    value = attr.arg("where")
    if value is None:
        return None
    if isinstance(value, Call) and value.name == "raw" and value.args:
        text = value.args[0].value
        return text if isinstance(text, str) else str(text)
    return str(value)


def _columns(
    ctx: Context, draft: Draft, block: Block, attr: Attribute, fields: list[str] | None
) -> list[str] | None:
    """The column names of the fields an attribute names (its ``fields`` argument, or
    `fields` for a field-level attribute); ``None`` after an error."""
    on_field = fields is not None
    if fields is None:
        refs = field_refs(attr.arg("fields", 0))
        if not refs:
            where = attribute_origin(block, None, attr)
            ctx.error(f"@@{attr.name} needs a list of fields.", where.path, where.line)
            return None
        fields = [r.name for r in refs]
    columns: list[str] = []
    for field_name in fields:
        column = draft.by_field.get(field_name)
        if column is None and on_field:
            return None  # the field itself could not be read: that error is reported
        if column is None:
            where = attribute_origin(block, None, attr)
            ctx.error(
                f"The @@{attr.name} definition of model `{block.name}` refers to the unknown "
                f"or non-scalar field `{field_name}`.",
                where.path,
                where.line,
            )
            return None
        columns.append(column.name)
    return columns
