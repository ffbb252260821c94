"""Discovery on small trees built in tmp_path: one test per layout and per rule."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest

from dbdrift import discover as discover_module
from dbdrift.discover import Discovery, discover
from trees import write

USERS = "CREATE TABLE users (\n    id integer PRIMARY KEY,\n    email text NOT NULL\n);\n"


def only_source(found: Discovery):
    assert len(found.sources) == 1, found.sources
    return found.sources[0]


def skipped(found: Discovery) -> dict[str, str]:
    return {s.path: s.reason for s in found.skipped}


def names(files: tuple[str, ...]) -> list[str]:
    return [f.rpartition("/")[2] for f in files]


# --------------------------------------------------------------------------- layouts


def test_numbered_files_are_one_stream_in_numeric_order(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "db/migrations/10_add_orders.sql": "CREATE TABLE orders (id int);\n",
            "db/migrations/2_add_email.sql": "ALTER TABLE users ADD COLUMN email text;\n",
            "db/migrations/1_init.sql": USERS,
            "db/migrations/README.md": "# migrations\n",
        },
    )
    source = only_source(discover(tmp_path))
    assert source.id == "db/migrations"
    assert source.kind == "sql-migrations"
    assert names(source.files) == ["1_init.sql", "2_add_email.sql", "10_add_orders.sql"]
    assert source.files[0] == "db/migrations/1_init.sql"
    assert source.details["layout"] == "numbered"


def test_zero_padded_and_dashed_numbers(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "sql/0002-add-orders.sql": "CREATE TABLE orders (id int);\n",
            "sql/0001-init.sql": USERS,
            "sql/0010-indexes.sql": "CREATE INDEX orders_id ON orders (id);\n",
        },
    )
    source = only_source(discover(tmp_path))
    assert names(source.files) == ["0001-init.sql", "0002-add-orders.sql", "0010-indexes.sql"]


def test_flyway_versions_compare_part_by_part_and_repeatables_run_last(tmp_path: Path) -> None:
    files = [
        "V1__init.sql",
        "V1.1__orders.sql",
        "V1.2__items.sql",
        "V1.10__addresses.sql",
        "V2__inventory.sql",
        "V2_1__stock.sql",
        "V10__loyalty.sql",
        "R__b_views.sql",
        "R__a_functions.sql",
    ]
    tree = {f"db/migration/{name}": USERS.replace("users", f"t{i}") for i, name in enumerate(files)}
    tree["db/migration/U2__inventory.sql"] = "DROP TABLE inventory;\n"
    found = discover(write(tmp_path, tree))
    source = only_source(found)
    assert source.id == "db/migration"
    assert source.details["layout"] == "flyway"
    assert names(source.files) == [
        "V1__init.sql",
        "V1.1__orders.sql",
        "V1.2__items.sql",
        "V1.10__addresses.sql",
        "V2__inventory.sql",
        "V2_1__stock.sql",
        "V10__loyalty.sql",
        "R__a_functions.sql",
        "R__b_views.sql",
    ]
    assert "undo" in skipped(found)["db/migration/U2__inventory.sql"]


def test_golang_migrate_down_files_are_skipped_and_listed(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "migrations/000001_create_users.up.sql": USERS,
            "migrations/000001_create_users.down.sql": "DROP TABLE users;\n",
            "migrations/000002_orders.up.sql": "CREATE TABLE orders (id int);\n",
            "migrations/000002_orders.down.sql": "DROP TABLE orders;\n",
        },
    )
    found = discover(tmp_path)
    source = only_source(found)
    assert source.details["layout"] == "golang-migrate"
    assert names(source.files) == ["000001_create_users.up.sql", "000002_orders.up.sql"]
    assert skipped(found) == {
        "migrations/000001_create_users.down.sql": "golang-migrate down migration",
        "migrations/000002_orders.down.sql": "golang-migrate down migration",
    }


def test_dbmate_files_are_recognised_by_their_marker(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "db/migrations/20240101000000_users.sql": (
                f"-- migrate:up\n{USERS}\n-- migrate:down\nDROP TABLE users;\n"
            ),
            "db/migrations/20240102000000_orders.sql": (
                "-- migrate:up\nCREATE TABLE orders (id int);\n\n"
                "-- migrate:down\nDROP TABLE orders;\n"
            ),
        },
    )
    source = only_source(discover(tmp_path))
    assert source.details["layout"] == "dbmate"
    assert names(source.files) == ["20240101000000_users.sql", "20240102000000_orders.sql"]


def test_dbmate_down_section_does_not_count_as_ddl(tmp_path: Path) -> None:
    """A dbmate file whose up part only seeds data is data, whatever its down part drops."""
    write(
        tmp_path,
        {
            "db/migrations/20240101000000_seed.sql": (
                "-- migrate:up\nINSERT INTO users VALUES (1);\n-- migrate:down\nDROP TABLE users;\n"
            ),
        },
    )
    found = discover(tmp_path)
    assert found.sources == ()
    assert skipped(found)["db/migrations"].startswith("data only: 1 INSERT statement")


def test_prisma_migrations_folder_with_lock_provider(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "prisma/schema.prisma": 'datasource db {\n  provider = "postgresql"\n}\n',
            "prisma/migrations/migration_lock.toml": 'provider = "mysql"\n',
            "prisma/migrations/20240201000000_orders/migration.sql": "CREATE TABLE o (id int);\n",
            "prisma/migrations/20240101000000_init/migration.sql": USERS,
            "prisma/migrations/20240101000000_init/down.sql": "DROP TABLE users;\n",
        },
    )
    found = discover(tmp_path)
    # the schema.prisma beside it is a source of its own (tests/test_discover_prisma.py)
    (source,) = [s for s in found.sources if s.kind == "sql-migrations"]
    assert source.id == "prisma/migrations"
    assert source.details["layout"] == "prisma"
    assert source.files == (
        "prisma/migrations/20240101000000_init/migration.sql",
        "prisma/migrations/20240201000000_orders/migration.sql",
    )
    # the lock file wins over the datasource, and says where it came from
    assert source.dialect == "mysql"
    assert source.dialect_evidence == 'prisma/migrations/migration_lock.toml: provider = "mysql"'
    assert "down migration" in skipped(found)["prisma/migrations/20240101000000_init/down.sql"]


def test_supabase_migrations_and_seed(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "supabase/migrations/20240110120000_profiles.sql": USERS,
            "supabase/migrations/20240115093000_notes.sql": "CREATE TABLE notes (id int);\n",
            "supabase/seed.sql": "INSERT INTO users VALUES (1, 'a');\n" * 3,
        },
    )
    found = discover(tmp_path)
    source = only_source(found)
    assert source.id == "supabase/migrations"
    assert source.details["layout"] == "supabase"
    assert len(source.files) == 2
    assert skipped(found) == {"supabase/seed.sql": "data only: 3 INSERT statements, no DDL"}


@pytest.mark.parametrize(
    "first, second",
    [
        ("20240101120000_init.sql", "20240215083000_orders.sql"),  # Rails / Knex / sqlx style
        ("1700000000_init.sql", "1700003600_orders.sql"),  # unix seconds
    ],
)
def test_timestamp_prefixed_files(tmp_path: Path, first: str, second: str) -> None:
    write(
        tmp_path,
        {f"migrations/{second}": "CREATE TABLE orders (id int);\n", f"migrations/{first}": USERS},
    )
    source = only_source(discover(tmp_path))
    assert names(source.files) == [first, second]
    assert source.details["layout"] == "timestamp"


def test_stray_file_in_a_migration_folder_is_reported_not_mixed_in(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "migrations/001_init.sql": USERS,
            "migrations/002_orders.sql": "CREATE TABLE orders (id int);\n",
            "migrations/fix_orders.sql": "ALTER TABLE orders ADD COLUMN note text;\n",
        },
    )
    found = discover(tmp_path)
    source = only_source(found)
    assert "migrations/fix_orders.sql" not in source.files
    reason = skipped(found)["migrations/fix_orders.sql"]
    assert "not named like its numbered steps" in reason


def test_schema_snapshot_inside_a_migration_folder_stays_a_source(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "migrations/001_init.sql": USERS,
            "migrations/002_orders.sql": "CREATE TABLE orders (id int);\n",
            "migrations/schema.sql": USERS,
        },
    )
    found = discover(tmp_path)
    kinds = {s.id: s.kind for s in found.sources}
    assert kinds == {"migrations": "sql-migrations", "migrations/schema.sql": "sql-schema"}
    assert "migrations/schema.sql" not in found.source("migrations").files


def test_one_numbered_file_beside_a_schema_is_not_a_stream(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "db/schema.sql": USERS,
            "db/2024_cleanup.sql": "CREATE TABLE archive (id int);\n",
            "app/migrations/001_init.sql": USERS.replace("users", "accounts"),
        },
    )
    kinds = {s.id: s.kind for s in discover(tmp_path).sources}
    assert kinds == {
        "app/migrations": "sql-migrations",
        "db/2024_cleanup.sql": "sql-schema",
        "db/schema.sql": "sql-schema",
    }


def test_folder_of_seed_files_is_skipped_with_the_reason(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "seeds/001_users.sql": "INSERT INTO users VALUES (1);\nINSERT INTO users VALUES (2);\n",
            "seeds/002_orders.sql": "INSERT INTO orders VALUES (1);\n",
        },
    )
    found = discover(tmp_path)
    assert found.sources == ()
    assert skipped(found) == {"seeds": "data only: 3 INSERT statements in 2 files, no DDL"}


# ------------------------------------------------------------------------ lone files


@pytest.mark.parametrize(
    "name", ["schema.sql", "init.sql", "app_schema.sql", "structure.sql", "tables.sql"]
)
def test_lone_schema_files(tmp_path: Path, name: str) -> None:
    write(tmp_path, {f"db/{name}": USERS})
    source = only_source(discover(tmp_path))
    assert (source.id, source.kind, source.files) == (f"db/{name}", "sql-schema", (f"db/{name}",))


def test_create_table_in_a_comment_or_string_does_not_make_a_schema(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "queries/report.sql": (
                "-- CREATE TABLE report (id int);\n"
                "/* CREATE TABLE x (id int); */\n"
                "SELECT 'CREATE TABLE y (id int)' AS note;\n"
                "SELECT count(*) FROM users;\n"
            )
        },
    )
    found = discover(tmp_path)
    assert found.sources == ()
    assert skipped(found) == {"queries/report.sql": "no DDL: 2 SELECT statements"}


def test_a_patch_without_create_table_is_skipped(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "scripts/patch.sql": (
                "ALTER TABLE users ADD COLUMN age int;\n"
                "CREATE UNIQUE INDEX IF NOT EXISTS users_email ON users (email);\n"
                "ALTER TABLE users ALTER COLUMN age SET NOT NULL;\n"
            )
        },
    )
    assert skipped(discover(tmp_path)) == {
        "scripts/patch.sql": (
            "no CREATE TABLE: 2 ALTER TABLE, 1 CREATE INDEX statements (a patch, not a schema)"
        )
    }


def test_a_file_named_schema_counts_with_any_ddl(tmp_path: Path) -> None:
    write(tmp_path, {"schema.sql": "CREATE TYPE mood AS ENUM ('ok');\n"})
    assert only_source(discover(tmp_path)).id == "schema.sql"


def test_seed_file_is_skipped_with_the_reason(tmp_path: Path) -> None:
    rows = "".join(f"INSERT INTO users (id, email) VALUES ({i}, 'u{i}@x');\n" for i in range(12))
    found = discover(write(tmp_path, {"db/seed.sql": rows}))
    assert found.sources == ()
    assert found.skipped[0].path == "db/seed.sql"
    assert found.skipped[0].reason == "data only: 12 INSERT statements, no DDL"


def test_empty_and_comment_only_files_are_skipped(tmp_path: Path) -> None:
    write(tmp_path, {"a/empty.sql": "", "b/blank.sql": "\n  \n", "c/notes.sql": "-- todo\n"})
    assert skipped(discover(tmp_path)) == {
        "a/empty.sql": "empty file",
        "b/blank.sql": "empty file",
        "c/notes.sql": "only comments, no statements",
    }


@pytest.mark.parametrize(
    "content",
    [b"CREATE TABLE caf\xe9 (id int);\n", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"],
    ids=["latin-1", "binary"],
)
def test_undecodable_file_is_still_a_source(tmp_path: Path, content: bytes) -> None:
    write(tmp_path, {"db/dump.sql": content})
    source = only_source(discover(tmp_path))
    assert (source.id, source.kind) == ("db/dump.sql", "sql-schema")


# ---------------------------------------------------------------------------- copies


def test_identical_schema_files_are_one_source_with_every_path(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "services/b/schema.sql": USERS,
            "schema.sql": USERS,
            "services/a/db/schema.sql": USERS,
            "services/c/schema.sql": USERS + "CREATE TABLE extra (id int);\n",
        },
    )
    found = discover(tmp_path)
    assert [(s.id, s.copies) for s in found.sources] == [
        ("schema.sql", ("services/a/db/schema.sql", "services/b/schema.sql")),
        ("services/c/schema.sql", ()),
    ]
    merged = found.sources[0]
    assert merged.paths == ("schema.sql", "services/a/db/schema.sql", "services/b/schema.sql")
    assert found.source("services/b/schema.sql") is merged


def test_identical_migration_folders_are_merged(tmp_path: Path) -> None:
    stream = {"001_init.sql": USERS, "002_orders.sql": "CREATE TABLE orders (id int);\n"}
    tree = {
        f"{svc}/migrations/{name}": text
        for svc in ("svc2", "svc1")
        for name, text in stream.items()
    }
    tree["svc3/migrations/001_init.sql"] = USERS  # a prefix of the stream: different
    found = discover(write(tmp_path, tree))
    assert [(s.id, s.copies) for s in found.sources] == [
        ("svc1/migrations", ("svc2/migrations",)),
        ("svc3/migrations", ()),
    ]
    assert found.sources[0].files == (
        "svc1/migrations/001_init.sql",
        "svc1/migrations/002_orders.sql",
    )


# ----------------------------------------------------------------------------- walk


@pytest.mark.parametrize(
    "folder",
    ["node_modules/pkg", ".venv/lib", "venv", "dist", "build", "vendor/x", "target", ".git",
     "__pycache__", ".tox", ".mypy_cache", "env-with-pyvenv-cfg"],
)  # fmt: skip
def test_dependency_and_build_folders_are_not_walked(tmp_path: Path, folder: str) -> None:
    tree: dict[str, str | bytes] = {f"{folder}/schema.sql": USERS}
    if folder == "env-with-pyvenv-cfg":
        tree[f"{folder}/pyvenv.cfg"] = "home = /usr/bin\n"
    found = discover(write(tmp_path, tree))
    assert found == Discovery()


def test_config_exclude_names_and_paths(tmp_path: Path) -> None:
    write(tmp_path, {"fixtures/schema.sql": USERS, "a/legacy/schema.sql": USERS + "\n"})
    config = discover_module.DiscoverConfig(exclude=("fixtures", "a/legacy"))
    assert discover(tmp_path, config) == Discovery()


def _discover_with_deadline(root: Path, seconds: float = 10) -> Discovery:
    """Run discovery in a thread so that a walk that never ends fails the test instead."""
    result: list[Discovery] = []
    worker = threading.Thread(target=lambda: result.append(discover(root)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "discovery did not finish: a symlink loop was followed"
    return result[0]


def test_symlink_loop_is_reported_and_does_not_hang(tmp_path: Path) -> None:
    write(tmp_path, {"db/schema.sql": USERS})
    (tmp_path / "db" / "nested").mkdir()
    os.symlink("../..", tmp_path / "db" / "nested" / "up")  # points at the root
    os.symlink("self", tmp_path / "db" / "self")  # a link to itself: ELOOP
    found = _discover_with_deadline(tmp_path)
    assert [s.id for s in found.sources] == ["db/schema.sql"]
    by_path = {e.origin.path: e for e in found.errors}
    assert set(by_path) == {"db/nested/up", "db/self"}
    assert (
        by_path["db/nested/up"].message
        == "symlink loop: db/nested/up points back to its ancestor ."
    )
    assert by_path["db/self"].message.startswith("symlink loop: db/self")
    assert all(e.origin.line == 1 for e in found.errors)


def test_symlinked_directory_is_followed_once(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write(outside, {"migrations/001_init.sql": USERS})
    repo = tmp_path / "repo"
    write(repo, {"db/schema.sql": USERS + "\n"})
    os.symlink(outside / "migrations", repo / "linked")  # outside the tree: walked
    os.symlink("db", repo / "db_alias")  # inside the tree: already walked
    found = _discover_with_deadline(repo)
    assert [s.id for s in found.sources] == ["db/schema.sql", "linked"]
    assert found.source("linked").files == ("linked/001_init.sql",)
    assert skipped(found) == {"db_alias": "symlink to db, already walked"}


def test_unreadable_directory_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"secret/schema.sql": USERS, "db/schema.sql": USERS + "\n"})
    real_scandir = os.scandir

    def scandir(path):  # root ignores permissions, so refuse the way a kernel would
        if str(path).endswith("secret"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(discover_module.tree.os, "scandir", scandir)
    found = discover(tmp_path)
    assert [s.id for s in found.sources] == ["db/schema.sql"]
    assert [(e.origin.path, e.origin.line, e.message) for e in found.errors] == [
        ("secret", 1, "cannot read directory secret: Permission denied")
    ]


def test_output_is_sorted_and_deterministic(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "z/schema.sql": USERS,
            "a/schema.sql": USERS + "\n",
            "m/migrations/001_x.sql": USERS,
            "b/seed.sql": "INSERT INTO users VALUES (1);\n",
            "a/seed.sql": "INSERT INTO users VALUES (2);\n",
        },
    )
    first, second = discover(tmp_path), discover(tmp_path)
    assert first.to_dict() == second.to_dict()
    assert [s.id for s in first.sources] == sorted(s.id for s in first.sources)
    assert [s.path for s in first.skipped] == ["a/seed.sql", "b/seed.sql"]


# -------------------------------------------------------------------------- dialects


SYNTAX_CASES = [
    # (first file of the stream, dialect, evidence)
    ("CREATE TABLE t (\n  id int NOT NULL,\n  n int AUTO_INCREMENT\n);\n",
     "mysql", "AUTO_INCREMENT in 001_init.sql:3"),
    ("CREATE TABLE t (\n  id int\n) ENGINE=InnoDB;\n",
     "mysql", "ENGINE= in 001_init.sql:3"),
    ("CREATE TABLE t (\n  id int UNSIGNED\n);\n",
     "mysql", "UNSIGNED in 001_init.sql:2"),
    ("CREATE TABLE `t` (\n  `id` int\n);\n",
     "mysql", "backticks in 001_init.sql:1"),
    ("CREATE TABLE t (\n  id INTEGER PRIMARY KEY AUTOINCREMENT\n);\n",
     "sqlite", "AUTOINCREMENT in 001_init.sql:2"),
    ("CREATE TABLE t (\n  id int PRIMARY KEY\n) WITHOUT ROWID;\n",
     "sqlite", "WITHOUT ROWID in 001_init.sql:3"),
    ("PRAGMA foreign_keys = ON;\nCREATE TABLE t (id int);\n",
     "sqlite", "PRAGMA in 001_init.sql:1"),
    # backticks are weak evidence: SQLite accepts them too
    ("CREATE TABLE `t` (\n  `id` INTEGER PRIMARY KEY AUTOINCREMENT\n);\n",
     "sqlite", "AUTOINCREMENT in 001_init.sql:2"),
    ("CREATE TABLE t (\n  id serial PRIMARY KEY\n);\n",
     "postgresql", "SERIAL in 001_init.sql:2"),
    ("CREATE TABLE t (\n  id bigserial\n);\n",
     "postgresql", "SERIAL in 001_init.sql:2"),
    ("CREATE TABLE t (\n  d jsonb DEFAULT '{}'::jsonb\n);\n",
     "postgresql", "JSONB in 001_init.sql:2"),
    ("CREATE TABLE t (\n  n int DEFAULT 0::int\n);\n",
     "postgresql", ":: in 001_init.sql:2"),
    ("CREATE EXTENSION pgcrypto;\nCREATE TABLE t (id int);\n",
     "postgresql", "CREATE EXTENSION in 001_init.sql:1"),
    ("CREATE TABLE t (\n  at timestamptz\n);\n",
     "postgresql", "TIMESTAMPTZ in 001_init.sql:2"),
    ("CREATE TABLE t (id int);\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\n",
     "postgresql", "$$ in 001_init.sql:2"),
    # ClickHouse's table engines outweigh MySQL's ENGINE=
    ("CREATE TABLE events\n(\n  at DateTime,\n  kind String\n)\nENGINE = MergeTree\nORDER BY at;\n",
     "clickhouse", "ENGINE = MergeTree in 001_init.sql:6"),
    ("CREATE TABLE e (k LowCardinality(String)) ENGINE = ReplacingMergeTree ORDER BY k;\n",
     "clickhouse", "LowCardinality in 001_init.sql:1"),
    ("CREATE TABLE t (id int, name text);\n",
     "postgresql", None),
    # markers inside comments, strings or longer names do not count
    ("-- AUTO_INCREMENT ENGINE=x `a`\n"
     "CREATE TABLE t (note text DEFAULT 'AUTOINCREMENT', my_serial int);\n",
     "postgresql", None),
]  # fmt: skip


@pytest.mark.parametrize("sql, dialect, evidence", SYNTAX_CASES)
def test_dialect_from_syntax(tmp_path: Path, sql: str, dialect: str, evidence: str) -> None:
    write(tmp_path, {"migrations/001_init.sql": sql})
    source = only_source(discover(tmp_path))
    expected = f"syntax: {evidence}" if evidence else "default"
    assert (source.dialect, source.dialect_evidence) == (dialect, expected)


def test_dialect_evidence_of_a_lone_file_names_the_file(tmp_path: Path) -> None:
    write(tmp_path, {"db/schema.sql": "CREATE TABLE t (\n  id int AUTO_INCREMENT\n);\n"})
    source = only_source(discover(tmp_path))
    assert source.dialect_evidence == "syntax: AUTO_INCREMENT in schema.sql:2"


def test_dialect_evidence_is_the_first_file_in_apply_order(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "migrations/10_late.sql": "ALTER TABLE t ADD COLUMN d jsonb;\n",
            "migrations/2_early.sql": "CREATE TABLE t (\n  id int,\n  at timestamptz\n);\n",
        },
    )
    source = only_source(discover(tmp_path))
    assert source.dialect_evidence == "syntax: TIMESTAMPTZ in 2_early.sql:3"


def test_dialect_from_a_sibling_prisma_datasource(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "prisma/schema.prisma": (
                '// provider = "sqlite" in a comment does not count\n'
                'generator client {\n  provider = "prisma-client-js"\n}\n\n'
                'datasource db {\n  provider = "mysql"\n  url = env("DATABASE_URL")\n}\n'
            ),
            "prisma/migrations/20240101000000_init/migration.sql": USERS,
        },
    )
    (source,) = [s for s in discover(tmp_path).sources if s.kind == "sql-migrations"]
    assert (source.dialect, source.dialect_evidence) == (
        "mysql",
        'prisma/schema.prisma: provider = "mysql"',
    )


def test_unknown_prisma_provider_falls_back_to_syntax(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "prisma/migrations/migration_lock.toml": 'provider = "sqlserver"\n',
            "prisma/migrations/20240101000000_init/migration.sql": USERS,
        },
    )
    source = only_source(discover(tmp_path))
    assert (source.dialect, source.dialect_evidence) == ("postgresql", "default")
