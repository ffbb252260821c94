"""The SQLite replay, one behaviour per test (the oracle test proves the whole against SQLite)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dbdrift.readers.sql.catalog import Catalog
from dbdrift.readers.sql.sqlite import Replay, split
from dbdrift.schema import Schema, SourceRef, Table


def replay(*files: str) -> Schema:
    """Replay each text as a file named ``1.sql``, ``2.sql`` ... in order."""
    catalog = Catalog(SourceRef("db", "sql-migrations", "sqlite"))
    r = Replay(catalog)
    for number, text in enumerate(files, 1):
        r.file(f"{number}.sql", text)
    return catalog.freeze()


def table(schema: Schema, name: str) -> Table:
    found = schema.table(name)
    assert found is not None, [t.name for t in schema.tables]
    return found


def errors(schema: Schema) -> list[tuple[str, int]]:
    return [(e.origin.path, e.origin.line) for e in schema.errors]


# Splitting ---------------------------------------------------------------------------


def test_trigger_body_semicolons_stay_inside_one_statement() -> None:
    text = "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  SELECT 1;\n  SELECT 2;\nEND;\nSELECT 3;"
    assert [st.line for st in split(text)] == [1, 5]


def test_case_end_inside_a_trigger_does_not_end_it() -> None:
    text = "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT CASE WHEN 1 THEN 2 END; END;"
    assert len(split(text)) == 1


def test_statement_line_is_its_first_token_after_comments() -> None:
    text = "-- header\n\n/* block\n comment */\nCREATE TABLE a (x);"
    assert [st.line for st in split(text)] == [5]


def test_unterminated_string_is_one_error_at_its_statement() -> None:
    schema = replay("CREATE TABLE a (x);\nINSERT INTO a VALUES ('oops);\nCREATE TABLE b (y);")
    assert errors(schema) == [("1.sql", 2)]
    assert schema.table("a") is not None and schema.table("b") is None


def test_incomplete_trigger_at_end_of_file_is_an_error() -> None:
    schema = replay("CREATE TABLE a (x);\nCREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1;")
    assert errors(schema) == [("1.sql", 2)]


# CREATE TABLE ------------------------------------------------------------------------


def test_integer_primary_key_is_the_rowid_and_has_no_index_name() -> None:
    t = table(replay("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);"), "a")
    assert t.primary_key is not None and t.primary_key.name is None


def test_integer_primary_key_stays_nullable_as_sqlite_reports_it() -> None:
    t = table(replay("CREATE TABLE a (id INTEGER PRIMARY KEY);"), "a")
    assert t.columns[0].nullable is True


def test_text_primary_key_is_named_after_its_autoindex() -> None:
    t = table(replay("CREATE TABLE a (code TEXT PRIMARY KEY);"), "a")
    assert t.primary_key is not None and t.primary_key.name == "sqlite_autoindex_a_1"


def test_int_primary_key_is_not_a_rowid_alias() -> None:
    t = table(replay("CREATE TABLE a (id INT PRIMARY KEY);"), "a")
    assert t.primary_key is not None and t.primary_key.name == "sqlite_autoindex_a_1"


def test_integer_primary_key_desc_is_not_a_rowid_alias() -> None:
    t = table(replay("CREATE TABLE a (id INTEGER PRIMARY KEY DESC);"), "a")
    assert t.primary_key is not None and t.primary_key.name == "sqlite_autoindex_a_1"


def test_table_constraint_primary_key_desc_is_still_the_rowid() -> None:
    t = table(replay("CREATE TABLE a (id INTEGER, PRIMARY KEY (id DESC));"), "a")
    assert t.primary_key is not None and t.primary_key.name is None


def test_without_rowid_primary_key_columns_are_not_null() -> None:
    t = table(replay("CREATE TABLE a (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;"), "a")
    assert [c.nullable for c in t.columns] == [False, True]


def test_without_rowid_integer_key_index_comes_after_the_uniques() -> None:
    t = table(replay("CREATE TABLE a (id INTEGER PRIMARY KEY, u INT UNIQUE) WITHOUT ROWID;"), "a")
    assert t.primary_key is not None and t.primary_key.name == "sqlite_autoindex_a_2"


def test_without_rowid_needs_a_primary_key() -> None:
    assert errors(replay("CREATE TABLE a (x INT) WITHOUT ROWID;")) == [("1.sql", 1)]


def test_autoincrement_is_the_identity() -> None:
    t = table(replay("CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT);"), "a")
    assert t.columns[0].identity == "autoincrement"


def test_autoincrement_on_a_text_key_is_refused() -> None:
    assert errors(replay("CREATE TABLE a (id TEXT PRIMARY KEY AUTOINCREMENT);")) == [("1.sql", 1)]


def test_two_primary_keys_are_refused() -> None:
    schema = replay("CREATE TABLE a (x INT PRIMARY KEY, y INT, PRIMARY KEY (y));")
    assert errors(schema) == [("1.sql", 1)]


def test_declared_type_keeps_its_spelling() -> None:
    t = table(replay("CREATE TABLE a (x varchar ( 10 ), y DECIMAL(10, 2));"), "a")
    assert [c.type.sql for c in t.columns] == ["varchar ( 10 )", "DECIMAL(10, 2)"]


def test_standard_type_names_are_reported_upper_case() -> None:
    t = table(replay('CREATE TABLE a (x integer, y "text", z [blob]);'), "a")
    assert [c.type.sql for c in t.columns] == ["INTEGER", "TEXT", "BLOB"]


def test_quoted_type_with_length_keeps_only_the_name() -> None:
    t = table(replay("CREATE TABLE a (x 'char'(3));"), "a")
    assert t.columns[0].type.sql == "char"


def test_missing_type_is_empty_other() -> None:
    t = table(replay("CREATE TABLE a (x);"), "a")
    assert (t.columns[0].type.family, t.columns[0].type.sql) == ("other", "")


def test_parenthesised_default_is_its_inner_text() -> None:
    t = table(replay("CREATE TABLE a (x INT DEFAULT ( 1 + 2 ));"), "a")
    assert t.columns[0].default == "1 + 2"


def test_signed_and_literal_defaults_are_kept_as_written() -> None:
    t = table(replay("CREATE TABLE a (x DEFAULT -1.5e3, y DEFAULT 'it''s', z DEFAULT X'00');"), "a")
    assert [c.default for c in t.columns] == ["-1.5e3", "'it''s'", "X'00'"]


def test_default_naming_a_column_is_refused() -> None:
    assert errors(replay("CREATE TABLE a (x INT DEFAULT (x + 1));")) == [("1.sql", 1)]


def test_not_null_makes_a_column_not_nullable() -> None:
    t = table(replay("CREATE TABLE a (x INT NOT NULL, y INT NULL);"), "a")
    assert [c.nullable for c in t.columns] == [False, True]


def test_quoted_names_are_dequoted() -> None:
    t = table(replay('CREATE TABLE "a b" ([c d] INT, `e``f` INT, "g""h" INT);'), "a b")
    assert [c.name for c in t.columns] == ["c d", "e`f", 'g"h']


def test_unique_constraints_are_numbered_in_order_of_appearance() -> None:
    t = table(replay("CREATE TABLE a (x INT UNIQUE, y INT, UNIQUE (x, y));"), "a")
    assert [(u.name, u.columns) for u in t.uniques] == [
        ("sqlite_autoindex_a_1", ("x",)),
        ("sqlite_autoindex_a_2", ("x", "y")),
    ]


def test_a_repeated_unique_constraint_shares_one_index() -> None:
    t = table(replay("CREATE TABLE a (x INT UNIQUE, UNIQUE (x));"), "a")
    assert len(t.uniques) == 1


def test_a_unique_with_another_collation_is_another_index() -> None:
    t = table(replay("CREATE TABLE a (x TEXT UNIQUE, UNIQUE (x COLLATE NOCASE));"), "a")
    assert len(t.uniques) == 2


def test_primary_key_takes_over_an_equal_unique_index() -> None:
    t = table(replay("CREATE TABLE a (x TEXT UNIQUE PRIMARY KEY);"), "a")
    assert (t.primary_key and t.primary_key.name, t.uniques) == ("sqlite_autoindex_a_1", ())


def test_constraint_name_of_a_unique_is_not_kept() -> None:
    t = table(replay("CREATE TABLE a (x INT, CONSTRAINT a_x_key UNIQUE (x));"), "a")
    assert t.uniques[0].name == "sqlite_autoindex_a_1"


def test_unique_on_a_missing_column_is_refused() -> None:
    assert errors(replay("CREATE TABLE a (x INT, UNIQUE (y));")) == [("1.sql", 1)]


def test_foreign_key_has_no_name_and_sqlite_action_spelling() -> None:
    t = table(
        replay("CREATE TABLE a (p INT REFERENCES b (id) ON DELETE SET NULL ON UPDATE CASCADE);"),
        "a",
    )
    fk = t.foreign_keys[0]
    assert (fk.name, fk.ref_table, fk.ref_columns, fk.on_delete, fk.on_update) == (
        None,
        "b",
        ("id",),
        "SET NULL",
        "CASCADE",
    )


def test_foreign_key_without_columns_refers_to_the_primary_key() -> None:
    t = table(replay("CREATE TABLE a (p INT REFERENCES b);"), "a")
    assert t.foreign_keys[0].ref_columns == ()


def test_foreign_key_on_a_missing_column_is_refused() -> None:
    schema = replay("CREATE TABLE a (p INT, FOREIGN KEY (q) REFERENCES b (id));")
    assert errors(schema) == [("1.sql", 1)]


def test_constraint_name_reaches_the_check_after_it_in_the_same_column() -> None:
    t = table(replay("CREATE TABLE a (x INT CONSTRAINT pos NOT NULL CHECK (x > 0));"), "a")
    assert [c.name for c in t.checks] == ["pos"]


def test_constraint_name_stops_at_the_comma() -> None:
    t = table(replay("CREATE TABLE a (x INT CONSTRAINT n NOT NULL, y INT CHECK (y > 0));"), "a")
    assert [c.name for c in t.checks] == [None]


def test_check_on_a_missing_column_is_refused() -> None:
    assert errors(replay("CREATE TABLE a (x INT, CHECK (z > 0));")) == [("1.sql", 1)]


def test_strict_table_refuses_a_type_it_does_not_know() -> None:
    assert errors(replay("CREATE TABLE a (x DATETIME) STRICT;")) == [("1.sql", 1)]


def test_strict_table_accepts_any() -> None:
    t = table(replay("CREATE TABLE a (x ANY, y INTEGER) STRICT;"), "a")
    assert [c.type.sql for c in t.columns] == ["ANY", "INTEGER"]


def test_generated_column_keeps_its_expression() -> None:
    t = table(replay("CREATE TABLE a (x INT, y INT GENERATED ALWAYS AS (x * 2) STORED);"), "a")
    assert (t.columns[1].type.sql, t.columns[1].generated) == ("INT", "x * 2")


def test_existing_table_is_refused() -> None:
    assert errors(replay("CREATE TABLE a (x);\nCREATE TABLE A (y);")) == [("1.sql", 2)]


def test_if_not_exists_on_an_existing_table_is_a_note() -> None:
    schema = replay("CREATE TABLE a (x);\nCREATE TABLE IF NOT EXISTS a (y, y);")
    assert (errors(schema), schema.notes[-1].kind) == ([], "skipped")


def test_reserved_table_name_is_refused() -> None:
    assert errors(replay("CREATE TABLE sqlite_stuff (x);")) == [("1.sql", 1)]


def test_reserved_word_as_bare_column_name_is_a_syntax_error() -> None:
    assert errors(replay("CREATE TABLE a (select INT);")) == [("1.sql", 1)]


def test_fallback_keyword_is_a_valid_column_name() -> None:
    t = table(replay("CREATE TABLE a (key TEXT, action TEXT, replace INT);"), "a")
    assert [c.name for c in t.columns] == ["key", "action", "replace"]


def test_on_conflict_clauses_are_accepted() -> None:
    schema = replay(
        "CREATE TABLE a (x INT NOT NULL ON CONFLICT IGNORE UNIQUE ON CONFLICT REPLACE);"
    )
    assert errors(schema) == []


def test_column_origin_is_its_definition_line() -> None:
    t = table(replay("CREATE TABLE a (\n  x INT,\n  y INT\n);"), "a")
    assert [c.origin.line for c in t.columns if c.origin] == [2, 3]


def test_temporary_table_is_not_part_of_the_schema() -> None:
    schema = replay("CREATE TEMP TABLE t (x);\nINSERT INTO t VALUES (1);\nDROP TABLE t;")
    assert (schema.tables, errors(schema)) == ((), [])


def test_create_table_as_select_types_columns_by_affinity() -> None:
    schema = replay("CREATE TABLE a (x VARCHAR(3), y);\nCREATE TABLE b AS SELECT x, y FROM a;")
    assert [c.type.sql for c in table(schema, "b").columns] == ["TEXT", ""]


# ALTER TABLE -------------------------------------------------------------------------


def test_alter_column_is_a_syntax_error_at_its_line() -> None:
    schema = replay("CREATE TABLE a (x);\n\nALTER TABLE a ALTER COLUMN x TYPE INT;")
    assert errors(schema) == [("1.sql", 3)]


def test_add_column_on_a_missing_table_is_refused() -> None:
    assert errors(replay("ALTER TABLE nope ADD COLUMN x INT;")) == [("1.sql", 1)]


def test_add_column_appends_with_its_own_origin() -> None:
    t = table(replay("CREATE TABLE a (x);", "ALTER TABLE a ADD y TEXT DEFAULT 'n';"), "a")
    assert (t.columns[-1].name, t.columns[-1].default, t.columns[-1].origin.path) == (
        "y",
        "'n'",
        "2.sql",
    )


def test_add_unique_column_is_refused() -> None:
    assert errors(replay("CREATE TABLE a (x);\nALTER TABLE a ADD y INT UNIQUE;")) == [("1.sql", 2)]


def test_add_not_null_column_without_default_is_fine_on_an_empty_table() -> None:
    assert errors(replay("CREATE TABLE a (x);\nALTER TABLE a ADD y INT NOT NULL;")) == []


def test_add_not_null_column_without_default_is_refused_once_rows_exist() -> None:
    schema = replay(
        "CREATE TABLE a (x);\nINSERT INTO a VALUES (1);\nALTER TABLE a ADD y INT NOT NULL;"
    )
    assert errors(schema) == [("1.sql", 3)]


def test_delete_without_where_empties_the_table_again() -> None:
    schema = replay(
        "CREATE TABLE a (x);\nINSERT INTO a VALUES (1);\nDELETE FROM a;\n"
        "ALTER TABLE a ADD y INT NOT NULL;"
    )
    assert errors(schema) == []


def test_add_column_with_current_timestamp_is_refused_once_rows_exist() -> None:
    schema = replay(
        "CREATE TABLE a (x);\nINSERT INTO a VALUES (1);\n"
        "ALTER TABLE a ADD y TEXT DEFAULT CURRENT_TIMESTAMP;"
    )
    assert errors(schema) == [("1.sql", 3)]


def test_rename_table_renames_its_autoindexes() -> None:
    t = table(replay("CREATE TABLE a (x TEXT PRIMARY KEY);\nALTER TABLE a RENAME TO b;"), "b")
    assert t.primary_key is not None and t.primary_key.name == "sqlite_autoindex_b_1"


def test_rename_table_retargets_foreign_keys_elsewhere() -> None:
    schema = replay(
        "CREATE TABLE p (id INTEGER PRIMARY KEY);\nCREATE TABLE c (p INT REFERENCES P (id));\n"
        "ALTER TABLE p RENAME TO parents;"
    )
    assert table(schema, "c").foreign_keys[0].ref_table == "parents"


def test_renamed_table_takes_the_rename_as_origin() -> None:
    t = table(replay("CREATE TABLE a (x);\n\nALTER TABLE a RENAME TO b;"), "b")
    assert t.origin is not None and t.origin.line == 3


def test_rename_to_an_existing_name_is_refused() -> None:
    schema = replay("CREATE TABLE a (x);\nCREATE TABLE b (x);\nALTER TABLE a RENAME TO B;")
    assert errors(schema) == [("1.sql", 3)]


def test_rename_column_retargets_foreign_keys_elsewhere() -> None:
    schema = replay(
        "CREATE TABLE p (id INTEGER PRIMARY KEY);\nCREATE TABLE c (p INT REFERENCES p (id));\n"
        "ALTER TABLE p RENAME COLUMN id TO pid;"
    )
    assert table(schema, "c").foreign_keys[0].ref_columns == ("pid",)


def test_rename_column_follows_into_indexes() -> None:
    schema = replay("CREATE TABLE a (x);\nCREATE INDEX ix ON a (x);\nALTER TABLE a RENAME x TO y;")
    assert table(schema, "a").indexes[0].columns == ("y",)


def test_rename_column_to_an_existing_name_is_refused() -> None:
    schema = replay("CREATE TABLE a (x, y);\nALTER TABLE a RENAME COLUMN x TO Y;")
    assert errors(schema) == [("1.sql", 2)]


def test_drop_column_removes_it() -> None:
    t = table(replay("CREATE TABLE a (x, y);\nALTER TABLE a DROP COLUMN x;"), "a")
    assert [c.name for c in t.columns] == ["y"]


def test_drop_column_takes_its_own_check_and_reference_along() -> None:
    t = table(
        replay(
            "CREATE TABLE a (x INT CHECK (x > 0) REFERENCES b (id), y INT);\n"
            "ALTER TABLE a DROP COLUMN x;"
        ),
        "a",
    )
    assert (t.checks, t.foreign_keys) == ((), ())


def test_drop_indexed_column_is_refused() -> None:
    schema = replay("CREATE TABLE a (x, y);\nCREATE INDEX ix ON a (x);\nALTER TABLE a DROP x;")
    assert errors(schema) == [("1.sql", 3)]


def test_drop_primary_key_column_is_refused() -> None:
    schema = replay("CREATE TABLE a (id INTEGER PRIMARY KEY, y);\nALTER TABLE a DROP id;")
    assert errors(schema) == [("1.sql", 2)]


def test_drop_column_used_by_a_view_is_refused() -> None:
    schema = replay(
        "CREATE TABLE a (x, y);\nCREATE VIEW v AS SELECT t.x FROM a AS t;\nALTER TABLE a DROP x;"
    )
    assert errors(schema) == [("1.sql", 3)]


def test_rebuild_fails_while_a_view_names_the_dropped_table() -> None:
    schema = replay(
        "CREATE TABLE a (x);\nCREATE VIEW v AS SELECT x FROM a;\nCREATE TABLE a_new (x, y);\n"
        "DROP TABLE a;\nALTER TABLE a_new RENAME TO a;"
    )
    assert errors(schema) == [("1.sql", 5)]


def test_legacy_alter_table_skips_the_view_check() -> None:
    schema = replay(
        "PRAGMA legacy_alter_table = ON;\nCREATE TABLE a (x);\n"
        "CREATE VIEW v AS SELECT x FROM gone;\nALTER TABLE a RENAME TO b;"
    )
    assert errors(schema) == []


def test_legacy_alter_table_leaves_foreign_keys_alone() -> None:
    schema = replay(
        "PRAGMA legacy_alter_table = ON;\nCREATE TABLE p (id INTEGER PRIMARY KEY);\n"
        "CREATE TABLE c (p INT REFERENCES p (id));\nALTER TABLE p RENAME TO q;"
    )
    assert table(schema, "c").foreign_keys[0].ref_table == "p"


def test_add_column_naming_a_missing_column_in_its_check_is_refused() -> None:
    schema = replay("CREATE TABLE a (x);\nALTER TABLE a ADD y INT CHECK (z > 0);")
    assert errors(schema) == [("1.sql", 2)]


def test_insert_select_with_the_wrong_width_is_refused() -> None:
    schema = replay("CREATE TABLE a (x, y);\nCREATE TABLE b (x);\nINSERT INTO a SELECT x FROM b;")
    assert errors(schema) == [("1.sql", 3)]


def test_insert_select_naming_a_missing_column_is_refused() -> None:
    schema = replay("CREATE TABLE a (x);\nCREATE TABLE b (y);\nINSERT INTO a (x) SELECT x FROM b;")
    assert errors(schema) == [("1.sql", 3)]


# Indexes, drops, notes, transactions -------------------------------------------------


def test_expression_index_key_is_kept_in_parentheses() -> None:
    schema = replay("CREATE TABLE a (e TEXT);\nCREATE INDEX ix ON a (lower(e));")
    assert table(schema, "a").indexes[0].columns == ("(lower(e))",)


def test_index_column_takes_the_table_spelling() -> None:
    schema = replay("CREATE TABLE a (Email TEXT);\nCREATE INDEX ix ON a (email COLLATE NOCASE);")
    assert table(schema, "a").indexes[0].columns == ("Email",)


def test_partial_index_keeps_its_predicate() -> None:
    schema = replay("CREATE TABLE a (x);\nCREATE UNIQUE INDEX ix ON a (x) WHERE x IS NOT NULL;")
    index = table(schema, "a").indexes[0]
    assert (index.unique, index.where) == (True, "x IS NOT NULL")


def test_index_on_a_missing_column_is_refused() -> None:
    assert errors(replay("CREATE TABLE a (x);\nCREATE INDEX ix ON a (y);")) == [("1.sql", 2)]


def test_index_named_like_a_table_is_refused() -> None:
    assert errors(replay("CREATE TABLE a (x);\nCREATE INDEX a ON a (x);")) == [("1.sql", 2)]


def test_drop_index_removes_it() -> None:
    schema = replay("CREATE TABLE a (x);\nCREATE INDEX ix ON a (x);\nDROP INDEX IX;")
    assert table(schema, "a").indexes == ()


def test_drop_autoindex_is_refused() -> None:
    schema = replay("CREATE TABLE a (x UNIQUE);\nDROP INDEX sqlite_autoindex_a_1;")
    assert errors(schema) == [("1.sql", 2)]


def test_drop_missing_table_is_refused() -> None:
    assert errors(replay("DROP TABLE nope;")) == [("1.sql", 1)]


def test_drop_missing_table_if_exists_is_a_note() -> None:
    schema = replay("DROP TABLE IF EXISTS nope;")
    assert (errors(schema), [n.kind for n in schema.notes]) == ([], ["skipped"])


@pytest.mark.parametrize(
    ("sql", "kind"),
    [
        ("CREATE VIEW v AS SELECT 1;", "view"),
        ("CREATE TABLE a (x);\nCREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;", "trigger"),
        ("CREATE TABLE a (x);\nINSERT INTO a VALUES (1);", "data"),
        ("PRAGMA foreign_keys = ON;", "pragma"),
    ],
)
def test_unmodelled_statements_become_notes(sql: str, kind: str) -> None:
    assert [n.kind for n in replay(sql).notes] == [kind]


def test_transaction_control_leaves_no_note() -> None:
    assert replay("BEGIN;\nCREATE TABLE a (x);\nCOMMIT;").notes == ()


def test_trigger_on_a_missing_table_is_refused() -> None:
    schema = replay("CREATE TRIGGER t AFTER INSERT ON nope BEGIN SELECT 1; END;")
    assert errors(schema) == [("1.sql", 1)]


def test_insert_into_a_missing_table_is_refused() -> None:
    assert errors(replay("INSERT INTO nope VALUES (1);")) == [("1.sql", 1)]


def test_rollback_undoes_the_transaction() -> None:
    assert replay("BEGIN;\nCREATE TABLE a (x);\nROLLBACK;").tables == ()


def test_rollback_undoes_changes_to_a_table_made_before_it() -> None:
    schema = replay(
        "CREATE TABLE a (x UNIQUE);\nBEGIN;\nALTER TABLE a ADD y INT;\nALTER TABLE a RENAME TO b;\n"
        "ROLLBACK;"
    )
    assert [(t.name, [c.name for c in t.columns]) for t in schema.tables] == [("a", ["x"])]


def test_rollback_to_a_savepoint_keeps_what_came_before_it() -> None:
    schema = replay(
        "SAVEPOINT s1;\nCREATE TABLE a (x);\nSAVEPOINT s2;\nCREATE TABLE b (x);\n"
        "ROLLBACK TO s2;\nRELEASE s1;"
    )
    assert [t.name for t in schema.tables] == ["a"]


def test_commit_without_a_transaction_is_refused() -> None:
    assert errors(replay("COMMIT;")) == [("1.sql", 1)]


def test_replay_goes_on_after_an_error() -> None:
    schema = replay("CREATE TABLE a (x,);\nCREATE TABLE b (y);")
    assert (errors(schema), [t.name for t in schema.tables]) == ([("1.sql", 1)], ["b"])


def test_names_match_without_regard_to_case() -> None:
    schema = replay("CREATE TABLE Users (Id INTEGER PRIMARY KEY);\nALTER TABLE users ADD x INT;")
    assert [c.name for c in table(schema, "Users").columns] == ["Id", "x"]


def test_table_schema_is_none() -> None:
    assert table(replay("CREATE TABLE main.a (x);"), "a").schema is None


# Robustness --------------------------------------------------------------------------

_FRAGMENTS = [
    "CREATE TABLE", "ALTER TABLE", "ADD COLUMN", "DROP", "RENAME TO", "INDEX", "ON", "(", ")",
    ",", ";", "'", '"', "[", "`", "a", "b", "INTEGER", "PRIMARY KEY", "UNIQUE", "CHECK",
    "DEFAULT", "-1", "x'0", "REFERENCES", "BEGIN", "END", "TRIGGER", "VIEW", "AS", "SELECT",
    "FROM", "WHERE", "INSERT INTO", "VALUES", "NOT NULL", "COLLATE", "WITHOUT ROWID", "\n",
    "--", "/*", "*/", "GENERATED ALWAYS AS", "1abc", "ROLLBACK", "SAVEPOINT", "TEMP",
]  # fmt: skip


@given(st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=4), max_size=40))
@settings(max_examples=300, deadline=None)
def test_replay_never_raises(parts: list[str]) -> None:
    schema = replay(" ".join(parts))
    assert all(e.origin.line >= 1 for e in schema.errors)
