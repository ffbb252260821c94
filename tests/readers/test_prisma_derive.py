"""The Prisma deriver: parsed blocks -> the tables Prisma Migrate creates, one behaviour per test.

Schemas are built by hand from the AST (ast.py) so these tests do not depend on the parser;
each expectation is what Prisma 7's schema engine wrote for the same schema and the database
then reported (see tests/test_oracle_prisma.py for whole schemas checked end to end).
"""

from __future__ import annotations

import decimal
from pathlib import Path
from typing import Any

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
from dbdrift.readers.prisma.derive import derive
from dbdrift.schema import Error, Origin, Schema, SourceRef, Table
from oracle.compare import project

PATH = "prisma/schema.prisma"

# Builders ---------------------------------------------------------------------------------


def at(name: str, *args: Value, line: int = 0, **named: Value) -> Attribute:
    """``@name(args..., key: value)`` (also ``@@name``: the AST keeps no ``@``)."""
    items = [Arg(None, a) for a in args] + [Arg(k, v) for k, v in named.items()]
    return Attribute(name, tuple(items), line)


def call(name: str, *args: Value) -> Call:
    return Call(name, tuple(Arg(None, a) for a in args))


def refs(*names: str) -> tuple[Ident, ...]:
    return tuple(Ident(n) for n in names)


def fld(name: str, type_: str, *attributes: Attribute, line: int = 0) -> Field:
    """A field; `type_` as written: ``String``, ``Int?``, ``Post[]``."""
    optional, is_list = type_.endswith("?"), type_.endswith("[]")
    base = type_.rstrip("?").removesuffix("[]")
    return Field(name, FieldType(base, optional, is_list), attributes, line=line)


def unsupported(name: str, text: str, *attributes: Attribute, optional: bool = True) -> Field:
    return Field(name, FieldType("Unsupported", optional, unsupported=text), attributes)


def model(name: str, *items: Field | Attribute, line: int = 1, kind: str = "model") -> Block:
    """A model; its fields get the lines after the block's own unless they carry one."""
    fields = tuple(
        f if f.line else Field(f.name, f.type, f.attributes, f.doc, line + i + 1)
        for i, f in enumerate(x for x in items if isinstance(x, Field))
    )
    attributes = tuple(x for x in items if isinstance(x, Attribute))
    return Block(kind, name, PATH, line, fields=fields, attributes=attributes)


def enum(name: str, *values: str | tuple[str, str], line: int = 1, **attrs: str) -> Block:
    items = tuple(
        EnumValue(v, ()) if isinstance(v, str) else EnumValue(v[0], (at("map", v[1]),))
        for v in values
    )
    attributes = tuple(at(k, v) for k, v in attrs.items())
    return Block("enum", name, PATH, line, values=items, attributes=attributes)


def datasource(provider: str, **props: Value) -> Block:
    properties = (Property("provider", provider), *(Property(k, v) for k, v in props.items()))
    return Block("datasource", "db", PATH, 100, properties=properties)


def read(provider: str, *blocks: Block, **props: Value) -> Schema:
    dialect = {"mysql": "mysql", "sqlite": "sqlite"}.get(provider, "postgresql")
    files = [PrismaFile(PATH, (datasource(provider, **props), *blocks))]
    return derive(files, SourceRef(PATH, "prisma", dialect, (PATH,)))


def table(schema: Schema, name: str) -> Table:
    found = next((t for t in schema.tables if t.name == name), None)
    assert found is not None, f"no table {name}: {[t.name for t in schema.tables]}"
    return found


def shape(schema: Schema, name: str, key: str | None = None) -> Any:
    """The oracle projection of one table (or one part of it)."""
    t = table(schema, name)
    projected = project(schema)["tables"][f"{t.schema}.{t.name}" if t.schema else t.name]
    return projected if key is None else projected[key]


def column(schema: Schema, table_name: str, name: str) -> list[Any]:
    return next(c for c in shape(schema, table_name, "columns") if c[0] == name)


def default(provider: str, type_: str, value: Value, *extra: Attribute) -> str | None:
    """The stored default of one column ``v <type_> @default(value)``."""
    schema = read(
        provider,
        model("T", fld("id", "Int", at("id")), fld("v", type_, at("default", value), *extra)),
    )
    assert not schema.errors, schema.errors
    return column(schema, "T", "v")[3]


ID = fld("id", "Int", at("id"))
SERIAL = fld("id", "Int", at("id"), at("default", call("autoincrement")))


# Tables and columns -------------------------------------------------------------------------


def test_columns_in_field_order_without_relation_fields() -> None:
    schema = read(
        "postgresql",
        model("User", ID, fld("posts", "Post[]"), fld("name", "String")),
        model(
            "Post",
            ID,
            fld("authorId", "Int"),
            fld("author", "User", at("relation", fields=refs("authorId"), references=refs("id"))),
        ),
    )
    assert [c[0] for c in shape(schema, "Post", "columns")] == ["id", "authorId"]


def test_optional_field_is_nullable() -> None:
    schema = read("postgresql", model("T", ID, fld("a", "String?"), fld("b", "String")))
    assert [c[2] for c in shape(schema, "T", "columns")] == [False, True, False]


def test_map_renames_the_column() -> None:
    schema = read("postgresql", model("T", ID, fld("fullName", "String", at("map", "full_name"))))
    assert column(schema, "T", "full_name")[0] == "full_name"


def test_map_keeps_the_field_name_as_attr() -> None:
    schema = read("postgresql", model("T", ID, fld("fullName", "String", at("map", "full_name"))))
    assert table(schema, "T").column("full_name").attr == "fullName"  # type: ignore[union-attr]


def test_unmapped_column_has_no_attr() -> None:
    schema = read("postgresql", model("T", ID, fld("name", "String")))
    assert table(schema, "T").column("name").attr is None  # type: ignore[union-attr]


def test_model_map_renames_the_table() -> None:
    schema = read("postgresql", model("User", ID, at("map", "users")))
    assert [t.name for t in schema.tables] == ["users"]


def test_postgres_tables_are_in_public() -> None:
    assert read("postgresql", model("T", ID)).tables[0].schema == "public"


def test_a_literal_url_names_the_schema() -> None:
    schema = read("postgresql", model("T", ID), url="postgresql://u@h/db?schema=app")
    assert schema.tables[0].schema == "app"


def test_schema_attribute_places_the_table() -> None:
    schema = read("postgresql", model("T", ID, at("schema", "auth")), schemas=("auth", "public"))
    assert schema.tables[0].schema == "auth"


def test_missing_schema_attribute_is_an_error_with_schemas() -> None:
    schema = read("postgresql", model("T", ID, line=7), schemas=("auth",))
    assert [e.origin for e in schema.errors] == [Origin(PATH, 7)]


def test_mysql_tables_have_no_schema() -> None:
    assert read("mysql", model("T", ID)).tables[0].schema is None


def test_sqlite_tables_have_no_schema() -> None:
    assert read("sqlite", model("T", ID)).tables[0].schema is None


def test_ignored_model_is_still_created() -> None:
    # Prisma Migrate creates @@ignore'd models; only Prisma Client skips them.
    schema = read("postgresql", model("Legacy", ID, at("ignore")))
    assert [t.name for t in schema.tables] == ["Legacy"]


def test_ignored_field_is_still_a_column() -> None:
    schema = read("postgresql", model("T", ID, fld("old", "String", at("ignore"))))
    assert [c[0] for c in shape(schema, "T", "columns")] == ["id", "old"]


def test_view_is_a_note_not_a_table() -> None:
    schema = read(
        "postgresql",
        model("T", ID),
        model("Totals", fld("id", "Int", at("unique")), kind="view", line=9),
    )
    assert ([t.name for t in schema.tables], [(n.kind, n.origin) for n in schema.notes]) == (
        ["T"],
        [("view", Origin(PATH, 9))],
    )


def test_scalar_list_is_a_nullable_array() -> None:
    schema = read("postgresql", model("T", ID, fld("tags", "String[]")))
    assert column(schema, "T", "tags")[1:3] == ["text[]", True]


def test_unsupported_type_is_kept_as_written() -> None:
    schema = read("postgresql", model("T", ID, unsupported("shape", "circle")))
    assert column(schema, "T", "shape")[1] == "circle"


def test_native_type_spells_the_column() -> None:
    schema = read("postgresql", model("T", ID, fld("title", "String", at("db.VarChar", 200))))
    assert column(schema, "T", "title")[1] == "character varying(200)"


def test_native_type_follows_the_datasource_name() -> None:
    blocks = (
        Block("datasource", "pg", PATH, 1, properties=(Property("provider", "postgresql"),)),
        model("T", ID, fld("t", "String", at("pg.Uuid"))),
    )
    schema = derive([PrismaFile(PATH, blocks)], SourceRef(PATH, "prisma", "postgresql"))
    assert column(schema, "T", "t")[1] == "uuid"


# Enums ------------------------------------------------------------------------------------


def test_postgres_enum_is_a_type_with_mapped_values() -> None:
    schema = read("postgresql", enum("Role", "USER", ("ADMIN", "admin")), model("T", ID))
    assert project(schema)["enums"] == {"public.Role": ["USER", "admin"]}


def test_postgres_enum_column_is_typed_by_the_enum() -> None:
    schema = read("postgresql", enum("Role", "USER"), model("T", ID, fld("role", "Role")))
    assert column(schema, "T", "role")[1] == '"Role"'


def test_mapped_enum_in_another_schema() -> None:
    schema = read(
        "postgresql",
        enum("Plan", "FREE", map="plan_t", schema="billing"),
        model("T", ID, fld("plan", "Plan"), at("schema", "public")),
        schemas=("public", "billing"),
    )
    assert column(schema, "T", "plan")[1] == "billing.plan_t"


def test_mysql_enum_is_inline() -> None:
    schema = read(
        "mysql", enum("Role", "USER", ("ADMIN", "admin")), model("T", ID, fld("role", "Role"))
    )
    assert (column(schema, "T", "role")[1], project(schema)["enums"]) == (
        "enum('USER','admin')",
        {},
    )


def test_sqlite_enum_is_text() -> None:
    schema = read("sqlite", enum("Role", "USER"), model("T", ID, fld("role", "Role")))
    assert column(schema, "T", "role")[1] == "TEXT"


# Defaults ---------------------------------------------------------------------------------


def test_autoincrement_is_serial() -> None:
    schema = read("postgresql", model("Post", SERIAL))
    assert column(schema, "Post", "id") == [
        "id",
        "integer",
        False,
        "nextval('\"Post_id_seq\"'::regclass)",
        None,
        False,
    ]


def test_serial_sequence_of_a_lower_case_table_is_unquoted() -> None:
    schema = read("postgresql", model("users", SERIAL))
    assert column(schema, "users", "id")[3] == "nextval('users_id_seq'::regclass)"


def test_serial_sequence_outside_public_is_qualified() -> None:
    schema = read("postgresql", model("T", SERIAL, at("schema", "ops")), schemas=("ops",))
    assert column(schema, "T", "id")[3] == "nextval('ops.\"T_id_seq\"'::regclass)"


def test_taken_sequence_name_gets_a_number() -> None:
    # A table named like the sequence PostgreSQL would choose: ChooseRelationName moves on.
    schema = read("postgresql", model("A", ID, at("map", "T_id_seq")), model("T", SERIAL))
    assert column(schema, "T", "id")[3] == "nextval('\"T_id_seq1\"'::regclass)"


def test_bigint_autoincrement_is_bigserial() -> None:
    schema = read(
        "postgresql",
        model("T", fld("id", "BigInt", at("id"), at("default", call("autoincrement")))),
    )
    assert column(schema, "T", "id")[1] == "bigint"


def test_now_is_current_timestamp() -> None:
    assert default("postgresql", "DateTime", call("now")) == "CURRENT_TIMESTAMP"


def test_client_side_defaults_are_not_stored() -> None:
    assert default("postgresql", "String", call("cuid")) is None


def test_string_default() -> None:
    assert default("postgresql", "String", "it's") == "'it''s'::text"


def test_varchar_default_is_labelled_without_length() -> None:
    assert default("postgresql", "String", "", at("db.VarChar", 20)) == "''::character varying"


def test_negative_integer_default() -> None:
    assert default("postgresql", "Int", -5) == "'-5'::integer"


def test_boolean_default() -> None:
    assert default("postgresql", "Boolean", False) == "false"


def test_float_default() -> None:
    assert default("postgresql", "Float", 1.5) == "1.5"


def test_a_decimal_keeps_its_written_scale() -> None:
    # Prisma writes DEFAULT 2.50 and PostgreSQL keeps the numeric's scale: a parser that
    # hands over a Decimal (not a float) keeps it.
    assert default("postgresql", "Decimal", decimal.Decimal("2.50")) == "2.50"


def test_enum_default_is_stored_by_its_mapped_value() -> None:
    schema = read(
        "postgresql",
        enum("Role", "USER", ("ADMIN", "admin")),
        model("T", ID, fld("role", "Role", at("default", Ident("ADMIN")))),
    )
    assert column(schema, "T", "role")[3] == "'admin'::\"Role\""


def test_enum_list_default() -> None:
    schema = read(
        "postgresql",
        enum("Role", "USER", ("ADMIN", "admin"), map="role_t"),
        model("T", ID, fld("roles", "Role[]", at("default", (Ident("USER"), Ident("ADMIN"))))),
    )
    assert column(schema, "T", "roles")[3] == "ARRAY['USER'::role_t, 'admin'::role_t]"


def test_float_list_default_casts_each_element() -> None:
    assert default("postgresql", "Float[]", (0.5, 1.5)) == (
        "ARRAY[(0.5)::double precision, (1.5)::double precision]"
    )


def test_empty_list_default() -> None:
    assert default("postgresql", "String[]", ()) == "ARRAY[]::text[]"


def test_dbgenerated_is_the_expression() -> None:
    assert (
        default("postgresql", "String", call("dbgenerated", "gen_random_uuid()"), at("db.Uuid"))
        == "gen_random_uuid()"
    )


def test_timestamp_default_drops_the_offset() -> None:
    assert default("postgresql", "DateTime", "2020-01-02T03:04:05+02:00") == (
        "'2020-01-02 03:04:05'::timestamp without time zone"
    )


def test_timestamptz_default_is_in_utc() -> None:
    assert default(
        "postgresql", "DateTime", "2020-01-02T03:04:05.678+02:00", at("db.Timestamptz", 6)
    ) == ("'2020-01-02 01:04:05.678+00'::timestamp with time zone")


def test_date_default_keeps_the_written_date() -> None:
    assert (
        default("postgresql", "DateTime", "2020-01-02T23:04:05-03:00", at("db.Date"))
        == "'2020-01-02'::date"
    )


def test_nanoseconds_round_to_microseconds() -> None:
    assert default("postgresql", "DateTime", "2020-01-02T03:04:05.123456789Z") == (
        "'2020-01-02 03:04:05.123457'::timestamp without time zone"
    )


def test_bytes_default_is_hex() -> None:
    assert default("postgresql", "Bytes", "aGVsbG8=") == "'\\x68656c6c6f'::bytea"


def test_jsonb_default_is_normalised() -> None:
    assert (
        default("postgresql", "Json", '{"b": 1, "a": [1,2]}') == '\'{"a": [1, 2], "b": 1}\'::jsonb'
    )


def test_mysql_now_has_precision_three() -> None:
    assert default("mysql", "DateTime", call("now")) == "current_timestamp(3)"


def test_mysql_now_without_fractions() -> None:
    assert default("mysql", "DateTime", call("now"), at("db.DateTime", 0)) == "current_timestamp()"


def test_mysql_boolean_default() -> None:
    assert default("mysql", "Boolean", True) == "1"


def test_mysql_decimal_default_has_the_column_scale() -> None:
    assert default("mysql", "Decimal", 0, at("db.Decimal", 12, 2)) == "0.00"


def test_mysql_string_default() -> None:
    assert default("mysql", "String", "it's") == "'it''s'"


def test_mysql_json_default_is_not_written() -> None:
    assert default("mysql", "Json", "{}") is None


def test_mysql_autoincrement_is_auto_increment() -> None:
    assert column(read("mysql", model("T", SERIAL)), "T", "id")[3:5] == [None, "auto_increment"]


def test_sqlite_string_default() -> None:
    assert default("sqlite", "String", "it's") == "'it''s'"


def test_sqlite_datetime_default_as_prisma_writes_it() -> None:
    assert (
        default("sqlite", "DateTime", "2021-05-06T07:08:09.1+02:00")
        == "'2021-05-06 07:08:09.100 +02:00'"
    )


def test_sqlite_bytes_default() -> None:
    assert default("sqlite", "Bytes", "aGVsbG8=") == "'68656c6c6f'"


def test_sqlite_dbgenerated_loses_its_parentheses() -> None:
    assert default("sqlite", "String", call("dbgenerated", "(lower('X'))")) == "lower('X')"


# Keys and names ---------------------------------------------------------------------------


def test_primary_key_is_named_table_pkey() -> None:
    assert shape(read("postgresql", model("User", ID)), "User", "primary_key") == [
        "User_pkey",
        ["id"],
    ]


def test_primary_key_map() -> None:
    schema = read("postgresql", model("T", fld("id", "Int", at("id", map="t_pk"))))
    assert shape(schema, "T", "primary_key") == ["t_pk", ["id"]]


def test_composite_id() -> None:
    schema = read(
        "postgresql",
        model(
            "T", fld("a", "Int"), fld("b", "String", at("map", "b_col")), at("id", refs("a", "b"))
        ),
    )
    assert shape(schema, "T", "primary_key") == ["T_pkey", ["a", "b_col"]]


def test_unique_is_a_unique_index() -> None:
    schema = read("postgresql", model("users", ID, fld("email", "String", at("unique"))))
    assert (shape(schema, "users", "uniques"), shape(schema, "users", "indexes")) == (
        [],
        [["users_email_key", ["email"], True, False]],
    )


def test_compound_unique_with_map() -> None:
    schema = read(
        "postgresql",
        model("T", ID, fld("a", "Int"), fld("b", "Int"), at("unique", refs("a", "b"), map="ab")),
    )
    assert shape(schema, "T", "indexes") == [["ab", ["a", "b"], True, False]]


def test_index_name_and_method() -> None:
    schema = read(
        "postgresql", model("T", ID, fld("e", "String"), at("index", refs("e"), type=Ident("Hash")))
    )
    assert [(i.name, i.method) for i in table(schema, "T").indexes] == [("T_e_idx", "hash")]


def test_index_with_sort_uses_the_column() -> None:
    schema = read(
        "postgresql",
        model(
            "T", ID, fld("e", "String"), at("index", (Call("e", (Arg("sort", Ident("Desc")),)),))
        ),
    )
    assert shape(schema, "T", "indexes") == [["T_e_idx", ["e"], False, False]]


def test_partial_index_keeps_its_predicate() -> None:
    schema = read(
        "postgresql",
        model("T", ID, fld("a", "Int"), at("index", refs("a"), where=call("raw", "a > 0"))),
    )
    assert table(schema, "T").indexes[0].where == "a > 0"


def test_long_index_name_is_cut_before_the_suffix() -> None:
    long = "AVeryLongModelNameThatGoesOnAndOnAndOnForeverAndEver"
    schema = read(
        "postgresql",
        model(long, ID, fld("aVeryLongFieldName", "Int"), at("index", refs("aVeryLongFieldName"))),
    )
    assert table(schema, long).indexes[0].name == f"{long}_aVeryL_idx"


def test_long_name_is_cut_in_bytes_at_a_character() -> None:
    schema = read(
        "postgresql",
        model(
            "Ticket",
            ID,
            fld("ünïcödé_field_with_a_long_name_that_goes_past_the_limit", "Int", at("unique")),
        ),
    )
    assert (
        table(schema, "Ticket").indexes[0].name
        == "Ticket_ünïcödé_field_with_a_long_name_that_goes_past_th_key"
    )


def test_mysql_unique_is_a_unique_key() -> None:
    schema = read("mysql", model("T", ID, fld("email", "String", at("unique"))))
    assert shape(schema, "T", "uniques") == [["T_email_key", ["email"]]]


def test_mysql_primary_key_is_named_primary() -> None:
    assert shape(read("mysql", model("T", ID)), "T", "primary_key") == ["PRIMARY", ["id"]]


def test_mariadb_json_column_gets_its_check() -> None:
    schema = read("mysql", model("T", ID, fld("meta", "Json?")))
    assert [(c.name, c.expression) for c in table(schema, "T").checks] == [
        ("meta", "json_valid(`meta`)")
    ]


def test_sqlite_integer_id_is_the_rowid() -> None:
    schema = read("sqlite", model("T", ID))
    assert (shape(schema, "T", "primary_key"), column(schema, "T", "id")[4]) == (
        [None, ["id"]],
        "autoincrement",
    )


def test_sqlite_other_id_is_an_autoindex() -> None:
    schema = read("sqlite", model("T", fld("id", "String", at("id"))))
    assert shape(schema, "T", "primary_key") == ["sqlite_autoindex_T_1", ["id"]]


def test_sqlite_bigint_id_is_not_autoincrement() -> None:
    schema = read(
        "sqlite", model("T", fld("id", "BigInt", at("id"), at("default", call("autoincrement"))))
    )
    assert column(schema, "T", "id")[4] is None


# Relations --------------------------------------------------------------------------------


def blog(
    provider: str, *relation_args: Attribute, optional: bool = False, **props: Value
) -> Schema:
    mark = "?" if optional else ""
    relation = at(
        "relation",
        fields=refs("authorId"),
        references=refs("id"),
        **{a.name: a.args[0].value for a in relation_args},
    )
    return read(
        provider,
        model("User", SERIAL, fld("posts", "Post[]")),
        model(
            "Post",
            SERIAL,
            fld("authorId", f"Int{mark}"),
            fld("author", f"User{mark}", relation, line=20),
        ),
        **props,
    )


def test_required_relation_restricts_delete_and_cascades_update() -> None:
    assert shape(blog("postgresql"), "Post", "foreign_keys") == [
        ["Post_authorId_fkey", ["authorId"], "public", "User", ["id"], "RESTRICT", "CASCADE"]
    ]


def test_optional_relation_sets_null_on_delete() -> None:
    assert shape(blog("postgresql", optional=True), "Post", "foreign_keys")[0][5:] == [
        "SET NULL",
        "CASCADE",
    ]


def test_explicit_referential_actions() -> None:
    schema = blog("postgresql", at("onDelete", Ident("Cascade")), at("onUpdate", Ident("NoAction")))
    assert shape(schema, "Post", "foreign_keys")[0][5:] == ["CASCADE", "NO ACTION"]


def test_foreign_key_map() -> None:
    schema = blog("postgresql", at("map", "post_author"))
    assert shape(schema, "Post", "foreign_keys")[0][0] == "post_author"


def test_relation_mode_prisma_makes_no_foreign_keys() -> None:
    assert shape(blog("postgresql", relationMode="prisma"), "Post", "foreign_keys") == []


def test_foreign_key_uses_database_names() -> None:
    schema = read(
        "postgresql",
        model(
            "Account",
            fld("id", "Int", at("id"), at("map", "account_id")),
            fld("posts", "Post[]"),
            at("map", "accounts"),
        ),
        model(
            "Post",
            ID,
            fld("ownerId", "Int", at("map", "owner_id")),
            fld("owner", "Account", at("relation", fields=refs("ownerId"), references=refs("id"))),
        ),
    )
    assert shape(schema, "Post", "foreign_keys")[0][:5] == [
        "Post_owner_id_fkey",
        ["owner_id"],
        "public",
        "accounts",
        ["account_id"],
    ]


def test_composite_foreign_key() -> None:
    schema = read(
        "postgresql",
        model(
            "Org",
            fld("id", "Int"),
            fld("key", "String"),
            fld("users", "User[]"),
            at("id", refs("id", "key")),
        ),
        model(
            "User",
            ID,
            fld("orgId", "Int"),
            fld("orgKey", "String"),
            fld(
                "org",
                "Org",
                at("relation", fields=refs("orgId", "orgKey"), references=refs("id", "key")),
            ),
        ),
    )
    assert shape(schema, "User", "foreign_keys")[0][:2] == [
        "User_orgId_orgKey_fkey",
        ["orgId", "orgKey"],
    ]


def test_self_relation() -> None:
    schema = read(
        "postgresql",
        model(
            "User",
            ID,
            fld("managerId", "Int?"),
            fld(
                "manager",
                "User?",
                at("relation", "mgr", fields=refs("managerId"), references=refs("id")),
            ),
            fld("reports", "User[]", at("relation", "mgr")),
        ),
    )
    assert shape(schema, "User", "foreign_keys") == [
        ["User_managerId_fkey", ["managerId"], "public", "User", ["id"], "SET NULL", "CASCADE"]
    ]


def m2m(provider: str, name: str | None = None, **props: Value) -> Schema:
    relation = (at("relation", name),) if name else ()
    return read(
        provider,
        model("Post", SERIAL, fld("cats", "Category[]", *relation)),
        model("Category", fld("id", "String", at("id")), fld("posts", "Post[]", *relation)),
        **props,
    )


def test_implicit_many_to_many_join_table() -> None:
    assert shape(m2m("postgresql"), "_CategoryToPost") == {
        "columns": [
            ["A", "text", False, None, None, False],
            ["B", "integer", False, None, None, False],
        ],
        "primary_key": ["_CategoryToPost_AB_pkey", ["A", "B"]],
        "foreign_keys": [
            ["_CategoryToPost_A_fkey", ["A"], "public", "Category", ["id"], "CASCADE", "CASCADE"],
            ["_CategoryToPost_B_fkey", ["B"], "public", "Post", ["id"], "CASCADE", "CASCADE"],
        ],
        "uniques": [],
        "indexes": [["_CategoryToPost_B_index", ["B"], False, False]],
        "checks": [],
    }


def test_join_tables_come_after_the_models() -> None:
    assert [t.name for t in m2m("postgresql").tables] == ["Post", "Category", "_CategoryToPost"]


def test_named_many_to_many() -> None:
    assert m2m("postgresql", "PostCategories").tables[-1].name == "_PostCategories"


def test_many_to_many_names_sort_by_bytes() -> None:
    schema = read(
        "postgresql",
        model("apple", ID, fld("bs", "Banana[]")),
        model("Banana", ID, fld("as", "apple[]")),
    )
    assert schema.tables[-1].name == "_BananaToapple"


def test_long_join_table_names() -> None:
    name = "ZedsAndBananasWithAVeryVeryLongRelationNameThatExceedsTheLimitOfIdentifiers"
    t = m2m("postgresql", name).tables[-1]
    assert (t.name, t.primary_key.name, t.indexes[0].name, [f.name for f in t.foreign_keys]) == (  # type: ignore[union-attr]
        "_ZedsAndBananasWithAVeryVeryLongRelationNameThatExceedsTheLimit",
        "_ZedsAndBananasWithAVeryVeryLongRelationNameThatExceeds_AB_pkey",
        "_ZedsAndBananasWithAVeryVeryLongRelationNameThatExceeds_B_index",
        [
            "_ZedsAndBananasWithAVeryVeryLongRelationNameThatExceedsT_A_fkey",
            "_ZedsAndBananasWithAVeryVeryLongRelationNameThatExceedsT_B_fkey",
        ],
    )


def test_sqlite_join_table_has_a_unique_index() -> None:
    assert shape(m2m("sqlite"), "_CategoryToPost", "indexes") == [
        ["_CategoryToPost_AB_unique", ["A", "B"], True, False],
        ["_CategoryToPost_B_index", ["B"], False, False],
    ]


def test_sqlite_keeps_no_foreign_key_names() -> None:
    assert [f[0] for f in shape(m2m("sqlite"), "_CategoryToPost", "foreign_keys")] == [None, None]


def test_mysql_join_table_has_a_unique_key() -> None:
    assert shape(m2m("mysql"), "_CategoryToPost", "uniques") == [
        ["_CategoryToPost_AB_unique", ["A", "B"]]
    ]


def test_join_table_without_foreign_keys_in_relation_mode_prisma() -> None:
    assert shape(m2m("postgresql", relationMode="prisma"), "_CategoryToPost", "foreign_keys") == []


def test_mysql_foreign_key_gets_innodb_index() -> None:
    assert shape(blog("mysql"), "Post", "indexes") == [
        ["Post_authorId_fkey", ["authorId"], False, False]
    ]


def test_mysql_foreign_key_covered_by_an_index_gets_none() -> None:
    schema = read(
        "mysql",
        model("User", SERIAL, fld("posts", "Post[]")),
        model(
            "Post",
            SERIAL,
            fld("authorId", "Int"),
            fld("author", "User", at("relation", fields=refs("authorId"), references=refs("id"))),
            at("index", refs("authorId", "id")),
        ),
    )
    assert [i.name for i in table(schema, "Post").indexes] == ["Post_authorId_id_idx"]


# Origins ----------------------------------------------------------------------------------


def test_table_column_and_key_origins() -> None:
    schema = read(
        "postgresql",
        model(
            "T",
            fld("id", "Int", at("id", line=4), line=4),
            fld("e", "String", at("unique", line=5), line=5),
            line=3,
        ),
    )
    t = table(schema, "T")
    assert (t.origin, t.columns[1].origin, t.primary_key.origin, t.indexes[0].origin) == (  # type: ignore[union-attr]
        Origin(PATH, 3),
        Origin(PATH, 5),
        Origin(PATH, 4),
        Origin(PATH, 5),
    )


def test_foreign_key_origin_is_the_relation_attribute() -> None:
    assert table(blog("postgresql"), "Post").foreign_keys[0].origin == Origin(PATH, 20)


# What cannot be read ----------------------------------------------------------------------


def test_unknown_attribute_is_a_located_error() -> None:
    schema = read(
        "postgresql",
        model("T", ID, fld("a", "String", at("unqiue", line=6), line=6)),
        model("U", ID),
    )
    assert ([(e.message, e.origin) for e in schema.errors], [t.name for t in schema.tables]) == (
        [('Attribute not known: "@unqiue".', Origin(PATH, 6))],
        ["T", "U"],
    )


def test_unknown_block_attribute_is_a_located_error() -> None:
    schema = read("postgresql", model("T", ID, at("indx", refs("id"), line=9)))
    assert [e.origin for e in schema.errors] == [Origin(PATH, 9)]


def test_relation_to_a_missing_model_is_an_error() -> None:
    schema = read("postgresql", model("Post", ID, fld("author", "Author", line=3)), model("U", ID))
    assert ([e.origin for e in schema.errors], [t.name for t in schema.tables]) == (
        [Origin(PATH, 3)],
        ["Post", "U"],
    )


def test_unknown_native_type_is_an_error_and_the_rest_is_read() -> None:
    schema = read(
        "postgresql",
        model("T", ID, fld("a", "String", at("db.Varchar", 5, line=4), line=4), fld("b", "String")),
    )
    assert ([e.origin for e in schema.errors], [c[0] for c in shape(schema, "T", "columns")]) == (
        [Origin(PATH, 4)],
        ["id", "b"],
    )


def test_composite_type_on_sql_is_an_error() -> None:
    address = Block("type", "Address", PATH, 20, fields=(fld("city", "String"),))
    schema = read("postgresql", address, model("T", ID, fld("home", "Address", line=3)))
    assert sorted(e.origin.line for e in schema.errors) == [3, 20]


def test_bad_default_is_an_error_and_the_column_stays() -> None:
    schema = read("postgresql", model("T", ID, fld("n", "Int", at("default", "x", line=4), line=4)))
    assert ([e.origin for e in schema.errors], column(schema, "T", "n")[3]) == (
        [Origin(PATH, 4)],
        None,
    )


def test_postgres_refuses_an_invalid_uuid_default() -> None:
    schema = read(
        "postgresql", model("T", ID, fld("u", "String", at("db.Uuid"), at("default", "nope")))
    )
    assert "uuid" in schema.errors[0].message


def test_json_default_on_sqlite_is_refused() -> None:
    schema = read("sqlite", model("T", ID, fld("j", "Json", at("default", "{}"))))
    assert "SQLite refuses" in schema.errors[0].message


def test_missing_opposite_relation_field_is_an_error_but_keeps_the_key() -> None:
    schema = read(
        "postgresql",
        model("User", ID),
        model(
            "Post",
            ID,
            fld("authorId", "Int"),
            fld("author", "User", at("relation", fields=refs("authorId"), references=refs("id"))),
        ),
    )
    assert (len(schema.errors), len(table(schema, "Post").foreign_keys)) == (1, 1)


def test_parse_errors_are_kept() -> None:
    bad = Error("unexpected '}'", Origin("prisma/other.prisma", 2), column=1)
    files = [
        PrismaFile(PATH, (datasource("postgresql"), model("T", ID))),
        PrismaFile("prisma/other.prisma", errors=(bad,)),
    ]
    schema = derive(files, SourceRef(PATH, "prisma", "postgresql"))
    assert (schema.errors, [t.name for t in schema.tables]) == ((bad,), ["T"])


def test_without_datasource_the_source_dialect_is_used() -> None:
    schema = derive(
        [PrismaFile(PATH, (model("T", ID),))], SourceRef(PATH, "prisma", "sqlite", (PATH,))
    )
    assert (len(schema.errors), column(schema, "T", "id")[1]) == (1, "INTEGER")


def test_mongodb_is_a_note() -> None:
    schema = read("mongodb", Block("type", "Address", PATH, 3), model("T", ID))
    assert (schema.tables, [n.kind for n in schema.notes], schema.errors) == ((), ["mongodb"], ())


# Through the parser ------------------------------------------------------------------------


def test_read_parses_every_file_of_the_source(tmp_path: Path) -> None:
    from dbdrift.readers import read as read_source
    from dbdrift.source import Source

    folder = tmp_path / "prisma" / "schema"
    folder.mkdir(parents=True)
    (folder / "schema.prisma").write_text('datasource db {\n  provider = "postgresql"\n}\n')
    (folder / "user.prisma").write_text(
        "model User {\n  id    Int    @id\n  email String @unique\n}\n"
    )
    files = ("prisma/schema/schema.prisma", "prisma/schema/user.prisma")
    schema = read_source(Source("prisma/schema", "prisma", "postgresql", tmp_path, files))
    assert shape(schema, "User") == {
        "columns": [
            ["id", "integer", False, None, None, False],
            ["email", "text", False, None, None, False],
        ],
        "primary_key": ["User_pkey", ["id"]],
        "foreign_keys": [],
        "uniques": [],
        "indexes": [["User_email_key", ["email"], True, False]],
        "checks": [],
    }
