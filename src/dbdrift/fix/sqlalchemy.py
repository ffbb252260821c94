"""Fixes as SQLAlchemy declarative Python: ``Column(...)`` lines, ``__tablename__``, classes.

A column type is turned back into a SQLAlchemy type by searching the spellings that
types/sqlalchemy.py reads (generic types first, then ``sqlalchemy.dialects.postgresql``) for
one that gives the same PostgreSQL type, so the model reads back as exactly that column.
Each snippet starts with the imports it needs.
https://docs.sqlalchemy.org/en/20/core/metadata.html#sqlalchemy.schema.Column
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from dbdrift.findings import Edit
from dbdrift.schema import Column, ForeignKey, Table
from dbdrift.types import Type

CORE = "sqlalchemy"
POSTGRES = "sqlalchemy.dialects.postgresql"

# Types without arguments, preferred first: (name, module).  The generic types come first;
# PostgreSQL's own are used for what the generic ones cannot say.
_PLAIN: tuple[tuple[str, str], ...] = (
    ("Integer", CORE),
    ("BigInteger", CORE),
    ("SmallInteger", CORE),
    ("Boolean", CORE),
    ("Text", CORE),
    ("Date", CORE),
    ("Interval", CORE),
    ("LargeBinary", CORE),
    ("Float", CORE),
    ("REAL", CORE),
    ("JSON", CORE),
    ("UUID", POSTGRES),
    ("JSONB", POSTGRES),
    ("MONEY", POSTGRES),
    ("OID", POSTGRES),
    ("INET", POSTGRES),
    ("CIDR", POSTGRES),
    ("MACADDR", POSTGRES),
    ("TSVECTOR", POSTGRES),
    ("INT4RANGE", POSTGRES),
    ("INT8RANGE", POSTGRES),
    ("NUMRANGE", POSTGRES),
    ("DATERANGE", POSTGRES),
    ("TSRANGE", POSTGRES),
    ("TSTZRANGE", POSTGRES),
)

_ACTIONS = frozenset({"CASCADE", "RESTRICT", "SET NULL", "SET DEFAULT"})


@dataclass
class _Imports:
    names: dict[str, set[str]] = field(default_factory=dict)

    def use(self, module: str, name: str) -> str:
        self.names.setdefault(module, set()).add(name)
        return name

    def lines(self) -> list[str]:
        return [
            f"from {module} import {', '.join(sorted(self.names[module]))}"
            for module in (CORE, POSTGRES)
            if module in self.names
        ]


@dataclass(frozen=True, slots=True)
class _Candidate:
    text: str
    name: str
    module: str
    positional: tuple = ()
    keywords: tuple[tuple[str, object], ...] = ()


def write(edit: Edit) -> tuple[str, str]:
    """The Python that carries out `edit` in a declarative model."""
    w = _Python(edit)
    branch = getattr(w, edit.action.replace("-", "_"), None)
    if branch is None:
        from dbdrift.fix import describe

        return "python", f"# {describe(edit)}"
    code = branch()
    imports = w.imports.lines()
    return "python", "\n".join(imports) + ("\n\n" if imports else "") + code


def _py(text: str) -> str:
    """A Python string literal in double quotes."""
    return json.dumps(text, ensure_ascii=False)


# types -----------------------------------------------------------------------------------


def type_expression(typ: Type, imports: _Imports) -> str | None:
    """The SQLAlchemy type that creates `typ` on PostgreSQL, or ``None`` when there is none."""
    for candidate in _candidates(typ, imports):
        if _builds(candidate, typ):
            imports.use(candidate.module, candidate.name)
            return candidate.text
    return None


def _builds(candidate: _Candidate, typ: Type) -> bool:
    from dbdrift.types.sqlalchemy import Args, Unknown, enum_type, sqlalchemy_type

    args = Args(candidate.positional, dict(candidate.keywords))
    try:
        if candidate.name == "Enum":
            found = enum_type(args)[0]
        else:
            found = sqlalchemy_type(candidate.name, args)
    except Unknown:
        return False
    return (found.family, found.sql) == (typ.family, typ.sql)


def _candidates(typ: Type, imports: _Imports) -> Iterator[_Candidate]:
    for name, module in _PLAIN:
        yield _Candidate(name, name, module)
    if typ.length is not None:
        n = typ.length
        yield _Candidate(f"String({n})", "String", CORE, (n,))
        yield _Candidate(f"CHAR({n})", "CHAR", CORE, (n,))
        yield _Candidate(f"BIT({n})", "BIT", POSTGRES, (n,))
        yield _Candidate(f"BIT({n}, varying=True)", "BIT", POSTGRES, (n,), (("varying", True),))
    yield _Candidate("String", "String", CORE)
    if typ.precision is not None and typ.scale is not None:
        p, s = typ.precision, typ.scale
        yield _Candidate(f"Numeric({p}, {s})", "Numeric", CORE, (p, s))
    yield _Candidate("Numeric", "Numeric", CORE)
    zone = bool(typ.timezone)
    if typ.precision is None:
        yield _Candidate(f"DateTime(timezone={zone})", "DateTime", CORE, (), (("timezone", zone),))
        yield _Candidate(f"Time(timezone={zone})", "Time", CORE, (), (("timezone", zone),))
    else:
        p = typ.precision
        kw = (("timezone", zone), ("precision", p))
        text = f"(timezone={zone}, precision={p})"
        yield _Candidate("TIMESTAMP" + text, "TIMESTAMP", POSTGRES, (), kw)
        yield _Candidate("TIME" + text, "TIME", POSTGRES, (), kw)
        yield _Candidate(f"INTERVAL(precision={p})", "INTERVAL", POSTGRES, (), (("precision", p),))
    if typ.family == "enum" and typ.enum:
        yield _Candidate(f"Enum(name={_py(typ.enum)})", "Enum", CORE, (), (("name", typ.enum),))
    if typ.family == "array" and typ.element is not None:
        inner = _Imports()
        element = type_expression(typ.element, inner)
        if element is not None:
            for module, names in inner.names.items():
                for name in names:
                    imports.use(module, name)
            yield _Candidate(f"ARRAY({element})", "ARRAY", POSTGRES, (typ.element,))


# the writer ------------------------------------------------------------------------------


def class_name(table: str) -> str:
    from dbdrift.fix.prisma import model_name

    return model_name(table)


class _Python:
    def __init__(self, edit: Edit) -> None:
        self.edit = edit
        self.table = edit.table
        self.imports = _Imports()

    @property
    def column(self) -> Column:
        if self.edit.column is None:
            raise ValueError(f"{self.edit.action} needs a column")
        return self.edit.column

    def line(self, column: Column, attr: str | None = None, table: Table | None = None) -> str:
        """``attr = Column(["name", ]Type, [ForeignKey(...), ]...)``."""
        table = table or self.table
        use = self.imports.use
        attr = attr or column.attr or column.name
        args: list[str] = []
        if attr != column.name:
            args.append(_py(column.name))
        typ = type_expression(column.type, self.imports)
        note = ""
        if typ is None:
            typ = f"{use(CORE, 'types')}.NullType()"
            note = f"# no SQLAlchemy type for {column.type.sql}: NullType stands in\n"
        args.append(typ)
        for fk in table.foreign_keys:
            if fk.columns == (column.name,):
                args.append(self.foreign_key(fk))
        if column.identity in ("always", "by default"):
            always = ", ".join(["always=True"] if column.identity == "always" else [])
            args.append(f"{use(CORE, 'Identity')}({always})")
        pk = table.primary_key
        in_key = pk is not None and column.name in pk.columns
        if in_key:
            args.append("primary_key=True")
        serial = f"nextval('{table.name}_{column.name}_seq'::regclass)"
        autoincrement = (
            in_key
            and pk is not None
            and len(pk.columns) == 1
            and column.type.family == "integer"
            and not column.identity
        )
        if autoincrement and column.default is None:
            args.append("autoincrement=False")
        if not column.nullable and not in_key:
            args.append("nullable=False")
        elif column.nullable and in_key:
            args.append("nullable=True")
        unique = [u.columns for u in table.uniques]
        unique += [i.columns for i in table.indexes if i.unique and i.where is None]
        if (column.name,) in unique:
            args.append("unique=True")
        default = column.default
        if default is not None and not (autoincrement and default == serial):
            args.append(f"server_default={use(CORE, 'text')}({_py(default)})")
        if column.generated is not None:
            args.append(f"{use(CORE, 'Computed')}({_py(column.generated)})")
        return f"{note}{attr} = {use(CORE, 'Column')}({', '.join(args)})"

    def foreign_key(self, fk: ForeignKey) -> str:
        ref = f"{fk.ref_schema}.{fk.ref_table}" if fk.ref_schema not in (None, "public") else ""
        target = f"{ref or fk.ref_table}.{fk.ref_columns[0] if fk.ref_columns else 'id'}"
        args = [_py(target)]
        if fk.on_delete in _ACTIONS:
            args.append(f"ondelete={_py(fk.on_delete)}")
        if fk.on_update in _ACTIONS:
            args.append(f"onupdate={_py(fk.on_update)}")
        if fk.name and fk.name != f"{self.table.name}_{'_'.join(fk.columns)}_fkey":
            args.append(f"name={_py(fk.name)}")
        return f"{self.imports.use(CORE, 'ForeignKey')}({', '.join(args)})"

    # tables ------------------------------------------------------------------

    def add_table(self) -> str:
        table = self.table
        body = [f"__tablename__ = {_py(table.name)}"]
        args: list[str] = []
        for fk in table.foreign_keys:
            if len(fk.columns) > 1:
                args.append(self.composite_key(fk))
        for u in table.uniques:
            if len(u.columns) > 1:
                name = f", name={_py(u.name)}" if u.name else ""
                cols = ", ".join(_py(c) for c in u.columns)
                args.append(f"{self.imports.use(CORE, 'UniqueConstraint')}({cols}{name})")
        if table.schema not in (None, "public"):
            args.append(f'{{"schema": {_py(table.schema)}}}')
        if args:
            body.append(f"__table_args__ = ({', '.join(args)},)")
        body.append("")
        for c in table.columns:
            body += self.line(c, table=table).split("\n")
        lines = "\n".join(f"    {b}".rstrip() for b in body)
        return f"class {class_name(table.name)}(Base):\n{lines}"

    def composite_key(self, fk: ForeignKey) -> str:
        ref = (
            fk.ref_table if fk.ref_schema in (None, "public") else f"{fk.ref_schema}.{fk.ref_table}"
        )
        cols = ", ".join(_py(c) for c in fk.columns)
        refs = ", ".join(_py(f"{ref}.{c}") for c in fk.ref_columns)
        extra = f", ondelete={_py(fk.on_delete)}" if fk.on_delete in _ACTIONS else ""
        return f"{self.imports.use(CORE, 'ForeignKeyConstraint')}([{cols}], [{refs}]{extra})"

    def drop_table(self) -> str:
        return f"# Remove the model class of table {self.table.name}."

    def map_table(self) -> str:
        old = self.edit.old or self.table.name
        return f"# in the model class of {old}:\n__tablename__ = {_py(self.table.name)}"

    def regenerate(self) -> str:
        from dbdrift.fix import describe

        return f"# {describe(self.edit)}"

    # columns -----------------------------------------------------------------

    def add_column(self) -> str:
        return self.line(self.column)

    def alter_column(self) -> str:
        return self.line(self.column)

    def map_column(self) -> str:
        column = self.column
        return self.line(column, column.attr or self.edit.old)

    def drop_column(self) -> str:
        name = self.edit.column.name if self.edit.column is not None else self.edit.old
        return f"# Remove the attribute of column {name} from the model of {self.table.name}."

    # foreign keys ------------------------------------------------------------

    def add_foreign_key(self) -> str:
        fk = self.edit.foreign_key
        if fk is None:
            raise ValueError("add-foreign-key needs a foreign key")
        column = self.table.column(fk.columns[0]) if len(fk.columns) == 1 else None
        if column is not None:
            return self.line(column)
        return f"__table_args__ = ({self.composite_key(fk)},)"

    def drop_foreign_key(self) -> str:
        fk = self.edit.foreign_key
        cols = ", ".join(fk.columns) if fk is not None else "?"
        return f"# Remove the ForeignKey on ({cols}) from the model of {self.table.name}."
