"""Fixes as Prisma schema text: a field line, a model block, ``@map``/``@@map``, relations.

A column's type is turned back into a Prisma scalar and ``@db.X`` attribute by searching
Prisma's own tables (types/prisma.py) for the spelling that gives the same column type, so
the field reads back as exactly that column; defaults likewise, with
``dbgenerated("...")`` for any the Prisma functions cannot say.
https://www.prisma.io/docs/orm/reference/prisma-schema-reference
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dbdrift.findings import Edit
from dbdrift.names import singular, words
from dbdrift.schema import Column, ForeignKey, Table
from dbdrift.types import Type

# Preferred first: a column Prisma can type by a scalar's default gets no @db attribute.
_SCALARS = ("String", "Int", "BigInt", "Boolean", "Float", "Decimal", "DateTime", "Json", "Bytes")

_ACTIONS = {
    "CASCADE": "Cascade",
    "RESTRICT": "Restrict",
    "NO ACTION": "NoAction",
    "SET NULL": "SetNull",
    "SET DEFAULT": "SetDefault",
}

_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?\Z")
_INTEGER = re.compile(r"-?[0-9]+\Z")
_CONSTANT = re.compile(r"'((?:[^'\\]|'')*)'")
# ``'x'::character varying``: PostgreSQL casts a constant to the type without its typmod.
_PG_CONSTANT = re.compile(r"'((?:[^'\\]|'')*)'::[A-Za-z_ \"]+")


def write(edit: Edit) -> tuple[str, str]:
    """The Prisma text that carries out `edit`."""
    w = _Prisma(edit)
    branch = getattr(w, edit.action.replace("-", "_"), None)
    if branch is None:
        from dbdrift.fix import describe

        return "prisma", f"// {describe(edit)}"
    return "prisma", branch()


# names -----------------------------------------------------------------------------------


def model_name(table: str) -> str:
    """`order_items` -> `OrderItem`: PascalCase, last word singular."""
    parts = words(table) or [table]
    parts[-1] = singular(parts[-1])
    return "".join(p[:1].upper() + p[1:] for p in parts)


def field_name(column: str) -> str:
    """`full_name` -> `fullName`."""
    parts = words(column) or [column]
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# types -----------------------------------------------------------------------------------


def prisma_type(typ: Type, provider: str) -> tuple[str, str | None]:
    """(field type without ``?``, ``@db.X(args)`` or ``None``) for a column type."""
    from dbdrift.types import prisma as pt

    is_list = typ.family == "array" and typ.element is not None
    base = typ.element if is_list and typ.element is not None else typ
    suffix = "[]" if is_list else ""
    dialect = pt.PROVIDER_DIALECTS.get(provider, "postgresql")
    if base.family == "enum" and base.enum and dialect == "postgresql":
        return base.enum + suffix, None
    natives = {"postgresql": pt.POSTGRES_NATIVE, "mysql": pt.MYSQL_NATIVE}.get(dialect, {})
    for scalar in _SCALARS:
        for native, args in _candidates(base, natives):
            try:
                found = pt.scalar_type(provider, scalar, native, args, is_list)
            except (pt.TypeProblem, KeyError):
                continue
            if (found.family, found.sql) == (typ.family, typ.sql):
                if native is None:
                    return scalar + suffix, None
                shown = f"({', '.join(str(a) for a in args)})" if args else ""
                return scalar + suffix, f"@db.{native}{shown}"
    return f"Unsupported({_string(base.sql)}){suffix}", None


def _candidates(typ: Type, natives: dict) -> Iterator[tuple[str | None, tuple[int, ...]]]:
    yield None, ()
    numbers = [typ.length, typ.precision]
    args: list[tuple[int, ...]] = [()] + [(n,) for n in numbers if n is not None]
    if typ.precision is not None and typ.scale is not None:
        args.append((typ.precision, typ.scale))
    for native in natives:
        for a in args:
            yield native, a


def prisma_default(column: Column, table: Table, scalar: str, provider: str) -> str | None:
    """The ``@default(...)`` argument that stores `column`'s default, or ``None``."""
    default = column.default
    serial = f"nextval('{table.name}_{column.name}_seq'::regclass)"
    if scalar in ("Int", "BigInt") and (column.identity or default == serial):
        return "autoincrement()"
    if default is None:
        return None
    dialect = "postgresql" if provider in ("postgresql", "postgres", "cockroachdb") else provider
    typ = column.type
    if scalar == "DateTime" and default == _now(dialect, typ):
        return "now()"
    if scalar == "Boolean" and default in ("true", "false", "1", "0"):
        return "true" if default in ("true", "1") else "false"
    if scalar in ("Int", "BigInt") and _INTEGER.match(default):
        return default
    if scalar in ("Float", "Decimal") and _NUMBER.match(default):
        return default
    literal = _string_literal(default, typ, dialect)
    if scalar in ("Int", "BigInt", "Float", "Decimal") and literal and _NUMBER.match(literal):
        return literal  # PostgreSQL stores a negative constant as '-1'::integer
    if literal is not None and (scalar in ("String", "Json") or typ.family == "enum"):
        if typ.family == "enum" and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", literal):
            return literal
        if scalar in ("String", "Json"):
            return _string(literal)
    return f"dbgenerated({_string(default)})"


def _now(dialect: str, typ: Type) -> str:
    if dialect == "mysql":
        precision = typ.precision if typ.precision is not None else 3
        return f"current_timestamp({precision or ''})"
    return "CURRENT_TIMESTAMP"


def _string_literal(default: str, typ: Type, dialect: str) -> str | None:
    """The text of a quoted constant as the database stores it (``'x'::text`` on
    PostgreSQL, ``'x'`` elsewhere), or ``None`` for an expression."""
    pattern = _PG_CONSTANT if dialect == "postgresql" else _CONSTANT
    match = pattern.fullmatch(default)
    if match is None:
        return None
    body = match[1]
    return body.replace("''", "'")


# the writer ------------------------------------------------------------------------------


class _Prisma:
    def __init__(self, edit: Edit) -> None:
        self.edit = edit
        self.table = edit.table
        self.provider = edit.dialect if edit.dialect != "mariadb" else "mysql"

    @property
    def column(self) -> Column:
        if self.edit.column is None:
            raise ValueError(f"{self.edit.action} needs a column")
        return self.edit.column

    def field(self, column: Column, name: str | None = None, table: Table | None = None) -> str:
        """One field line: ``name Type[?] [@id] [@default(...)] [@unique] [@map] [@db.X]``."""
        table = table or self.table
        name = name or column.attr or field_name(column.name)
        ftype, native = prisma_type(column.type, self.provider)
        optional = column.nullable and not ftype.endswith("[]")
        parts = [name, ftype + ("?" if optional else "")]
        pk = table.primary_key
        if pk is not None and pk.columns == (column.name,):
            parts.append("@id")
        scalar = ftype.removesuffix("[]")
        default = prisma_default(column, table, scalar, self.provider)
        if default is not None:
            parts.append(f"@default({default})")
        if any(u.columns == (column.name,) for u in table.uniques):
            parts.append("@unique")
        if name != column.name:
            parts.append(f"@map({_string(column.name)})")
        if native is not None:
            parts.append(native)
        return " ".join(parts)

    # tables ------------------------------------------------------------------

    def add_table(self) -> str:
        table = self.table
        model = model_name(table.name)
        names = {c.name: c.attr or field_name(c.name) for c in table.columns}
        lines = [self.field(c, names[c.name], table) for c in table.columns]
        backs: list[str] = []
        for fk in table.foreign_keys:
            forward, back = self.relation(table, fk, names)
            lines.append(forward)
            backs.append(back)
        pk = table.primary_key
        if pk is not None and len(pk.columns) > 1:
            lines.append(f"@@id([{', '.join(names.get(c, c) for c in pk.columns)}])")
        for u in table.uniques:
            if len(u.columns) > 1:
                lines.append(f"@@unique([{', '.join(names.get(c, c) for c in u.columns)}])")
        for index in table.indexes:
            if all(c in names for c in index.columns):
                keyword = "@@unique" if index.unique else "@@index"
                lines.append(f"{keyword}([{', '.join(names[c] for c in index.columns)}])")
        if model != table.name:
            lines.append(f"@@map({_string(table.name)})")
        body = "\n".join(f"  {line}".rstrip() for line in _aligned(lines))
        text = f"model {model} {{\n{body}\n}}"
        if backs:
            text += "\n\n// and in each referenced model:\n" + "\n".join(f"//   {b}" for b in backs)
        return text

    def drop_table(self) -> str:
        return f"// Remove the model of table {self.table.name} ({model_name(self.table.name)})."

    def map_table(self) -> str:
        model = model_name(self.edit.old or self.table.name)
        return f"// in model {model}:\n@@map({_string(self.table.name)})"

    def regenerate(self) -> str:
        from dbdrift.fix import describe

        return f"// {describe(self.edit)}"

    # columns -----------------------------------------------------------------

    def add_column(self) -> str:
        return self.field(self.column)

    def alter_column(self) -> str:
        return self.field(self.column)

    def map_column(self) -> str:
        column = self.column
        name = column.attr or self.edit.old or field_name(column.name)
        return self.field(column, name)

    def drop_column(self) -> str:
        name = self.edit.column.name if self.edit.column is not None else self.edit.old
        return f"// Remove the field of column {name} from the model of {self.table.name}."

    # relations ---------------------------------------------------------------

    def add_foreign_key(self) -> str:
        fk = self.edit.foreign_key
        if fk is None:
            raise ValueError("add-foreign-key needs a foreign key")
        names = {c.name: c.attr or field_name(c.name) for c in self.table.columns}
        forward, back = self.relation(self.table, fk, names)
        return (
            f"// in model {model_name(self.table.name)}:\n{forward}\n"
            f"// in model {model_name(fk.ref_table)}:\n{back}"
        )

    def drop_foreign_key(self) -> str:
        fk = self.edit.foreign_key
        cols = ", ".join(fk.columns) if fk is not None else "?"
        return (
            f"// Remove the relation field over ({cols}) from the model of {self.table.name}, "
            "and its back-relation field."
        )

    def relation(self, table: Table, fk: ForeignKey, names: dict[str, str]) -> tuple[str, str]:
        """The relation field on `table` and the back-relation field on the referenced model."""
        target = model_name(fk.ref_table)
        fields = [names.get(c, field_name(c)) for c in fk.columns]
        refs = [field_name(c) for c in fk.ref_columns]
        base = re.sub(r"(_id|Id|_ID)$", "", fk.columns[0]) if len(fk.columns) == 1 else ""
        name = field_name(base) if base and base != fk.columns[0] else field_name(target)
        if name in names.values():
            name += "Ref"
        optional = any(c is not None and c.nullable for c in (table.column(n) for n in fk.columns))
        args = [f"fields: [{', '.join(fields)}]", f"references: [{', '.join(refs)}]"]
        args.append(f"onDelete: {_ACTIONS.get(fk.on_delete, 'NoAction')}")
        if fk.on_update != "CASCADE":
            args.append(f"onUpdate: {_ACTIONS.get(fk.on_update, 'NoAction')}")
        default_name = f"{table.name}_{'_'.join(fk.columns)}_fkey"
        if fk.name and fk.name != default_name:
            args.append(f"map: {_string(fk.name)}")
        forward = f"{name} {target}{'?' if optional else ''} @relation({', '.join(args)})"
        one = any(u.columns == fk.columns for u in table.uniques) or (
            table.primary_key is not None and table.primary_key.columns == fk.columns
        )
        model = model_name(table.name)
        back = f"{field_name(table.name)} {model}{'?' if one else '[]'}"
        return forward, back


def _aligned(lines: list[str]) -> list[str]:
    """Field lines with names and types in columns, as ``prisma format`` lays them out."""
    fields = [line.split(" ", 2) for line in lines if not line.startswith("@@")]
    width0 = max((len(f[0]) for f in fields), default=0)
    width1 = max((len(f[1]) for f in fields if len(f) > 2), default=0)
    out: list[str] = []
    for line in lines:
        if line.startswith("@@"):
            if out and not out[-1].startswith("@@"):
                out.append("")
            out.append(line)
            continue
        parts = line.split(" ", 2)
        if len(parts) < 3:
            out.append(f"{parts[0].ljust(width0)} {parts[1]}")
        else:
            out.append(f"{parts[0].ljust(width0)} {parts[1].ljust(width1)} {parts[2]}")
    return out
