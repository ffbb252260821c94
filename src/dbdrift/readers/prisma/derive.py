"""Prisma schema blocks -> the tables Prisma Migrate creates, as dbdrift's `Schema`.

How: the structure (which tables, columns in field order, keys and their names, relations,
join tables) follows Prisma's own schema calculator (prisma-engines
``sql_schema_calculator.rs`` and its flavours) and is derived here directly, so every
table, column and constraint keeps the line of the model, field or attribute it came from.
The *spelling* of types and defaults is not re-invented: it goes through the tables and
the expression printers the SQL reader uses for the same dialect (types/prisma.py,
defaults.py), so Prisma's schema and the SQL of its migrations compare equal by construction.

Why not render Prisma's CREATE statements and replay them through the SQL reader?  It
would give the spelling for free, but every origin would point into generated SQL and have
to be mapped back, one replay bug would cost a whole table instead of one default, and a
300-model schema would spend most of its half-second budget parsing SQL it just wrote.

Decisions checked against Prisma 7's engine (``migrate diff --from-empty``):

- ``@@ignore`` models and ``@ignore`` fields still become tables and columns, and relations
  through them still get foreign keys: Prisma Migrate creates them (only Prisma Client
  skips them).  ``view`` blocks become notes: Migrate creates no views.
- Scalar lists are nullable arrays on PostgreSQL (Prisma writes no NOT NULL for them).
- Tables come in model order, then the implicit many-to-many tables in relation order.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import parse_qs, urlparse

from dbdrift.readers.prisma.ast import Block, PrismaFile
from dbdrift.readers.prisma.common import (
    ENUM_ATTRIBUTES,
    ENUM_VALUE_ATTRIBUTES,
    Context,
    Draft,
    EnumInfo,
    origin_of,
    string_arg,
)
from dbdrift.readers.prisma.dialects import finish
from dbdrift.readers.prisma.model import derive_model
from dbdrift.readers.prisma.relations import RelationField, derive_relations
from dbdrift.schema import Enum, Error, Origin, Schema, SourceRef, Table
from dbdrift.types.prisma import IDENTIFIER_LIMITS, OTHER_PROVIDERS, PROVIDER_DIALECTS


def derive(files: Sequence[PrismaFile], source: SourceRef) -> Schema:
    """The tables Prisma Migrate would create from the blocks of all `files` of one schema."""
    blocks = [block for f in files for block in f.blocks]
    errors: list[Error] = [e for f in files for e in f.errors]
    ctx = _context(blocks, source, errors)
    if ctx is None:
        return Schema(source=source, errors=tuple(errors))
    _register(ctx, blocks)
    if ctx.provider == "mongodb":
        ds = next(b for b in blocks if b.kind == "datasource")
        ctx.note(
            "mongodb",
            "a MongoDB schema describes collections, not SQL tables; not compared",
            ds.path,
            ds.line,
        )
        return _freeze(ctx, source, [], [])
    enums = _enums(ctx)
    relation_fields: list[RelationField] = []
    tables: list[Draft] = []
    for block in ctx.models.values():
        draft = derive_model(ctx, block, relation_fields)
        if draft is not None:
            tables.append(draft)
    tables.extend(derive_relations(ctx, relation_fields))
    for draft in tables:
        finish(ctx, draft)
    return _freeze(ctx, source, tables, enums)


# The datasource ---------------------------------------------------------------------------


def _context(blocks: list[Block], source: SourceRef, errors: list[Error]) -> Context | None:
    """The provider and datasource settings; ``None`` when the provider has no SQL tables."""
    datasources = [b for b in blocks if b.kind == "datasource"]
    for extra in datasources[1:]:
        errors.append(
            Error("You defined more than one datasource.", Origin(extra.path, extra.line))
        )
    ds = datasources[0] if datasources else None
    provider = ds.property("provider") if ds is not None else None
    if isinstance(provider, str) and provider in OTHER_PROVIDERS and provider != "mongodb":
        assert ds is not None
        errors.append(
            Error(f"The {provider} provider is not read by dbdrift.", Origin(ds.path, ds.line))
        )
        return None
    if not isinstance(provider, str) or (
        provider not in PROVIDER_DIALECTS and provider != "mongodb"
    ):
        where = (
            Origin(ds.path, ds.line) if ds else Origin(source.paths[0] if source.paths else "", 1)
        )
        what = f"unknown provider {provider!r}" if ds else "no datasource block"
        errors.append(Error(f"{what}: read as {source.dialect}.", where))
        provider = {"postgresql": "postgresql", "mysql": "mysql"}.get(source.dialect, "sqlite")
    dialect = PROVIDER_DIALECTS.get(provider, source.dialect)
    schemas = ds.property("schemas") if ds is not None else None
    relation_mode = None
    if ds is not None:
        relation_mode = ds.property("relationMode") or ds.property("referentialIntegrity")
    ctx = Context(
        provider=provider,
        dialect=dialect,
        limit=IDENTIFIER_LIMITS.get(provider, 63),
        default_schema=_url_schema(ds) if dialect == "postgresql" else None,
        schemas=tuple(s for s in schemas if isinstance(s, str))
        if isinstance(schemas, tuple)
        else (),
        foreign_keys=relation_mode != "prisma",
        datasource=ds.name if ds is not None else "db",
        errors=errors,
    )
    if ds is not None and dialect != source.dialect and provider != "mongodb":
        ctx.note(
            "dialect",
            f"the datasource's provider {provider!r} means {dialect}, not {source.dialect}; "
            f"types are spelled for {dialect}",
            ds.path,
            ds.line,
        )
    return ctx


def _url_schema(ds: Block | None) -> str:
    """PostgreSQL tables go to ``public``, or to the ``?schema=`` of a literal datasource URL."""
    url = ds.property("url") if ds is not None else None
    if isinstance(url, str):
        found = parse_qs(urlparse(url).query).get("schema")
        if found and found[0]:
            return found[0]
    return "public"


# Blocks by name ---------------------------------------------------------------------------


def _register(ctx: Context, blocks: list[Block]) -> None:
    """Index models, views, composite types and enums by name; duplicates are errors."""
    seen: dict[str, Block] = {}
    kinds = {"model": ctx.models, "view": ctx.views, "type": ctx.composites}
    for block in blocks:
        if block.kind not in (*kinds, "enum"):
            continue
        if block.name in seen:
            ctx.error(
                f"The {block.kind} `{block.name}` cannot be defined because a "
                f"{seen[block.name].kind} with that name already exists.",
                block.path,
                block.line,
            )
            continue
        seen[block.name] = block
        if block.kind == "enum":
            ctx.enums[block.name] = EnumInfo(block, block.name, None, {})
        else:
            kinds[block.kind][block.name] = block
        if block.kind == "view":
            ctx.note(
                "view",
                f"view {block.name}: Prisma Migrate creates no views (their SQL lives in "
                "the migrations); not compared as a table",
                block.path,
                block.line,
            )
        if block.kind == "type" and ctx.provider != "mongodb":
            ctx.error(
                f"Composite types are not supported on {ctx.provider} (type `{block.name}`); "
                "they are only available with MongoDB.",
                block.path,
                block.line,
            )


def block_schema(ctx: Context, block: Block) -> str | None:
    """The database schema a model or enum goes to (PostgreSQL only)."""
    attr = block.attribute("schema")
    named = string_arg(attr, "name", 0)
    if ctx.dialect != "postgresql":
        return None
    if named is not None:
        if not ctx.schemas:
            ctx.error(
                "@@schema needs the datasource to list its `schemas`.",
                block.path,
                attr.line if attr else block.line,
            )
        elif named not in ctx.schemas:
            ctx.error(
                f"The schema `{named}` is not listed in the datasource's `schemas`.",
                block.path,
                attr.line if attr and attr.line else block.line,
            )
        return named
    if ctx.schemas:
        ctx.error(
            f'Error validating {block.kind} "{block.name}": This {block.kind} is missing an '
            "`@@schema` attribute.",
            block.path,
            block.line,
        )
    return ctx.default_schema


# Enums ------------------------------------------------------------------------------------


def _enums(ctx: Context) -> list[Enum]:
    """Each enum's stored name and values; on PostgreSQL each is a type of its own."""
    result: list[Enum] = []
    for info in ctx.enums.values():
        block = info.block
        for attr in block.attributes:
            if attr.name not in ENUM_ATTRIBUTES:
                ctx.error(
                    f'Attribute not known: "@@{attr.name}".', block.path, attr.line or block.line
                )
        info.db_name = string_arg(block.attribute("map"), "name", 0) or block.name
        if ctx.postgres:
            from dbdrift.readers.sql.postgres.names import truncate_identifier

            info.db_name = truncate_identifier(info.db_name)
        info.schema = block_schema(ctx, block)
        for value in block.values:
            for attr in value.attributes:
                if attr.name not in ENUM_VALUE_ATTRIBUTES:
                    ctx.error(
                        f'Attribute not known: "@{attr.name}".', block.path, attr.line or value.line
                    )
            stored = string_arg(
                next((a for a in value.attributes if a.name == "map"), None), "name", 0
            )
            info.values[value.name] = stored or value.name
        if ctx.postgres:
            result.append(
                Enum(info.db_name, tuple(info.values.values()), info.schema, origin_of(block))
            )
    return result


# Freezing ---------------------------------------------------------------------------------


def _freeze(ctx: Context, source: SourceRef, drafts: list[Draft], enums: list[Enum]) -> Schema:
    tables = tuple(
        Table(
            name=d.name,
            schema=d.schema,
            columns=tuple(d.columns),
            primary_key=d.primary_key,
            foreign_keys=tuple(d.foreign_keys),
            uniques=tuple(d.uniques),
            indexes=tuple(d.indexes),
            checks=tuple(d.checks),
            origin=d.origin,
        )
        for d in drafts
    )
    return Schema(
        source=source,
        tables=tables,
        enums=tuple(enums),
        notes=tuple(ctx.notes),
        errors=tuple(ctx.errors),
    )
