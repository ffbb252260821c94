"""Column definitions and the constraints written on them (``carglist`` in SQLite's
``parse.y``): the declared type as written, DEFAULT, NOT NULL, PRIMARY KEY, UNIQUE,
CHECK, REFERENCES, COLLATE and GENERATED ALWAYS AS.  Shared by CREATE TABLE and by
ALTER TABLE ... ADD COLUMN."""

from __future__ import annotations

from dbdrift.readers.sql.sqlite.builder import ColumnDef, TableBuilder
from dbdrift.readers.sql.sqlite.common import RESERVED, Refused, fold
from dbdrift.readers.sql.sqlite.parser import Parser, column_refs
from dbdrift.readers.sql.sqlite.statements import Tok
from dbdrift.readers.sql.sqlite.syntax import check_expression
from dbdrift.schema import Check, ForeignKey, Origin
from dbdrift.types.sqlite import dequote, reported_type

_CTIME = ("CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP")


class ColumnGrammar:
    """Columns and their constraints, read into a `TableBuilder` (a mixin of `Replay`)."""

    text: str

    def plain_name(self, item: list[Tok]) -> str:
        """An ``eidlist`` item: a name, optionally with COLLATE and ASC/DESC."""
        sub = Parser(item, self.text)
        name = sub.name()
        if sub.take("COLLATE"):
            if not sub.is_id():
                raise sub.error()
            sub.i += 1
        sub.take("ASC", "DESC")
        if not sub.done():
            raise sub.error()
        return name

    def add_primary_key(
        self,
        b: TableBuilder,
        cols: list[tuple[ColumnDef, str | None]] | None,
        desc: bool,
        autoinc: bool,
        origin: Origin,
        column_form: bool,
    ) -> None:
        """``sqlite3AddPrimaryKey``: a rowid alias, or an autoindex."""
        if b.has_pk:
            b.fail(f'table "{b.name}" has more than one primary key')
            return
        b.has_pk = True
        if cols is None:
            return
        for col, _ in cols:
            col.primary = True
            if col.generated is not None:
                b.fail("generated columns cannot be part of the PRIMARY KEY")
        b.pk_columns = tuple(c.name for c, _ in cols)
        b.pk_origin = origin
        # Only the column form's DESC keeps INTEGER PRIMARY KEY from being the rowid.
        if len(cols) == 1 and cols[0][0].declared == "INTEGER" and not (column_form and desc):
            b.ipk = cols[0][0].name
            b.autoinc = autoinc
        elif autoinc:
            b.fail("AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY")
        else:
            b.autoindex(cols, "pk", origin)

    def _typetoken(self, p: Parser) -> str:
        """``typetoken``: names, then optionally ``(n)`` or ``(n, m)``; the text as written."""
        first = p.i
        while p.is_id():
            after = p.peek(1)
            if p.at("GENERATED") and after is not None and after.word == "ALWAYS":
                break  # GENERATED ALWAYS AS: the constraint, not the type
            p.i += 1
        if p.i == first:
            return ""
        last = p.i - 1
        if p.at_op("("):
            p.i += 1
            for n in range(2):
                if not p.take_op("+"):
                    p.take_op("-")
                tok = p.peek()
                if tok is None or tok.kind != "number":
                    raise p.error()
                p.i += 1
                if n == 0 and not p.take_op(","):
                    break
            p.expect_op(")")
            last = p.i - 1
        return p.span(first, last)

    def column_def(self, p: Parser, b: TableBuilder) -> ColumnDef:
        """``columnname carglist``: one column and its constraints."""
        start = p.peek()
        if start is None:
            raise p.error()
        name = p.name()
        origin = self.origin_of(start)
        col = ColumnDef(name, reported_type(self._typetoken(p)), origin)
        if b.column(name) is not None:
            b.fail(f"duplicate column name: {name}")
        b.columns.append(col)
        constraint: str | None = None
        while not p.done() and not p.at_op(",") and not p.at_op(")"):
            here = self.origin_of(p.peek())  # type: ignore[arg-type]
            if p.take("CONSTRAINT"):
                constraint = p.name()
            elif p.take("DEFAULT"):
                self._default(p, b, col)
            elif p.take("NULL"):
                p.onconf()
            elif p.take("NOT"):
                if p.take("NULL"):
                    col.notnull = True
                    p.onconf()
                else:
                    p.expect("DEFERRABLE")
                    initially(p)
            elif p.take("PRIMARY"):
                p.expect("KEY")
                order = p.take("ASC", "DESC")
                p.onconf()
                autoinc = p.take("AUTOINCREMENT") is not None
                self.add_primary_key(b, [(col, None)], order == "DESC", autoinc, here, True)
            elif p.take("UNIQUE"):
                p.onconf()
                b.autoindex([(col, None)], "u", here)
            elif p.take("CHECK"):
                opened, closed = p.group()
                self.add_check(p, b, constraint, opened, closed, col.name, here)
            elif p.take("REFERENCES"):
                self.references(p, b, [col.name], col.name, here)
            elif p.take("DEFERRABLE"):
                initially(p)
            elif p.take("COLLATE"):
                if not p.is_id():
                    raise p.error()
                col.collation = dequote(p.peek().raw)  # type: ignore[union-attr]
                p.i += 1
            elif p.take("GENERATED"):
                p.expect("ALWAYS")
                p.expect("AS")
                self._generated(p, b, col)
            elif p.take("AS"):
                self._generated(p, b, col)
            else:
                raise p.error()
        return col

    def _default(self, p: Parser, b: TableBuilder, col: ColumnDef) -> None:
        """``DEFAULT``: a parenthesised expression, a signed literal, a literal or a name.

        The stored text is the source text (``PRAGMA table_xinfo.dflt_value``).
        """
        if col.generated is not None:
            b.fail("cannot use DEFAULT on a generated column")
        first = p.i
        tok = p.peek()
        if tok is None:
            raise p.error()
        if tok.is_op("("):
            opened, closed = p.group()
            inner = p.toks[opened + 1 : closed]
            check_expression(self.text, inner)
            if column_refs(inner, strict=True):
                b.fail(f"default value of column [{col.name}] is not constant")
            col.default = p.inner(opened, closed)
            col.default_constant = _constant(inner)
            return
        if tok.is_op("+") or tok.is_op("-"):
            p.i += 1
            if not term(p):
                raise p.error()
            col.default = p.span(first, p.i - 1)
            col.default_constant = p.peek(-1).kind == "number"  # type: ignore[union-attr]
            return
        if term(p):
            col.default = p.span(first, p.i - 1)
            col.default_constant = tok.word not in _CTIME
            return
        if tok.kind == "quoted" or (tok.kind == "word" and tok.word not in RESERVED):
            p.i += 1
            col.default = tok.raw
            return
        raise p.error()

    def add_check(
        self,
        p: Parser,
        b: TableBuilder,
        name: str | None,
        opened: int,
        closed: int,
        owner: str | None,
        origin: Origin,
    ) -> None:
        """A CHECK constraint; `owner` is the column whose definition holds it, if any."""
        inner = p.toks[opened + 1 : closed]
        if not inner:
            raise Refused('near ")": syntax error')
        check_expression(self.text, inner)
        b.checks.append((Check(name, p.inner(opened, closed), origin), owner, inner))

    def _generated(self, p: Parser, b: TableBuilder, col: ColumnDef) -> None:
        if col.default is not None or col.primary:
            b.fail(f'error in generated column "{col.name}"')
        opened, closed = p.group()
        inner = p.toks[opened + 1 : closed]
        check_expression(self.text, inner)
        col.generated = p.inner(opened, closed)
        tok = p.peek()
        if tok is not None and (
            tok.kind == "quoted" or (tok.kind == "word" and tok.word not in RESERVED)
        ):
            p.i += 1
            kind = fold(dequote(tok.raw))
            if kind not in ("stored", "virtual"):
                b.fail(f'error in generated column "{col.name}"')
            col.stored = kind == "stored"
        b.generated.append((col.name, inner))

    def references(
        self, p: Parser, b: TableBuilder, local: list[str], owner: str | None, origin: Origin
    ) -> None:
        """``REFERENCES nm [(cols)] refargs``: a foreign key with its actions."""
        parent = p.name()
        ref_columns: list[str] = []
        if p.at_op("("):
            opened, closed = p.group()
            ref_columns = [self.plain_name(item) for item in p.items(opened, closed)]
        actions = {"DELETE": "NO ACTION", "UPDATE": "NO ACTION"}
        while True:
            if p.take("MATCH"):
                p.name()
            elif p.take("ON"):
                event = p.expect("INSERT", "DELETE", "UPDATE")
                if p.take("SET"):
                    action = "SET " + p.expect("NULL", "DEFAULT")
                elif p.take("NO"):
                    p.expect("ACTION")
                    action = "NO ACTION"
                else:
                    action = p.expect("CASCADE", "RESTRICT")
                actions[event] = action
            else:
                break
        if owner is not None and len(ref_columns) > 1:
            b.fail(f"foreign key on {owner} should reference only one column of table {parent}")
            return
        if ref_columns and len(ref_columns) != len(local):
            b.fail(
                "number of columns in foreign key does not match the number of columns "
                "in the referenced table"
            )
            return
        columns: list[str] = []
        for name in local:
            col = b.column(name)
            if col is None:
                b.fail(f'unknown column "{name}" in foreign key definition')
                return
            columns.append(col.name)
        fk = ForeignKey(
            None,
            tuple(columns),
            parent,
            tuple(ref_columns),
            None,
            actions["DELETE"],
            actions["UPDATE"],
            origin,
        )
        b.fks.append((fk, owner))


def term(p: Parser) -> bool:
    """``term``: NULL, a number, a string, a blob or CURRENT_*; consumed if present."""
    tok = p.peek()
    if tok is None:
        return False
    if tok.is_op(".") and (nxt := p.peek(1)) is not None and nxt.kind == "number":
        p.i += 2  # sqlglot splits ".5"
        return True
    if tok.kind in ("number", "string", "blob") or tok.word in ("NULL", *_CTIME):
        p.i += 1
        return True
    return False


def defer(p: Parser) -> None:
    """``[NOT] DEFERRABLE [INITIALLY ...]`` after a foreign key: read and ignored."""
    if p.take("NOT"):
        p.expect("DEFERRABLE")
        initially(p)
    elif p.take("DEFERRABLE"):
        initially(p)


def initially(p: Parser) -> None:
    """``INITIALLY DEFERRED | IMMEDIATE``: read and ignored."""
    if p.take("INITIALLY"):
        p.expect("DEFERRED", "IMMEDIATE")


def _constant(tokens: list[Tok]) -> bool:
    """Whether a parenthesised default is a literal SQLite can evaluate when it adds a
    column to a table with rows (``sqlite3ValueFromExpr``): a signed literal, in parens."""
    toks = [t for t in tokens if not (t.is_op("(") or t.is_op(")"))]
    if toks and (toks[0].is_op("+") or toks[0].is_op("-")):
        toks = toks[1:]
    if len(toks) == 2 and toks[0].is_op(".") and toks[1].kind == "number":
        return True
    return len(toks) == 1 and (
        toks[0].kind in ("number", "string", "blob") or toks[0].word in ("NULL", "TRUE", "FALSE")
    )
