"""The Prisma Schema Language parser: one behaviour per test, then properties.

Each test parses a small schema written in the style real projects use and checks the AST
(readers/prisma/ast.py) node by node: values, lines, documentation, and for broken input
the located errors and the blocks that are still read.
"""

from __future__ import annotations

import functools
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dbdrift.readers.prisma import parser as parser_module
from dbdrift.readers.prisma.ast import Arg, Attribute, Block, Call, FieldType, Ident, PrismaFile
from dbdrift.readers.prisma.parser import parse_file

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate_prisma import generate_schema as generate

PATH = "prisma/schema.prisma"

SHOP = """\
// The shop's database.
generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["multiSchema", "fullTextSearchPostgres"]
  binaryTargets   = ["native", "debian-openssl-3.0.x"]
}

datasource db {
  provider   = "postgresql"
  url        = env("DATABASE_URL")
  directUrl  = env("DIRECT_URL")
  schemas    = ["public", "billing"]
  extensions = [pg_trgm, pgcrypto(schema: "extensions"), postgis(version: "3.4")]
}

/// A customer account.
model User {
  id        String    @id @default(dbgenerated("gen_random_uuid()")) @db.Uuid
  /// Login name, unique per tenant.
  email     String    @unique @db.VarChar(320)
  name      String?
  role      Role      @default(CUSTOMER)
  balance   Decimal   @default(0) @db.Decimal(12, 2)
  orders    Order[]
  createdAt DateTime  @default(now()) @map("created_at") @db.Timestamptz(6)
  updatedAt DateTime  @updatedAt @map("updated_at")

  @@index([email(ops: raw("gin_trgm_ops"))], type: Gin, map: "users_email_trgm")
  @@map("users")
  @@schema("public")
}

model Order {
  id       Int      @id @default(autoincrement())
  number   BigInt   @default(sequence(start: 1000, increment: 1))
  userId   String   @db.Uuid
  user     User @relation(fields: [userId], references: [id], onDelete: Cascade, onUpdate: NoAction)
  total    Float    @default(-0.5)
  lines    Json     @default("[]")
  tags     String[] @default([])
  position Unsupported("point")?

  @@unique([userId, number], name: "user_number", map: "orders_user_number_key")
  @@index([createdAt(sort: Desc), total])
  @@schema("billing")
  createdAt DateTime @default(now())
}

enum Role {
  CUSTOMER @map("customer")
  ADMIN    @map("admin")

  @@map("roles")
  @@schema("public")
}

type Address {
  street String
  city   String?
}

view Revenue {
  userId String  @unique @db.Uuid
  total  Decimal
}
"""


def parse(text: str, path: str = PATH) -> PrismaFile:
    return parse_file(path, text)


def only_block(text: str) -> Block:
    parsed = parse(text)
    assert parsed.errors == ()
    assert len(parsed.blocks) == 1, parsed.blocks
    return parsed.blocks[0]


def model(body: str, name: str = "M") -> Block:
    return only_block(f"model {name} {{\n{body}\n}}\n")


def field_attribute(line: str, attribute: str) -> Attribute:
    block = model(f"  id Int @id\n  f {line}")
    found = block.field("f").attribute(attribute)
    assert found is not None, block.field("f")
    return found


def default_of(line: str) -> object:
    return field_attribute(line, "default").arg("value", 0)


def one_error(text: str) -> tuple[PrismaFile, object]:
    parsed = parse(text)
    assert len(parsed.errors) == 1, parsed.errors
    return parsed, parsed.errors[0]


# ------------------------------------------------------------------ datasource, generator


def test_the_shop_schema_parses_without_errors() -> None:
    parsed = parse(SHOP)
    assert parsed.errors == ()
    assert [(b.kind, b.name) for b in parsed.blocks] == [
        ("generator", "client"),
        ("datasource", "db"),
        ("model", "User"),
        ("model", "Order"),
        ("enum", "Role"),
        ("type", "Address"),
        ("view", "Revenue"),
    ]
    assert all(b.path == PATH for b in parsed.blocks)


def test_datasource_strings_and_env_calls() -> None:
    (_, datasource, *_) = parse(SHOP).blocks
    assert datasource.property("provider") == "postgresql"
    assert datasource.property("url") == Call("env", (Arg(None, "DATABASE_URL"),))
    assert datasource.property("schemas") == ("public", "billing")


def test_datasource_extensions_are_identifiers_and_calls() -> None:
    (_, datasource, *_) = parse(SHOP).blocks
    assert datasource.property("extensions") == (
        Ident("pg_trgm"),
        Call("pgcrypto", (Arg("schema", "extensions"),)),
        Call("postgis", (Arg("version", "3.4"),)),
    )


def test_generator_string_arrays() -> None:
    generator = parse(SHOP).blocks[0]
    assert generator.property("previewFeatures") == ("multiSchema", "fullTextSearchPostgres")
    assert generator.property("binaryTargets") == ("native", "debian-openssl-3.0.x")


def test_property_booleans_and_numbers() -> None:
    block = only_block(
        'generator g {\n  provider = "x"\n  flag = true\n  off = false\n  n = 3\n}\n'
    )
    assert (block.property("flag"), block.property("off"), block.property("n")) == (True, False, 3)


# ------------------------------------------------------------------------ fields, types


def test_fields_in_order_with_their_types() -> None:
    user = parse(SHOP).blocks[2]
    assert [f.name for f in user.fields] == [
        "id",
        "email",
        "name",
        "role",
        "balance",
        "orders",
        "createdAt",
        "updatedAt",
    ]
    assert user.field("role").type == FieldType("Role")


def test_optional_type() -> None:
    assert model("  id Int @id\n  name String?").field("name").type == FieldType("String", True)


def test_list_type() -> None:
    field = model("  id Int @id\n  tags String[]").field("tags")
    assert field.type == FieldType("String", optional=False, list=True)


def test_unsupported_type() -> None:
    field = model('  id Int @id\n  area Unsupported("polygon")').field("area")
    assert field.type == FieldType("Unsupported", unsupported="polygon")


def test_optional_unsupported_type_with_parentheses_inside() -> None:
    field = model('  id Int @id\n  geom Unsupported("geometry(Point, 4326)")?').field("geom")
    assert field.type == FieldType("Unsupported", True, False, "geometry(Point, 4326)")


def test_spaces_before_the_optional_and_list_marks() -> None:
    block = model("  id Int @id\n  a Int ?\n  b Int []")
    assert (block.field("a").type.optional, block.field("b").type.list) == (True, True)


def test_fields_named_like_keywords_even_at_column_one() -> None:
    block = only_block("model Car {\nid Int @id\ntype String\nmodel String\nenum Int\n}\n")
    assert [f.name for f in block.fields] == ["id", "type", "model", "enum"]


def test_blocks_named_like_keywords() -> None:
    block = only_block("model type {\n  id Int @id\n}\n")
    assert (block.kind, block.name) == ("model", "type")


def test_unicode_names() -> None:
    block = model("  id Int @id\n  größe Int", name="Maß")
    assert (block.name, block.fields[1].name) == ("Maß", "größe")


# --------------------------------------------------------------------------- attributes


def test_attributes_without_arguments() -> None:
    block = model("  id Int @id @unique @updatedAt @ignore")
    assert [(a.name, a.args) for a in block.field("id").attributes] == [
        ("id", ()),
        ("unique", ()),
        ("updatedAt", ()),
        ("ignore", ()),
    ]


def test_empty_argument_list() -> None:
    assert field_attribute("Int @unique()", "unique").args == ()


def test_native_type_keeps_its_namespace_and_arguments() -> None:
    user = parse(SHOP).blocks[2]
    assert user.field("email").attribute("db.VarChar").args == (Arg(None, 320),)
    assert user.field("id").attribute("db.Uuid").args == ()
    assert user.field("balance").attribute("db.Decimal").args == (Arg(None, 12), Arg(None, 2))


def test_any_namespaced_attribute() -> None:
    block = model("  id Int @id @x.y.z(1)\n\n  @@ns.attr(a: [b])")
    assert block.field("id").attribute("x.y.z").args == (Arg(None, 1),)
    assert block.attribute("ns.attr").args == (Arg("a", (Ident("b"),)),)


def test_space_between_at_and_attribute_name() -> None:
    block = model('  id Int @ id\n\n  @@ map("m")')
    assert block.field("id").attribute("id") is not None
    assert block.attribute("map").arg("name", 0) == "m"


def test_relation_arguments() -> None:
    order = parse(SHOP).blocks[3]
    relation = order.field("user").attribute("relation")
    assert relation.args == (
        Arg("fields", (Ident("userId"),)),
        Arg("references", (Ident("id"),)),
        Arg("onDelete", Ident("Cascade")),
        Arg("onUpdate", Ident("NoAction")),
    )


def test_relation_name_is_positional() -> None:
    attribute = field_attribute(
        'M? @relation("Mentor", fields: [id], references: [id])', "relation"
    )
    assert attribute.arg("name", 0) == "Mentor"
    assert attribute.arg("fields") == (Ident("id"),)


def test_block_attributes_in_order() -> None:
    order = parse(SHOP).blocks[3]
    assert [a.name for a in order.attributes] == ["unique", "index", "schema"]


def test_compound_unique_with_name_and_map() -> None:
    unique = parse(SHOP).blocks[3].attribute("unique")
    assert unique.args == (
        Arg(None, (Ident("userId"), Ident("number"))),
        Arg("name", "user_number"),
        Arg("map", "orders_user_number_key"),
    )


def test_index_fields_with_sort_and_length() -> None:
    index = model("  id Int @id\n  a String\n\n  @@index([a(sort: Desc, length: 10), id])")
    assert index.attribute("index").args == (
        Arg(
            None,
            (Call("a", (Arg("sort", Ident("Desc")), Arg("length", 10))), Ident("id")),
        ),
    )


def test_index_type_and_operator_class() -> None:
    block = model("  id Int @id\n  data Json\n\n  @@index([data(ops: JsonbPathOps)], type: Gin)")
    index = block.attribute("index")
    assert index.arg("fields", 0) == (Call("data", (Arg("ops", Ident("JsonbPathOps")),)),)
    assert index.arg("type") == Ident("Gin")


def test_composite_id_ignore_fulltext_and_schema() -> None:
    block = model(
        "  a Int\n  b Int\n  t String\n\n"
        '  @@id([a, b], name: "ab", map: "m_pk")\n  @@fulltext([t])\n  @@ignore\n  @@schema("x")'
    )
    assert [a.name for a in block.attributes] == ["id", "fulltext", "ignore", "schema"]
    assert block.attribute("id").arg("fields", 0) == (Ident("a"), Ident("b"))


# ------------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("autoincrement()", Call("autoincrement")),
        ("now()", Call("now")),
        ("uuid(7)", Call("uuid", (Arg(None, 7),))),
        ("cuid(2)", Call("cuid", (Arg(None, 2),))),
        (
            'dbgenerated("gen_random_uuid()")',
            Call("dbgenerated", (Arg(None, "gen_random_uuid()"),)),
        ),
        ("sequence(start: 1)", Call("sequence", (Arg("start", 1),))),
        ("ADMIN", Ident("ADMIN")),
        ("true", True),
        ("false", False),
        ("[]", ()),
        ("[ ]", ()),
        ('["a", "b"]', ("a", "b")),
        ("[1, 2]", (1, 2)),
    ],
)
def test_default_values(written: str, value: object) -> None:
    assert default_of(f"Int @default({written})") == value


@pytest.mark.parametrize(
    ("written", "value"),
    [("0", 0), ("42", 42), ("-7", -7), ("9007199254740993", 9007199254740993)],
)
def test_integers(written: str, value: int) -> None:
    found = default_of(f"BigInt @default({written})")
    assert (found, type(found)) == (value, int)


@pytest.mark.parametrize(
    "written", ["1.5", "-0.25", "10.0", "0.10", "12345678901234567890.123456789"]
)
def test_fractions_keep_their_digits_as_written(written: str) -> None:
    found = default_of(f"Decimal @default({written})")
    assert (str(found), type(found)) == (written, Decimal)


@pytest.mark.parametrize(
    ("written", "value"),
    [
        (r'"plain"', "plain"),
        (r'"a\"b"', 'a"b'),
        (r'"back\\slash"', "back\\slash"),
        (r'"tab\tnew\nline"', "tab\tnew\nline"),
        (r'"\/\b\f\r"', "/\b\f\r"),
        (r'"caf\u00e9"', "café"),
        (r'"\ud83d\ude00"', "\U0001f600"),
        (r'"ünïcödé"', "ünïcödé"),
        (r'"/// not a comment"', "/// not a comment"),
        (r'""', ""),
    ],
)
def test_string_escapes(written: str, value: str) -> None:
    assert default_of(f"String @default({written})") == value


# ------------------------------------------------------------------------------ layouts


def test_comments_are_skipped_everywhere() -> None:
    block = only_block(
        "model M { // trailing after the brace\n"
        "  // a comment line\n"
        "  id Int @id // trailing\n"
        "  /* a block\n     comment */\n"
        "  name String /* inline */\n"
        "} // after the block\n"
    )
    assert [f.name for f in block.fields] == ["id", "name"]


def test_tabs_and_unicode_spaces_separate_tokens() -> None:
    block = only_block("model\tM\t{\n\tid\u00a0Int\u2003@id\n}\n")
    assert block.field("id").attribute("id") is not None


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_ends_keep_lines(newline: str) -> None:
    text = newline.join(["", "model M {", "", "  id Int @id", "  b Int", "}", ""])
    block = only_block(text)
    assert (block.line, [f.line for f in block.fields]) == (2, [4, 5])


def test_blank_lines_and_indentation_anywhere() -> None:
    block = only_block('\n\n   model M {\n\n\n      id Int @id\n\n   @@map("m")\n\n      }\n\n')
    assert (block.line, block.fields[0].line, block.attributes[0].line) == (3, 6, 8)


def test_no_newline_at_the_end_of_the_file() -> None:
    assert only_block("model M {\n  id Int @id\n}").name == "M"


def test_a_block_may_open_right_after_another_closes() -> None:
    parsed = parse("model A {\n  id Int @id\n} model B {\n  id Int @id\n}\n")
    assert ([b.name for b in parsed.blocks], parsed.errors) == (["A", "B"], ())


def test_empty_file_and_comments_only() -> None:
    assert parse("") == PrismaFile(PATH)
    assert parse("// nothing\n/// here\n\n") == PrismaFile(PATH)


# --------------------------------------------------------------------------------- lines


def test_every_node_keeps_its_line() -> None:
    parsed = parse(SHOP)
    generator, datasource, user, order, role, *_ = parsed.blocks
    assert (generator.line, datasource.line, user.line, role.line) == (2, 8, 17, 49)
    assert [p.line for p in datasource.properties] == [9, 10, 11, 12, 13]
    assert [(f.name, f.line) for f in user.fields[:2]] == [("id", 18), ("email", 20)]
    assert [a.line for a in user.field("id").attributes] == [18, 18, 18]
    assert [a.line for a in user.attributes] == [28, 29, 30]
    assert [(v.name, v.line) for v in role.values] == [("CUSTOMER", 50), ("ADMIN", 51)]
    assert [a.line for a in role.attributes] == [53, 54]
    assert order.field("createdAt").line == 46  # a field after the block attributes


# ---------------------------------------------------------------------------------- docs


def test_doc_comment_above_a_block() -> None:
    assert parse(SHOP).blocks[2].doc == "A customer account."


def test_doc_lines_are_joined_and_left_stripped() -> None:
    block = only_block("///   First line.\n///Second line.  \nmodel M {\n  id Int @id\n}\n")
    assert block.doc == "First line.\nSecond line.  "


def test_plain_comment_is_no_documentation() -> None:
    assert parse(SHOP).blocks[0].doc is None


def test_doc_separated_by_a_blank_line_is_not_attached() -> None:
    assert only_block("/// floating\n\nmodel M {\n  id Int @id\n}\n").doc is None


def test_plain_comment_lines_inside_a_doc_block() -> None:
    block = only_block("/// a\n// not documentation\n/// b\nmodel M {\n  id Int @id\n}\n")
    assert block.doc == "a\nb"


def test_block_comment_above_a_block_is_documentation() -> None:
    assert only_block("/* Documented\n   twice */\nmodel M {\n  id Int @id\n}\n").doc == (
        "Documented\n   twice"
    )


def test_field_doc_above_it() -> None:
    assert parse(SHOP).blocks[2].field("email").doc == "Login name, unique per tenant."


def test_field_doc_above_and_trailing_are_joined() -> None:
    block = model("  /// above\n  id Int @id /// trailing")
    assert block.field("id").doc == "above\ntrailing"


def test_field_doc_survives_blank_lines_and_block_attributes() -> None:
    block = model('  id Int @id\n\n  /// for b\n\n  @@map("m")\n  b Int')
    assert block.field("b").doc == "for b"


def test_field_doc_is_taken_by_the_next_field_only() -> None:
    block = model("  /// for a\n  a Int @id\n  b Int")
    assert (block.field("a").doc, block.field("b").doc) == ("for a", None)


def test_the_last_comment_block_before_a_field_wins() -> None:
    block = model("  id Int @id\n  /// old\n\n  // plain\n  b Int")
    assert block.field("b").doc is None


def test_trailing_plain_comment_is_no_documentation() -> None:
    assert model("  id Int @id // plain").field("id").doc is None


# ------------------------------------------------------------------------ errors, recovery


def test_syntax_error_is_located_with_an_excerpt() -> None:
    text = 'model Post {\n  id    Int    @id\n  title String @default("x" }\n}\n'
    _, error = one_error(text)
    assert error.message == ('unexpected "}" in model Post: "  title String @default("x" }"')
    assert (error.origin.path, error.origin.line, error.column) == (PATH, 3, 29)


def test_a_broken_model_between_two_good_ones() -> None:
    text = (
        "model A {\n  id Int @id\n}\n\n"
        'model Post {\n  id Int @id\n  title String @default("x" }\n  body String\n}\n\n'
        "model C {\n  id Int @id\n}\n"
    )
    parsed, error = one_error(text)
    assert [(b.name, b.line) for b in parsed.blocks] == [("A", 1), ("C", 11)]
    assert error.origin.line == 7


def test_several_broken_blocks_each_give_one_error() -> None:
    broken = "model B{n} {{\n  id Int @id @default(\n}}\n"
    good = "model G{n} {{\n  id Int @id\n}}\n"
    text = "".join(broken.format(n=n) + good.format(n=n) for n in range(3))
    parsed = parse(text)
    assert [b.name for b in parsed.blocks] == ["G0", "G1", "G2"]
    assert [e.origin.line for e in parsed.errors] == [2, 8, 14]


def test_unterminated_string() -> None:
    text = 'model A {\n  id Int @id\n  s String @default("abc)\n}\nmodel B {\n  id Int @id\n}\n'
    parsed, error = one_error(text)
    assert error.message.startswith('unterminated string "abc) in model A: ')
    assert (error.origin.line, error.column) == (3, 21)
    assert [b.name for b in parsed.blocks] == ["B"]


def test_invalid_escape_in_a_string() -> None:
    _, error = one_error('model A {\n  id Int @id\n  s String @default("C:\\Users")\n}\n')
    assert error.message.startswith('invalid string "C:\\Users"')
    assert (error.origin.line, error.column) == (3, 21)


def test_unknown_top_level_keyword() -> None:
    text = "model A {\n  id Int @id\n}\nentity B {\n  x Int\n}\nmodel C {\n  id Int @id\n}\n"
    parsed, error = one_error(text)
    assert error.message.startswith('unknown block type "entity" (expected one of: model,')
    assert (error.origin.line, error.column) == (4, 1)
    assert [b.name for b in parsed.blocks] == ["A", "C"]


def test_keyword_glued_to_the_name_is_no_keyword() -> None:
    _, error = one_error("modelA {\n  id Int @id\n}\n")
    assert error.message.startswith('unknown block type "modelA"')


def test_stray_line_at_top_level() -> None:
    parsed, error = one_error("model A {\n  id Int @id\n}\n  oops\nmodel B {\n  id Int @id\n}\n")
    assert error.message == 'unexpected "oops" at top level: "  oops"'
    assert [b.name for b in parsed.blocks] == ["A", "B"]


def test_block_never_closed_before_the_end_of_the_file() -> None:
    parsed, error = one_error("model A {\n  id Int @id\n}\n\nmodel B {\n  id Int @id\n")
    assert error.message == (
        'model B is never closed: no "}" before the end of the file: "model B {"'
    )
    assert (error.origin.line, error.column) == (5, 1)
    assert [b.name for b in parsed.blocks] == ["A"]


def test_block_never_closed_before_the_next_block() -> None:
    parsed, error = one_error("model A {\n  id Int @id\n\nmodel B {\n  id Int @id\n}\n")
    assert error.message == (
        'model A is never closed: a new block starts at line 4 before its "}": "model A {"'
    )
    assert error.origin.line == 1
    assert [b.name for b in parsed.blocks] == ["B"]


def test_arguments_over_several_lines() -> None:
    _, error = one_error("model A {\n  id Int @id\n  @@index([\n    id\n  ])\n}\n")
    assert "an attribute's arguments must stay on one line" in error.message
    assert (error.origin.line, error.column) == (3, 12)


def test_text_after_a_blocks_opening_brace() -> None:
    parsed = parse("model A {}\nmodel B { id Int @id\n}\nmodel C {\n  id Int @id\n}\n")
    assert [b.name for b in parsed.blocks] == ["C"]
    assert [(e.origin.line, e.column) for e in parsed.errors] == [(1, 10), (2, 11)]
    assert all('a block\'s "{" must end its line' in e.message for e in parsed.errors)


def test_closing_brace_after_a_field_on_the_same_line() -> None:
    _, error = one_error("model A {\n  id Int @id }\n")
    assert (error.origin.line, error.column) == (2, 14)


def test_colon_after_a_field_name() -> None:
    _, error = one_error("model A {\n  id: Int @id\n}\n")
    assert 'a field is "name Type", without ":"' in error.message


def test_type_alias() -> None:
    parsed, error = one_error("type Id = String\nmodel A {\n  id Int @id\n}\n")
    assert "type aliases are not supported" in error.message
    assert [b.name for b in parsed.blocks] == ["A"]


def test_property_without_a_value() -> None:
    _, error = one_error("generator client {\n  provider =\n}\n")
    assert error.message.startswith("unexpected end of line (a property is")


def test_optional_list_is_an_error_but_the_model_is_kept() -> None:
    parsed, error = one_error("model A {\n  id Int @id\n  tags String[]?\n}\n")
    assert error.message == "optional lists are not supported in model A: use String[] or String?"
    assert error.origin.line == 3
    assert parsed.blocks[0].field("tags").type == FieldType("String", True, True)


def test_unterminated_block_comment() -> None:
    # Prisma, too, reads no comment without its "*/": the line is an error, the next block
    # is read.
    parsed, error = one_error("model A {\n  id Int @id\n}\n/* never closed\nmodel B {\n}\n")
    assert error.message.startswith('unterminated comment: "/*" without "*/"')
    assert (error.origin.line, [b.name for b in parsed.blocks]) == (4, ["A", "B"])


def test_long_lines_are_cut_around_the_error() -> None:
    padding = ", ".join(f"f{i}" for i in range(40))
    _, error = one_error(f"model A {{\n  id Int @id\n  @@index([{padding}] }}\n}}\n")
    excerpt = error.message.split(": ", 1)[1]
    assert excerpt.startswith('"…') and excerpt.endswith('"')
    assert "] }" in excerpt
    assert len(excerpt) <= parser_module.EXCERPT + 4


def test_control_characters_are_escaped_in_messages() -> None:
    _, error = one_error("model A {\n  id Int @id\x00\n}\n")
    assert "\x00" not in error.message
    assert '"\\x00"' in error.message


def test_errors_are_sorted_by_line() -> None:
    parsed = parse("model A {\n  x Int[]?\n}\nmodel B {\n  y Int @default(\n}\n")
    assert [e.origin.line for e in parsed.errors] == [2, 5]


# ------------------------------------------------------------------ the two lexers agree


@functools.cache
def lark_parser() -> object:
    return parser_module.lark_lexer_parser()


def lark_blocks(text: str) -> object:
    return lark_parser().parse(text)


def own_blocks(text: str) -> object:
    lines = parser_module._Lines(text)
    return parser_module._parser().parse(parser_module._tokenize(text, lines))


def test_own_tokenizer_agrees_with_larks_lexer_on_the_shop() -> None:
    assert own_blocks(SHOP) == lark_blocks(SHOP)


def test_own_tokenizer_agrees_with_larks_lexer_on_a_large_schema() -> None:
    text = generate(40, seed=3)
    assert own_blocks(text) == lark_blocks(text)


def test_the_benchmark_schema_is_valid() -> None:
    parsed = parse(generate(300))
    assert parsed.errors == ()
    assert sum(b.kind == "model" for b in parsed.blocks) == 300


# ------------------------------------------------------------------------------ properties

ALPHABET = st.sampled_from(
    [
        "model",
        "enum",
        "type",
        "view",
        "datasource",
        "generator",
        " M ",
        "id",
        " Int",
        "String",
        "?",
        "[]",
        "[",
        "]",
        "{",
        "}",
        "(",
        ")",
        ",",
        ":",
        "=",
        "@",
        "@@",
        "@id",
        "@db.VarChar(3)",
        "@default(",
        '"',
        '"x"',
        "\\",
        "1",
        "-2.5",
        "//",
        "///",
        "/*",
        "*/",
        "\n",
        "\r",
        " ",
        "\t",
        "Unsupported(",
        "\x00",
        "é",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    parsed = parse(text)
    assert all(1 <= e.origin.line <= text.count("\n") + text.count("\r") + 1 for e in parsed.errors)


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=80).map("".join))
def test_never_raises_on_token_soup(text: str) -> None:
    parsed = parse(text)
    assert isinstance(parsed, PrismaFile)
    assert all(isinstance(e.origin.line, int) for e in parsed.errors)


SMALL = generate(6, seed=1)


@functools.cache
def original_of(text: str) -> PrismaFile:
    return parse(text)


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, int]:
    """A valid schema with one random edit, and the offset where the edit is."""
    text = draw(st.sampled_from([SHOP, SMALL]))
    at = draw(st.integers(0, len(text) - 1))
    edit = draw(st.sampled_from(["delete", "insert", "replace"]))
    piece = draw(st.one_of(ALPHABET, st.characters()))
    if edit == "delete":
        return text[:at] + text[at + 1 :], at
    if edit == "insert":
        return text[:at] + piece + text[at:], at
    return text[:at] + piece + text[at + 1 :], at


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations())
def test_an_edit_never_raises_and_spares_the_blocks_before_it(mutated: tuple[str, int]) -> None:
    text, at = mutated
    parsed = parse(text)
    edit_line = text.count("\n", 0, at) + 1
    original = original_of(SHOP if text.startswith("// The shop") else SMALL)
    before = [b for b in original.blocks if _last_line(b) < edit_line - 1]
    assert list(parsed.blocks[: len(before)]) == before


def _last_line(block: Block) -> int:
    lines = [block.line]
    lines += [f.line for f in block.fields] + [v.line for v in block.values]
    lines += [p.line for p in block.properties] + [a.line for a in block.attributes]
    return max(lines) + 1  # the closing brace is on the next line in these schemas


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations())
def test_both_lexers_accept_the_same_edits_the_same_way(mutated: tuple[str, int]) -> None:
    text, _ = mutated
    if "\r" in text:  # lark counts lines by "\n" only; Prisma (and ours) by "\r" too
        return
    try:
        theirs = lark_blocks(text)
    except Exception:
        theirs = None
    try:
        ours = own_blocks(text)
    except Exception:
        ours = None
    assert ours == theirs
