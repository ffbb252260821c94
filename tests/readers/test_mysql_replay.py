"""The MySQL replay, one behaviour per test (each one checked against MariaDB 10.11 by hand
or by tests/test_oracle_mysql.py, which runs the fixture streams on a real server)."""

from __future__ import annotations

from dbdrift.readers.sql.catalog import Catalog
from dbdrift.readers.sql.mysql import Replay, split
from dbdrift.schema import Schema, SourceRef, Table


def replay(*files: str) -> Schema:
    """Replay texts as the files 1.sql, 2.sql ... of one stream."""
    catalog = Catalog(SourceRef("db", "sql-migrations", "mysql"))
    r = Replay(catalog)
    for i, text in enumerate(files, start=1):
        r.file(f"{i}.sql", text)
    return catalog.freeze()


def table(schema: Schema, name: str) -> Table:
    found = schema.table(name)
    assert found is not None, f"no table {name}: {[t.name for t in schema.tables]}"
    return found


def columns(schema: Schema, name: str) -> list[str]:
    return [c.name for c in table(schema, name).columns]


def errors(schema: Schema) -> list[tuple[str, int]]:
    return [(e.origin.path, e.origin.line) for e in schema.errors]


# -- columns: MODIFY, CHANGE, positions ----------------------------------------------------


def test_modify_keeps_position() -> None:
    s = replay("CREATE TABLE t (a INT, b INT, c INT);\nALTER TABLE t MODIFY b BIGINT NOT NULL;")
    assert columns(s, "t") == ["a", "b", "c"]
    assert table(s, "t").column("b").type.sql == "bigint(20)"


def test_modify_replaces_the_whole_definition() -> None:
    s = replay(
        "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, n INT NOT NULL DEFAULT 5);\n"
        "ALTER TABLE t MODIFY n BIGINT;"
    )
    n = table(s, "t").column("n")
    assert (n.nullable, n.default) == (True, None)


def test_modify_drops_auto_increment_not_written_again() -> None:
    s = replay("CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY);\nALTER TABLE t MODIFY id INT;")
    assert table(s, "t").column("id").identity is None


def test_change_renames_and_retypes() -> None:
    s = replay("CREATE TABLE t (a INT, b INT);\nALTER TABLE t CHANGE a alpha VARCHAR(10) NOT NULL;")
    assert columns(s, "t") == ["alpha", "b"]
    assert table(s, "t").column("alpha").type.sql == "varchar(10)"


def test_change_renames_inside_indexes() -> None:
    s = replay("CREATE TABLE t (a INT, b INT, KEY ix (a, b));\nALTER TABLE t CHANGE a z INT;")
    assert table(s, "t").indexes[0].columns == ("z", "b")


def test_renaming_a_referenced_column_updates_the_child_foreign_key() -> None:
    s = replay(
        "CREATE TABLE p (code CHAR(4) PRIMARY KEY);\n"
        "CREATE TABLE c (pc CHAR(4), FOREIGN KEY (pc) REFERENCES p (code));\n"
        "ALTER TABLE p CHANGE code pcode CHAR(4) NOT NULL;"
    )
    assert table(s, "c").foreign_keys[0].ref_columns == ("pcode",)


def test_after_moves_a_column() -> None:
    s = replay("CREATE TABLE t (a INT, b INT, c INT);\nALTER TABLE t MODIFY c INT AFTER a;")
    assert columns(s, "t") == ["a", "c", "b"]


def test_first_moves_a_column() -> None:
    s = replay("CREATE TABLE t (a INT, b INT);\nALTER TABLE t CHANGE b b INT FIRST;")
    assert columns(s, "t") == ["b", "a"]


def test_add_column_after() -> None:
    s = replay("CREATE TABLE t (a INT, c INT);\nALTER TABLE t ADD COLUMN b INT AFTER a;")
    assert columns(s, "t") == ["a", "b", "c"]


def test_add_several_columns_in_parentheses() -> None:
    s = replay("CREATE TABLE t (a INT);\nALTER TABLE t ADD COLUMN (b INT, c INT);")
    assert columns(s, "t") == ["a", "b", "c"]


def test_rename_column() -> None:
    s = replay("CREATE TABLE t (a INT DEFAULT 1);\nALTER TABLE t RENAME COLUMN a TO b;")
    assert table(s, "t").column("b").default == "1"


def test_alter_column_set_and_drop_default() -> None:
    s = replay(
        "CREATE TABLE t (a INT NOT NULL, b VARCHAR(3) DEFAULT 'x');\n"
        "ALTER TABLE t ALTER COLUMN a SET DEFAULT 7, ALTER b DROP DEFAULT;"
    )
    t = table(s, "t")
    assert (t.column("a").default, t.column("b").default) == ("7", None)


def test_several_actions_in_one_statement() -> None:
    s = replay(
        "CREATE TABLE t (a INT, b INT);\n"
        "ALTER TABLE t ADD c INT, DROP COLUMN b, ADD INDEX ix_c (c), RENAME TO u;"
    )
    assert columns(s, "u") == ["a", "c"]
    assert [i.name for i in table(s, "u").indexes] == ["ix_c"]


def test_drop_column_leaves_a_shorter_index() -> None:
    s = replay("CREATE TABLE t (a INT, b INT, c INT, KEY k (a, b));\nALTER TABLE t DROP b;")
    assert table(s, "t").indexes[0].columns == ("a",)


def test_drop_column_of_a_composite_unique_is_refused() -> None:
    s = replay("CREATE TABLE t (a INT, b INT, c INT, UNIQUE (a, b));\nALTER TABLE t DROP b;")
    assert errors(s) == [("1.sql", 2)]
    assert columns(s, "t") == ["a", "b", "c"]


# -- tables: RENAME, DROP, LIKE --------------------------------------------------------------


def test_rename_table_several_pairs_in_order() -> None:
    s = replay("CREATE TABLE a (x INT);\nCREATE TABLE c (y INT);\nRENAME TABLE a TO b, c TO a;")
    assert sorted(t.name for t in s.tables) == ["a", "b"]
    assert columns(s, "b") == ["x"]
    assert columns(s, "a") == ["y"]


def test_rename_table_renames_generated_foreign_key_names() -> None:
    s = replay(
        "CREATE TABLE p (id INT PRIMARY KEY);\n"
        "CREATE TABLE c (pid INT, FOREIGN KEY (pid) REFERENCES p (id));\n"
        "RENAME TABLE c TO kids;"
    )
    assert table(s, "kids").foreign_keys[0].name == "kids_ibfk_1"


def test_rename_table_updates_references_to_it() -> None:
    s = replay(
        "CREATE TABLE p (id INT PRIMARY KEY);\n"
        "CREATE TABLE c (pid INT, FOREIGN KEY (pid) REFERENCES p (id));\n"
        "ALTER TABLE p RENAME TO parents;"
    )
    assert table(s, "c").foreign_keys[0].ref_table == "parents"


def test_rename_table_to_an_existing_name_is_refused_whole() -> None:
    s = replay("CREATE TABLE a (x INT);\nCREATE TABLE b (x INT);\nRENAME TABLE a TO z, z TO b;")
    assert errors(s) == [("1.sql", 3)]
    assert sorted(t.name for t in s.tables) == ["a", "b"]


def test_drop_several_tables_if_exists() -> None:
    s = replay("CREATE TABLE a (x INT);\nCREATE TABLE b (x INT);\nDROP TABLE IF EXISTS a, zz, b;")
    assert s.tables == ()
    assert s.errors == ()


def test_drop_missing_table_is_an_error_but_the_others_go() -> None:
    s = replay("CREATE TABLE a (x INT);\nDROP TABLE a, zz;")
    assert s.tables == ()
    assert errors(s) == [("1.sql", 2)]


def test_drop_of_a_referenced_table_is_refused() -> None:
    s = replay(
        "CREATE TABLE p (id INT PRIMARY KEY);\n"
        "CREATE TABLE c (pid INT, FOREIGN KEY (pid) REFERENCES p (id));\n"
        "DROP TABLE p;"
    )
    assert errors(s) == [("1.sql", 3)]


def test_foreign_key_checks_off_allows_it_for_that_file_only() -> None:
    s = replay(
        "CREATE TABLE p (id INT PRIMARY KEY);\n"
        "CREATE TABLE c (pid INT, FOREIGN KEY (pid) REFERENCES p (id));\n",
        "SET FOREIGN_KEY_CHECKS = 0;\n"
        "CREATE TABLE d (x INT, FOREIGN KEY (x) REFERENCES nope (id));",
        "CREATE TABLE e (x INT, FOREIGN KEY (x) REFERENCES nope (id));",
    )
    assert errors(s) == [("3.sql", 1)]
    assert table(s, "d").foreign_keys[0].ref_table == "nope"


def test_create_table_like_copies_all_but_foreign_keys() -> None:
    s = replay(
        "CREATE TABLE p (id INT PRIMARY KEY);\n"
        "CREATE TABLE c (id INT, pid INT, UNIQUE (id), FOREIGN KEY (pid) REFERENCES p (id));\n"
        "CREATE TABLE c2 LIKE c;"
    )
    c2 = table(s, "c2")
    assert (columns(s, "c2"), c2.foreign_keys, len(c2.uniques)) == (["id", "pid"], (), 1)


def test_create_table_if_not_exists_keeps_the_first() -> None:
    s = replay("CREATE TABLE t (a INT);\nCREATE TABLE IF NOT EXISTS t (b INT);")
    assert columns(s, "t") == ["a"]
    assert s.errors == ()
    assert [n.kind for n in s.notes] == ["skipped"]


# -- keys, the names MariaDB gives them, and implicit NOT NULL ---------------------------------


def test_primary_key_columns_are_not_null() -> None:
    s = replay("CREATE TABLE t (a INT NULL, b INT, PRIMARY KEY (a, b));")
    assert [c.nullable for c in table(s, "t").columns] == [False, False]
    assert table(s, "t").primary_key.name == "PRIMARY"


def test_auto_increment_is_the_identity() -> None:
    s = replay("CREATE TABLE t (id BIGINT UNSIGNED AUTO_INCREMENT, UNIQUE (id));")
    col = table(s, "t").column("id")
    assert (col.identity, col.nullable) == ("auto_increment", False)


def test_auto_increment_without_a_key_is_refused() -> None:
    s = replay("CREATE TABLE t (id INT AUTO_INCREMENT, v INT);")
    assert errors(s) == [("1.sql", 1)]
    assert s.tables == ()


def test_unnamed_keys_are_named_after_their_first_column() -> None:
    s = replay("CREATE TABLE t (a INT, b INT, KEY (a), KEY (a, b), UNIQUE (b));")
    t = table(s, "t")
    assert [i.name for i in t.indexes] == ["a", "a_2"]
    assert [u.name for u in t.uniques] == ["b"]


def test_unique_is_not_repeated_as_an_index() -> None:
    s = replay("CREATE TABLE t (a INT UNIQUE);\nCREATE UNIQUE INDEX ux ON t (a);")
    t = table(s, "t")
    assert [u.name for u in t.uniques] == ["a", "ux"]
    assert t.indexes == ()


def test_foreign_key_index_is_named_after_the_constraint() -> None:
    s = replay(
        "CREATE TABLE p (id INT PRIMARY KEY);\n"
        "CREATE TABLE c (pid INT, CONSTRAINT fk_p FOREIGN KEY (pid) REFERENCES p (id));"
    )
    c = table(s, "c")
    assert [(i.name, i.columns) for i in c.indexes] == [("fk_p", ("pid",))]


def test_unnamed_foreign_key_gets_ibfk_name_and_column_index() -> None:
    s = replay("CREATE TABLE p (id INT PRIMARY KEY);\nCREATE TABLE c (pid INT REFERENCES p (id));")
    c = table(s, "c")
    assert (c.foreign_keys[0].name, c.indexes[0].name) == ("c_ibfk_1", "pid")


def test_ibfk_numbers_continue_after_the_highest() -> None:
    s = replay(
        "CREATE TABLE p (id INT PRIMARY KEY);\n"
        "CREATE TABLE c (a INT, b INT, FOREIGN KEY (a) REFERENCES p (id),"
        " FOREIGN KEY (b) REFERENCES p (id));\n"
        "ALTER TABLE c DROP FOREIGN KEY c_ibfk_1;\n"
        "ALTER TABLE c ADD FOREIGN KEY (a) REFERENCES p (id);"
    )
    assert sorted(f.name for f in table(s, "c").foreign_keys) == ["c_ibfk_2", "c_ibfk_3"]


def test_foreign_key_index_goes_when_another_index_covers_it() -> None:
    s = replay(
        "CREATE TABLE p (id INT PRIMARY KEY);\n"
        "CREATE TABLE c (a INT, b INT);\n"
        "ALTER TABLE c ADD FOREIGN KEY (a) REFERENCES p (id);\n"
        "ALTER TABLE c ADD INDEX (a, b);"
    )
    assert [(i.name, i.columns) for i in table(s, "c").indexes] == [("a", ("a", "b"))]


def test_foreign_key_uses_an_existing_index() -> None:
    s = replay(
        "CREATE TABLE p (id INT PRIMARY KEY);\n"
        "CREATE TABLE c (a INT, b INT, PRIMARY KEY (a, b), FOREIGN KEY (a) REFERENCES p (id));"
    )
    assert table(s, "c").indexes == ()


def test_unwritten_actions_are_restrict_and_no_action_stays() -> None:
    s = replay(
        "CREATE TABLE p (id INT PRIMARY KEY);\n"
        "CREATE TABLE c (a INT, FOREIGN KEY (a) REFERENCES p (id) ON DELETE NO ACTION);"
    )
    fk = table(s, "c").foreign_keys[0]
    assert (fk.on_delete, fk.on_update) == ("NO ACTION", "RESTRICT")


def test_foreign_key_to_an_incompatible_type_is_refused() -> None:
    s = replay(
        "CREATE TABLE p (id BIGINT PRIMARY KEY);\n"
        "CREATE TABLE c (a INT, FOREIGN KEY (a) REFERENCES p (id));"
    )
    assert errors(s) == [("1.sql", 2)]


def test_dropping_an_index_a_foreign_key_needs_is_refused() -> None:
    s = replay(
        "CREATE TABLE p (id INT PRIMARY KEY);\n"
        "CREATE TABLE c (a INT, FOREIGN KEY (a) REFERENCES p (id));\n"
        "ALTER TABLE c DROP INDEX a;"
    )
    assert errors(s) == [("1.sql", 3)]


def test_create_and_drop_index() -> None:
    s = replay(
        "CREATE TABLE t (a VARCHAR(20), b INT);\n"
        "CREATE INDEX ix ON t (a(5), b DESC);\n"
        "CREATE FULLTEXT INDEX ft ON t (a);\n"
        "DROP INDEX ix ON t;"
    )
    assert [(i.name, i.columns, i.method) for i in table(s, "t").indexes] == [
        ("ft", ("a",), "fulltext")
    ]


def test_drop_and_add_primary_key() -> None:
    s = replay(
        "CREATE TABLE t (a INT PRIMARY KEY, b INT NOT NULL);\n"
        "ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (b);"
    )
    assert table(s, "t").primary_key.columns == ("b",)


# -- checks ---------------------------------------------------------------------------------


def test_json_is_longtext_with_a_check_named_after_the_column() -> None:
    s = replay("CREATE TABLE t (doc JSON);")
    t = table(s, "t")
    assert (t.column("doc").type.sql, t.column("doc").type.family) == ("longtext", "json")
    assert [c.name for c in t.checks] == ["doc"]


def test_unnamed_checks_are_numbered() -> None:
    s = replay(
        "CREATE TABLE t (a INT CHECK (a > 0), b INT, CHECK (b > 0),"
        " CONSTRAINT named CHECK (b < 9));\n"
        "ALTER TABLE t ADD CHECK (a < 100);"
    )
    assert sorted(c.name for c in table(s, "t").checks) == [
        "CONSTRAINT_1",
        "CONSTRAINT_2",
        "a",
        "named",
    ]


# -- defaults as COLUMN_DEFAULT reports them ---------------------------------------------------


def test_defaults_are_spelled_as_mariadb_reports_them() -> None:
    s = replay(
        "CREATE TABLE t (d DECIMAL(12,2) DEFAULT 0, s VARCHAR(9) DEFAULT 'it''s',"
        " ts DATETIME(3) DEFAULT CURRENT_TIMESTAMP(3), n INT DEFAULT NULL, b BOOL DEFAULT TRUE,"
        " f DOUBLE DEFAULT 1e3, u VARCHAR(36) DEFAULT (uuid()), dt DATE DEFAULT '2024-1-2');"
    )
    assert [c.default for c in table(s, "t").columns] == [
        "0.00",
        "'it''s'",
        "current_timestamp(3)",
        None,
        "1",
        "1000",
        "uuid()",
        "'2024-01-02'",
    ]


def test_enum_lives_in_the_column_type() -> None:
    s = replay("CREATE TABLE t (r ENUM('a','b') NOT NULL DEFAULT 'a');")
    assert table(s, "t").column("r").type.sql == "enum('a','b')"
    assert s.enums == ()


def test_mysql_tables_have_no_schema_name() -> None:
    s = replay("CREATE TABLE `Mixed Case` (`id` INT);")
    assert (s.tables[0].name, s.tables[0].schema) == ("Mixed Case", None)


# -- errors, lines and the replay going on ------------------------------------------------


def test_alter_of_a_missing_table_is_an_error_at_its_line() -> None:
    s = replay("CREATE TABLE a (x INT);\n\n-- note\nALTER TABLE nope\n  ADD y INT;\n")
    assert errors(s) == [("1.sql", 4)]


def test_syntax_error_mid_file_keeps_replaying_with_the_right_line() -> None:
    s = replay(
        "CREATE TABLE a (x INT);\n"
        "ALTER TABLE a\n  ADD COLUMN y INT DEFAULT;\n"
        "CREATE TABLE b (x INT);\n"
    )
    assert errors(s) == [("1.sql", 2)]
    assert sorted(t.name for t in s.tables) == ["a", "b"]
    assert columns(s, "a") == ["x"]


def test_a_refused_alter_changes_nothing() -> None:
    s = replay("CREATE TABLE t (a INT);\nALTER TABLE t ADD b INT, DROP COLUMN nope;")
    assert columns(s, "t") == ["a"]
    assert errors(s) == [("1.sql", 2)]


def test_duplicate_column_is_refused() -> None:
    s = replay("CREATE TABLE t (a INT);\nALTER TABLE t ADD a INT;")
    assert errors(s) == [("1.sql", 2)]


def test_error_line_follows_the_client_for_a_statement_sharing_a_line() -> None:
    # The client reports a statement at the line where its buffer was last empty.
    s = replay("CREATE TABLE t (\n  a INT\n); ALTER TABLE nope ADD b INT;")
    assert errors(s) == [("1.sql", 1)]


def test_unterminated_string_is_an_error_and_what_came_before_stays() -> None:
    s = replay("CREATE TABLE t (a INT);\nINSERT INTO t VALUES ('oops);\nCREATE TABLE u (a INT);\n")
    assert errors(s) == [("1.sql", 2)]
    assert [t.name for t in s.tables] == ["t"]


def test_insert_into_a_missing_table_or_column_is_refused() -> None:
    s = replay(
        "CREATE TABLE t (a INT);\n"
        "INSERT INTO t (a) VALUES (1);\n"
        "INSERT INTO t (b) VALUES (1);\n"
        "INSERT INTO ghost VALUES (1);"
    )
    assert errors(s) == [("1.sql", 3), ("1.sql", 4)]


# -- splitting: DELIMITER, strings, comments ---------------------------------------------------


def test_delimiter_wraps_a_trigger_that_becomes_a_note() -> None:
    s = replay(
        "CREATE TABLE t (a INT);\n"
        "DELIMITER $$\n"
        "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW\n"
        "BEGIN\n  SET NEW.a = 1;\nEND$$\n"
        "DELIMITER ;\n"
        "ALTER TABLE t ADD b INT;"
    )
    assert [(n.kind, n.origin.line) for n in s.notes] == [("trigger", 3)]
    assert columns(s, "t") == ["a", "b"]


def test_trigger_on_a_missing_table_is_refused() -> None:
    s = replay("DELIMITER //\nCREATE TRIGGER trg AFTER DELETE ON nope FOR EACH ROW BEGIN END //")
    assert errors(s) == [("1.sql", 2)]


def test_split_ignores_delimiters_in_strings_identifiers_and_comments() -> None:
    text = "SELECT 'a;b', `c;d`; -- x;y\n/* ; */ SELECT \"e;\";\n# z;\nSELECT 3"
    assert [st.text for st in split(text)] == ["SELECT 'a;b', `c;d`", 'SELECT "e;"', "SELECT 3"]


def test_split_with_a_custom_delimiter_glued_to_end() -> None:
    text = "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END//\nDELIMITER ;\nSELECT 2;"
    statements = split(text)
    assert [st.text for st in statements] == [
        "CREATE PROCEDURE p() BEGIN SELECT 1; END",
        "SELECT 2",
    ]
    assert [st.line for st in statements] == [2, 4]


def test_executable_comments_run() -> None:
    s = replay(
        "/*!40014 SET FOREIGN_KEY_CHECKS=0 */;\n"
        "CREATE TABLE c (a INT, FOREIGN KEY (a) REFERENCES later (id));"
    )
    assert s.errors == ()


def test_notes_for_what_is_not_modelled() -> None:
    s = replay(
        "SET NAMES utf8mb4;\nCREATE TABLE t (a INT);\nINSERT INTO t VALUES (1);\n"
        "CREATE VIEW v AS SELECT a FROM t;\nLOCK TABLES t WRITE;\nUNLOCK TABLES;\nUSE shop;"
    )
    assert [n.kind for n in s.notes] == ["session", "data", "view", "session", "session", "session"]


# -- origins ------------------------------------------------------------------------------------


def test_origins_point_at_the_defining_lines() -> None:
    s = replay(
        "-- header\nCREATE TABLE t (\n  a INT,\n  b INT\n);\nALTER TABLE t\n  MODIFY b BIGINT;\n"
    )
    t = table(s, "t")
    assert (t.origin.line, t.column("a").origin.line, t.column("b").origin.line) == (2, 3, 7)


# -- ALTER TABLE as mysql_prepare_alter_table builds it (each found by a generated stream) -----


def test_alter_column_default_on_a_redefined_column_is_refused() -> None:
    s = replay(
        "CREATE TABLE t (a INT, b INT);\nALTER TABLE t MODIFY a BIGINT, ALTER a SET DEFAULT 1;"
    )
    assert errors(s) == [("1.sql", 2)]


def test_alter_column_default_reaches_an_added_column() -> None:
    s = replay("CREATE TABLE t (a INT);\nALTER TABLE t ADD b INT, ALTER COLUMN b SET DEFAULT 5;")
    assert table(s, "t").column("b").default == "5"


def test_add_then_rename_of_the_old_column_is_no_duplicate() -> None:
    s = replay("CREATE TABLE t (a INT, b INT);\nALTER TABLE t ADD a TEXT, RENAME COLUMN a TO c;")
    assert columns(s, "t") == ["c", "b", "a"]


def test_a_column_dropped_and_added_again_keeps_its_index() -> None:
    s = replay("CREATE TABLE t (a INT, b INT, KEY ka (a));\nALTER TABLE t DROP a, ADD a INT;")
    assert [(i.name, i.columns) for i in table(s, "t").indexes] == [("ka", ("a",))]


def test_an_index_cannot_move_to_a_wider_column() -> None:
    s = replay("CREATE TABLE t (a INT, b INT, KEY ka (a));\nALTER TABLE t DROP a, ADD a BIGINT;")
    assert errors(s) == [("1.sql", 2)]


def test_failed_create_or_replace_leaves_no_table() -> None:
    s = replay(
        "CREATE TABLE t (a INT);\n"
        "CREATE OR REPLACE TABLE t (a INT, FOREIGN KEY (a) REFERENCES nope (id));"
    )
    assert errors(s) == [("1.sql", 2)]
    assert s.tables == ()


def test_foreign_keys_compare_storage_not_spelling() -> None:
    s = replay(
        "CREATE TABLE p (id DECIMAL(10,2) PRIMARY KEY, code VARCHAR(10) UNIQUE);\n"
        "CREATE TABLE c (d DATETIME(3), s CHAR(3), FOREIGN KEY (d) REFERENCES p (id),"
        " FOREIGN KEY (s) REFERENCES p (code));"
    )
    assert s.errors == ()  # InnoDB stores both DECIMAL and DATETIME(3) as fixed binary


def test_renaming_into_a_dangling_reference_must_fit_it() -> None:
    s = replay(
        "SET FOREIGN_KEY_CHECKS = 0;\n"
        "CREATE TABLE c (x INT, FOREIGN KEY (x) REFERENCES p (id));\n"
        "CREATE TABLE p2 (id BIGINT PRIMARY KEY);\n"
        "RENAME TABLE p2 TO p;"
    )
    assert errors(s) == [("1.sql", 4)]


def test_renaming_a_foreign_key_column_with_a_copy_is_refused() -> None:
    s = replay(
        "CREATE TABLE p (id INT PRIMARY KEY);\n"
        "CREATE TABLE c (x INT, y INT, FOREIGN KEY (x) REFERENCES p (id));\n"
        "ALTER TABLE c RENAME COLUMN x TO z;\n"
        "ALTER TABLE c RENAME COLUMN z TO w, MODIFY y BIGINT;"
    )
    assert errors(s) == [("1.sql", 4)]
    assert table(s, "c").foreign_keys[0].columns == ("z",)


def test_check_on_a_column_a_foreign_key_updates_is_refused() -> None:
    s = replay(
        "CREATE TABLE p (id INT PRIMARY KEY);\n"
        "CREATE TABLE c (x INT, FOREIGN KEY (x) REFERENCES p (id) ON UPDATE CASCADE,"
        " CHECK (x > 0));"
    )
    assert errors(s) == [("1.sql", 2)]
