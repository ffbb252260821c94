"""Parse one `.prisma` file into a `PrismaFile`, never raising, whatever the text.

The grammar (grammar.lark) is Prisma's own (prisma-engines, ``datamodel.pest``) written for
lark's LALR(1) parser, compiled once per process on first use.  A tokenizer of our own feeds
it: one regular expression over the whole text, and the one piece of context the grammar
needs from the lexer, that a keyword (``model``, ``type``...) is a keyword only where a block
may start.  That is several times faster than lark's own lexer, and tests check that both
produce the same tokens.

A syntax error becomes an `Error` with its line, its column and an excerpt of the line; the
parser then resumes at the next line that opens a block at column 1 (``model X {``), so the
blocks before and after the broken one are still returned.  ``///`` documentation comments
are attached as Prisma attaches them: a block takes the comment lines right above it, a
field the last comment lines above it inside its block and its own trailing ``///``.

Numbers are ints, or `Decimal`s that keep their digits as written (``0.10``), because
Prisma writes a default into the SQL as it was written.

Where this parser and Prisma differ, it is stricter and says so with an error: text after a
block's ``{`` on its first line (Prisma silently ignores it) and ``modelA {`` without a
space (Prisma reads ``model A``).  Like Prisma, it refuses an attribute's arguments spread
over several lines, trailing commas in arguments and names starting with ``_`` or a digit.
"""

from __future__ import annotations

import bisect
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedInput
from lark.lexer import Lexer

from dbdrift.readers.prisma.ast import (
    Arg,
    Attribute,
    Block,
    Call,
    EnumValue,
    Field,
    FieldType,
    Ident,
    PrismaFile,
    Property,
    Value,
)
from dbdrift.schema import Error, Origin

log = logging.getLogger(__name__)

GRAMMAR = Path(__file__).with_name("grammar.lark")

# The keywords that open a block; each is also the `Block.kind` it opens.
KEYWORDS = ("model", "view", "type", "enum", "datasource", "generator")

# The longest excerpt of a line an error message quotes.
EXCERPT = 72

# ------------------------------------------------------------------------------ tokenizer

_SPACE = r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
_BLOCK_COMMENT = r"/\*(?:[^*]|\*(?!/))*\*/"
_NEWLINE = r"\r\n|\r|\n"
_SKIP = rf"(?:{_SPACE}+|//[^\r\n]*|(?P<comment>{_BLOCK_COMMENT}))*+"
_NAME = r"[^\W\d_][\w-]*"
_PATH = rf"{_NAME}(?:\.{_NAME})*"
# What the grammar ignores (spaces, comments), then one token, typed by its group: `nl` is a
# line end with every blank or comment line after it, `bad` what no terminal matches (an
# unterminated string, a stray character), `end` the end of the text.
_TOKEN = re.compile(
    rf"""
    {_SKIP}
    (?:
      (?P<NAME>(?!Unsupported\(){_NAME}(?:\.{_NAME})*+)
    | (?P<nl>(?:(?:{_NEWLINE})(?:{_SPACE}+|//[^\r\n]*|{_BLOCK_COMMENT})*+)++)
    | (?P<UNSUPPORTED>Unsupported\()
    | (?P<STRING>"(?:[^"\\\x00-\x1f]++|\\["\\/bfnrt]|\\u[0-9a-fA-F]{{4}})*+")
    | (?P<NUMBER>-?[0-9]++(?:\.[0-9]+)?+)
    | (?P<BLOCK_ATTRIBUTE>@@{_SPACE}*{_PATH})
    | (?P<FIELD_ATTRIBUTE>@{_SPACE}*{_PATH})
    | (?P<punct>\[\]|[{{}}()\[\],:=?])
    | (?P<bad>"(?:[^"\\\r\n]|\\[^\r\n])*"?|/\*|.)
    | (?P<end>\Z)
    )
    """,
    re.VERBOSE | re.DOTALL,
)
_PUNCT = {
    "[]": "LIST",
    "{": "_LBRACE",
    "}": "_RBRACE",
    "(": "_LPAR",
    ")": "_RPAR",
    "[": "_LSQB",
    "]": "_RSQB",
    ",": "_COMMA",
    ":": "_COLON",
    "=": "_EQUAL",
    "?": "QMARK",
}
_KEYWORD_TYPES = {k: k.upper() for k in KEYWORDS}
_KEYWORD_NAMES = frozenset(_KEYWORD_TYPES.values())


class _Lines:
    """The offsets where lines start (after ``\n``, ``\r\n`` or ``\r``, as Prisma counts)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer(_NEWLINE, text)]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def line_text(self, line: int) -> str:
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def offset_of(self, line: int) -> int:
        return self.starts[line - 1]


_SPACES = " \t\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
_new = str.__new__


def _token(kind: str, value: str, pos: int | None, line: int | None, column: int | None) -> Token:
    """A lark `Token`, made without its constructor's argument handling (a third faster)."""
    token = _new(Token, value)
    token.type = kind
    token.value = value
    token.start_pos = pos
    token.line = line
    token.column = column
    token.end_line = token.end_column = token.end_pos = None
    return token


# Tokens that carry nothing but their type are shared when positions are not wanted.
_SHARED = {value: _token(kind, value, None, None, None) for value, kind in _PUNCT.items()}
_SHARED_NL = _token("_NL", "\n", None, None, None)


def _tokenize(text: str, lines: _Lines, start: int = 0, positions: bool = False) -> Iterator[Token]:
    """Every token of `text` from offset `start`, typed as the grammar's terminals.

    A name is a keyword when it stands where a block may start: outside every brace, at
    the start of the text, after a line end or after a block's ``}``.  Anything the grammar
    has no terminal for becomes a ``BAD`` token, which the parser rejects where it stands.
    Punctuation and line ends are shared tokens without a position unless `positions` is
    set (the error path tokenizes again with them, to say where the error is).  Tokens are
    made as the parser asks for them, so a parse that stops early costs no more.
    """
    depth = 0
    block_may_start = True
    line = lines.line_of(start)
    line_start = lines.starts[line - 1]
    for match in _TOKEN.finditer(text, start):
        kind = match.lastgroup  # the token's group: it closes after the comments'
        pos, end = match.span(kind)
        if match.group("comment") is not None:  # a /* */ comment may hold line ends
            line, line_start = _advance(text[match.start() : pos], match.start(), line, line_start)
        value = text[pos:end]
        if kind == "NAME":
            if "." in value:
                kind = "PATH"
            elif block_may_start and depth == 0 and value in _KEYWORD_TYPES:
                kind = _KEYWORD_TYPES[value]
        elif kind == "nl":
            if depth == 0:
                block_may_start = True
            if positions:
                yield _token("_NL", value, pos, line, pos - line_start + 1)
            else:
                yield _SHARED_NL
            if "\r" in value or "/*" in value:
                line, line_start = _advance(value, pos, line, line_start)
            else:
                line += value.count("\n")
                line_start = pos + value.rfind("\n") + 1
            continue
        elif kind == "punct":
            if value == "{":
                depth += 1
            elif value == "}" and depth:
                depth -= 1
                if depth == 0:
                    block_may_start = True
                    yield _token("_RBRACE", value, pos, line, pos - line_start + 1)
                    continue
            block_may_start = False
            if positions:
                yield _token(_PUNCT[value], value, pos, line, pos - line_start + 1)
            else:
                yield _SHARED[value]
            continue
        elif kind == "end":
            break
        elif kind == "bad":
            kind = "BAD"
        block_may_start = False
        token = _new(Token, value)
        token.type = kind
        token.value = value
        token.start_pos = pos
        token.line = line
        token.column = pos - line_start + 1
        token.end_line = token.end_column = token.end_pos = None
        yield token
        if kind == "BAD" and value == "/*":
            break  # an unterminated comment runs to the end of the text


def _advance(value: str, pos: int, line: int, line_start: int) -> tuple[int, int]:
    """The line and line-start offset after `value`, which starts at offset `pos`."""
    count = value.count("\n") + value.count("\r") - value.count("\r\n")
    if not count:
        return line, line_start
    last = max(value.rfind("\n"), value.rfind("\r"))
    return line + count, pos + last + 1


# ---------------------------------------------------------------------------- the grammar


class _TokenFeed(Lexer):
    """Hands the parser the tokens `_tokenize` made (lark's custom-lexer interface)."""

    def __init__(self, conf: Any) -> None:
        pass

    def lex(self, data: Any) -> Any:
        return iter(data)


@dataclass(frozen=True, slots=True)
class _RawBlock:
    """A block as the grammar reduced it; `parse_file` adds the path and the documentation."""

    kind: str
    keyword: Token
    name: str
    members: tuple[Any, ...]


class _Build(Transformer):
    """Grammar rules -> AST nodes, called by the LALR parser as it reduces each rule."""

    def start(self, children: list[Any]) -> list[_RawBlock]:
        return children

    @staticmethod
    def _make(kind: str, children: list[Any]) -> _RawBlock:
        keyword, name, *members = children
        return _RawBlock(kind, keyword, str(name), tuple(members))

    def model(self, children: list[Any]) -> _RawBlock:
        return self._make("model", children)

    def view(self, children: list[Any]) -> _RawBlock:
        return self._make("view", children)

    def composite(self, children: list[Any]) -> _RawBlock:
        return self._make("type", children)

    def enum(self, children: list[Any]) -> _RawBlock:
        return self._make("enum", children)

    def datasource(self, children: list[Any]) -> _RawBlock:
        return self._make("datasource", children)

    def generator(self, children: list[Any]) -> _RawBlock:
        return self._make("generator", children)

    def field(self, children: list[Any]) -> Field:
        name, base, *rest = children
        optional = is_list = False
        attributes = []
        for item in rest:
            if isinstance(item, Attribute):
                attributes.append(item)
            elif item.type == "QMARK":
                optional = True
            else:
                is_list = True
        if isinstance(base, FieldType):  # Unsupported("...")
            type_ = FieldType(base.name, optional, is_list, base.unsupported)
        else:
            type_ = FieldType(str(base), optional, is_list)
        return Field(str(name), type_, tuple(attributes), None, name.line)

    def unsupported(self, children: list[Any]) -> FieldType:
        return FieldType("Unsupported", unsupported=_unescape(children[1]))

    def enum_value(self, children: list[Any]) -> EnumValue:
        name, *attributes = children
        return EnumValue(str(name), tuple(attributes), name.line)

    def property(self, children: list[Any]) -> Property:
        name, value = children
        return Property(str(name), value, name.line)

    def field_attribute(self, children: list[Any]) -> Attribute:
        token, *args = children
        name = token.lstrip("@").lstrip(_SPACES)
        return Attribute(name, args[0] if args else (), token.line)

    block_attribute = field_attribute

    def arguments(self, children: list[Any]) -> tuple[Arg, ...]:
        return tuple(c if isinstance(c, Arg) else Arg(None, c) for c in children)

    def named(self, children: list[Any]) -> Arg:
        name, value = children
        return Arg(str(name), value)

    def string(self, children: list[Any]) -> str:
        return _unescape(children[0])

    def number(self, children: list[Any]) -> int | Decimal:
        text = str(children[0])
        return Decimal(text) if "." in text else int(text)

    def constant(self, children: list[Any]) -> Value:
        name = str(children[0])
        if name in ("true", "false"):
            return name == "true"
        return Ident(name)

    def call(self, children: list[Any]) -> Call:
        name, args = children
        return Call(str(name), args)

    def array(self, children: list[Any]) -> tuple[Value, ...]:
        if len(children) == 1 and isinstance(children[0], Token) and children[0].type == "LIST":
            return ()
        return tuple(children)


_LARK: Lark | None = None


def _parser() -> Lark:
    """The compiled LALR parser, built on first use and shared (it keeps no state)."""
    global _LARK
    if _LARK is None:
        _LARK = Lark(
            GRAMMAR.read_text(encoding="utf-8"),
            parser="lalr",
            lexer=_TokenFeed,
            transformer=_Build(),
            maybe_placeholders=False,
        )
    return _LARK


def lark_lexer_parser() -> Lark:
    """The same grammar and tree builder with lark's own contextual lexer instead of
    `_tokenize`: tests check that both read every schema the same way."""
    return Lark(
        GRAMMAR.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        transformer=_Build(),
        maybe_placeholders=False,
    )


def _unescape(token: str) -> str:
    """The text of a JSON string literal (the grammar admits only JSON's escapes)."""
    if "\\" not in token:
        return str(token[1:-1])
    return json.loads(token)


# -------------------------------------------------------------------------------- parsing


def parse_file(path: str, text: str) -> PrismaFile:
    """The blocks of one `.prisma` file and its syntax errors, each with path and line."""
    lines = _Lines(text)
    blocks: list[_RawBlock] = []
    errors: list[Error] = []
    start: int | None = 0
    while start is not None:
        try:
            try:
                blocks.extend(_parser().parse(_tokenize(text, lines, start)))
                break
            except UnexpectedInput:
                start = _recover(path, lines, start, blocks, errors)
        except Exception as exc:  # a bug in dbdrift: reported where it happened, not raised
            log.exception("Prisma parser failed on %s", path)
            errors.append(Error(f"cannot parse: {exc!r}", Origin(path, lines.line_of(start))))
            break
    built, problems = _finish(path, lines, blocks)
    errors.extend(problems)
    errors.sort(key=lambda e: (e.origin.line, e.column or 0))
    return PrismaFile(path, tuple(built), tuple(errors))


def _recover(
    path: str, lines: _Lines, start: int, blocks: list[_RawBlock], errors: list[Error]
) -> int | None:
    """Record the error met parsing from `start`, keep the blocks before it, and return
    where to resume (None: nowhere).

    The text is parsed again up to the error with positioned tokens, to say where it is
    and in which block.  The blocks before the broken one are then parsed on their own
    (the failed parse returned nothing), and parsing resumes at the first line after the
    broken block's first line, and not before the error, that opens a block at column 1.
    """
    tokens: list[Token] = []
    try:
        _parser().parse(_tap(_tokenize(lines.text, lines, start, positions=True), tokens))
        return None  # cannot happen: the same tokens failed a moment ago
    except UnexpectedInput as exc:
        at_end = getattr(getattr(exc, "token", None), "type", None) == "$END"
        index = len(tokens) - (0 if at_end else 1)
        open_block = _open_block(exc)
    errors.append(_error(path, lines, tokens, index, open_block))
    where = tokens[index].start_pos if index < len(tokens) else len(lines.text)
    block_start = open_block[0].start_pos if open_block else where
    prefix = [t for t in tokens if t.start_pos < block_start]
    if prefix:
        try:
            blocks.extend(_parser().parse(prefix))
        except UnexpectedInput:  # the prefix was accepted once; never fail the file on it
            log.debug("Skipped the blocks before line %d", lines.line_of(block_start))
    return _resume_line(lines, lines.line_of(block_start), lines.line_of(where))


def _tap(tokens: Iterator[Token], seen: list[Token]) -> Iterator[Token]:
    """The tokens, each also appended to `seen` as the parser takes it."""
    for token in tokens:
        seen.append(token)
        yield token


def _open_block(exc: Exception) -> tuple[Token, str] | None:
    """The keyword and name of the block the parser was inside when it failed, if any.

    A block whose ``}`` the parser has already shifted is complete (it is reduced only when
    the next token is seen), so the error is then outside of it.
    """
    parser = getattr(exc, "interactive_parser", None)
    if parser is None:
        return None
    stack = parser.parser_state.value_stack
    if stack and isinstance(stack[-1], Token) and stack[-1].type == "_RBRACE":
        return None
    for i in range(len(stack) - 1, -1, -1):
        item = stack[i]
        if isinstance(item, Token) and item.type in _KEYWORD_NAMES:
            after = stack[i + 1] if i + 1 < len(stack) else None
            name = str(after) if isinstance(after, Token) and after.type == "NAME" else ""
            return item, name
    return None


_HEADER = re.compile(
    r"(?:" + "|".join(KEYWORDS) + r")" + _SPACE + r"+[^\W\d_][\w-]*[^\r\n]*\{", re.UNICODE
)


def _resume_line(lines: _Lines, block_line: int, error_line: int) -> int | None:
    """The offset of the first line opening a block at column 1 after the broken block."""
    for line in range(max(block_line + 1, error_line), len(lines.starts) + 1):
        if _HEADER.match(lines.line_text(line)):
            return lines.offset_of(line)
    return None


# ------------------------------------------------------------------------ error messages


def _error(
    path: str,
    lines: _Lines,
    tokens: list[Token],
    index: int,
    open_block: tuple[Token, str] | None,
) -> Error:
    """``unexpected "}" in model Post: "  title String @default("x" }"``, located.

    `index` is the refused token's position in `tokens` (their number: the end of the text).
    """
    token = tokens[index] if 0 <= index < len(tokens) else None
    where = " ".join(("in", *open_block)).rstrip() if open_block else "at top level"
    if open_block is not None:
        keyword, name = open_block
        never_closed = None
        if token is None:
            if any(t.type == "_LBRACE" for t in tokens if t.line == keyword.line):
                never_closed = 'no "}" before the end of the file'
        elif token.line > keyword.line and _HEADER.match(lines.line_text(token.line)):
            never_closed = f'a new block starts at line {token.line} before its "}}"'
        if never_closed:
            message = f"{keyword} {name} is never closed: {never_closed}"
            excerpt = _excerpt(lines, keyword.line, keyword.column)
            return Error(f"{message}: {excerpt}", Origin(path, keyword.line), keyword.column)
    if token is None:
        line = len(lines.starts)
        return Error(f"unexpected end of file {where}", Origin(path, line))
    what = _describe(token, open_block) + _hint(tokens, index, open_block)
    excerpt = _excerpt(lines, token.line, token.column)
    return Error(f"{what} {where}: {excerpt}", Origin(path, token.line), token.column)


def _describe(token: Token, open_block: tuple[Token, str] | None) -> str:
    """What the parser found, in words: an unexpected token, or a broken string."""
    value = str(token)
    if token.type == "BAD" and value.startswith('"'):
        if len(value) > 1 and value.endswith('"'):
            return f"invalid string {_clip(value, 40)} (only JSON escapes, no control characters)"
        return f"unterminated string {_clip(value, 40)}"
    if token.type == "BAD" and value == "/*":
        return 'unterminated comment: "/*" without "*/"'
    if token.type == "_NL":
        return "unexpected end of line"
    if open_block is None and token.type in ("NAME", "PATH") and token.column == 1:
        return f'unknown block type "{value}" (expected one of: {", ".join(KEYWORDS)})'
    return f'unexpected "{_clip(value, 40)}"'


def _hint(tokens: list[Token], index: int, open_block: tuple[Token, str] | None) -> str:
    """A word on the likely cause, for the mistakes Prisma's own messages single out."""
    token = tokens[index]
    previous = tokens[index - 1] if index else None
    kind = str(open_block[0]) if open_block else None
    if previous is not None and previous.type == "_LBRACE" and token.type != "_NL":
        return ' (a block\'s "{" must end its line)'
    if token.type == "_NL" and _unclosed_on_line(tokens, index):
        return " (an attribute's arguments must stay on one line)"
    if kind in ("model", "view", "type") and token.type == "_COLON":
        return ' (a field is "name Type", without ":")'
    if kind == "type" and token.type == "_EQUAL":
        return ' (type aliases are not supported; a composite type is "type Name { ... }")'
    if kind in ("datasource", "generator") and token.type == "_NL":
        return ' (a property is "name = value")'
    return ""


def _unclosed_on_line(tokens: list[Token], index: int) -> bool:
    """Whether a parenthesis or bracket opened on the line ending at `index` is still open."""
    depth = 0
    for token in reversed(tokens[:index]):
        if token.type == "_NL":
            break
        if token.type in ("_LPAR", "_LSQB", "UNSUPPORTED"):
            depth += 1
        elif token.type in ("_RPAR", "_RSQB"):
            depth -= 1
    return depth > 0


# Control characters are shown escaped in messages (a NUL byte would end a C string).
_VISIBLE = {c: f"\\x{c:02x}" for c in range(32) if c != 9} | {127: "\\x7f"}


def _clip(text: str, width: int) -> str:
    text = text.translate(_VISIBLE)
    return text if len(text) <= width else text[: width - 1] + "…"


def _excerpt(lines: _Lines, line: int, column: int | None = None) -> str:
    """The line, quoted; a long one cut to a window around `column`."""
    full = lines.line_text(line).rstrip()
    text = full
    if len(full) > EXCERPT:
        start = max(0, min((column or 1) - EXCERPT // 2, len(full) - EXCERPT))
        text = full[start : start + EXCERPT]
        text = ("…" if start else "") + text + ("…" if start + EXCERPT < len(full) else "")
    return '"' + text.translate(_VISIBLE) + '"'


# ------------------------------------------------------------------ blocks, docs, checks


def _finish(path: str, lines: _Lines, raw: list[_RawBlock]) -> tuple[list[Block], list[Error]]:
    """The `Block`s, with their path and documentation, and the errors the grammar allows.

    The grammar lets ``Type[]?`` through so that it can be named here (Prisma: "Optional
    lists are not supported").
    """
    docs = _Docs(lines) if "//" in lines.text or "/*" in lines.text else None
    blocks = []
    errors = []
    for item in sorted(raw, key=lambda b: b.keyword.start_pos):
        fields, values, properties, attributes = [], [], [], []
        previous = item.keyword.line
        for member in item.members:
            if isinstance(member, Field):
                if docs is not None:
                    doc = docs.for_field(member.line, previous)
                    if doc is not None:
                        member = replace(member, doc=doc)
                previous = member.line
                fields.append(member)
                if member.type.optional and member.type.list:
                    errors.append(
                        Error(
                            f"optional lists are not supported in {item.kind} {item.name}: "
                            f"use {member.type.name}[] or {member.type.name}?",
                            Origin(path, member.line),
                        )
                    )
            elif isinstance(member, EnumValue):
                values.append(member)
            elif isinstance(member, Property):
                properties.append(member)
            else:
                attributes.append(member)
        blocks.append(
            Block(
                kind=item.kind,
                name=item.name,
                path=path,
                line=item.keyword.line,
                fields=tuple(fields),
                values=tuple(values),
                properties=tuple(properties),
                attributes=tuple(attributes),
                doc=docs.for_block(item.keyword.line) if docs is not None else None,
            )
        )
    return blocks, errors


_COMMENTS = re.compile(
    r'"(?:[^"\\\r\n]|\\.)*"?'  # strings, skipped so that a "//" inside one is no comment
    r"|(?P<doc>///[^\r\n]*)"
    r"|(?P<line>//[^\r\n]*)"
    r"|(?P<block>" + _BLOCK_COMMENT + ")"
)


class _Docs:
    """The comments of a file by line, and Prisma's rules for attaching ``///`` docs.

    Prisma groups consecutive comment lines into a comment block; a block takes the comment
    block right above it, a field the last comment block since the previous field, plus its
    own trailing ``///``.  The text of a doc line is what follows ``///``, left-stripped;
    a ``/* */`` comment counts as documentation too (prisma-engines, parse_comments.rs).
    """

    def __init__(self, lines: _Lines) -> None:
        self.lines = lines
        self.own: dict[int, str | None] = {}  # comment-only line -> its doc text, if any
        self.trailing: dict[int, str] = {}  # line -> a trailing /// doc after code
        for match in _COMMENTS.finditer(lines.text):
            kind = match.lastgroup
            if kind is None:
                continue
            start = match.start()
            line = lines.line_of(start)
            before = lines.text[lines.starts[line - 1] : start]
            own_line = not before.strip()
            if kind == "block":
                text = match.group()[2:-2].strip()
                for covered in range(line + 1, lines.line_of(match.end() - 1) + 1):
                    self.own.setdefault(covered, None)  # inside the comment
            else:
                text = match.group()[3:].lstrip() if kind == "doc" else None
            if own_line:
                self.own[line] = text
            elif text is not None:
                self.trailing[line] = text

    def _run(self, last: int, floor: int) -> list[int]:
        """The comment lines of the comment block ending at line `last`, above `floor`."""
        run = []
        line = last
        while line > floor and line in self.own:
            run.append(line)
            line -= 1
        run.reverse()
        return run

    def _text(self, run: list[int]) -> str | None:
        parts = [self.own[line] for line in run if self.own[line] is not None]
        return "\n".join(parts) if parts else None

    def for_block(self, line: int) -> str | None:
        return self._text(self._run(line - 1, 0))

    def for_field(self, line: int, previous: int) -> str | None:
        above = None
        for candidate in range(line - 1, previous, -1):
            if candidate in self.own:
                above = self._text(self._run(candidate, previous))
                break
        trailing = self.trailing.get(line)
        if above is not None and trailing is not None:
            return f"{above}\n{trailing}"
        return above if above is not None else trailing
