"""The command line through `run(argv, out, err)`: exit codes, stdout payloads, clean stderr."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dbdrift import cli
from dbdrift.cli import EXIT_ERROR, EXIT_OK, run

USERS = (
    "CREATE TABLE users (\n    id serial PRIMARY KEY,\n    email varchar(255) NOT NULL UNIQUE\n);\n"
)
ORDERS = (
    "CREATE TABLE orders (\n"
    "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
    "    user_id integer NOT NULL REFERENCES users (id),\n"
    "    total numeric(12,2) NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE INDEX orders_user_id_idx ON orders (user_id);\n"
)


def invoke(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    files = {
        "db/migrations/001_users.sql": USERS,
        "db/migrations/002_orders.sql": ORDERS,
        "db/seed.sql": "INSERT INTO users (email) VALUES ('a@example.com');\n",
        "schema.sql": USERS,
        "services/api/schema.sql": USERS,
    }
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    return tmp_path


def test_sources_json_shape(repo: Path) -> None:
    code, out, err = invoke("sources", str(repo), "--format", "json")
    assert (code, err) == (EXIT_OK, "")
    doc = json.loads(out)
    assert list(doc) == ["format", "sources", "skipped", "errors"]
    assert doc["format"] == "dbdrift/1"
    assert [s["id"] for s in doc["sources"]] == ["db/migrations", "schema.sql"]
    stream, schema = doc["sources"]
    assert stream == {
        "id": "db/migrations",
        "kind": "sql-migrations",
        "dialect": "postgresql",
        "dialect_evidence": "syntax: SERIAL in 001_users.sql:2",
        "files": ["db/migrations/001_users.sql", "db/migrations/002_orders.sql"],
        "copies": [],
        "details": {"layout": "numbered"},
    }
    assert schema["copies"] == ["services/api/schema.sql"]
    assert doc["skipped"] == [
        {"path": "db/seed.sql", "reason": "data only: 1 INSERT statement, no DDL"}
    ]
    assert doc["errors"] == []


def test_sources_json_is_byte_identical_across_runs(repo: Path) -> None:
    assert invoke("sources", str(repo), "-f", "json") == invoke("sources", str(repo), "-f", "json")


def test_sources_text_lists_sources_skipped_and_errors(repo: Path) -> None:
    (repo / "loop").symlink_to(".")
    code, out, err = invoke("sources", str(repo))
    assert (code, err) == (EXIT_OK, "")
    for expected in (
        "db/migrations",
        "sql-migrations",
        "syntax: SERIAL in 001_users.sql:2",
        "services/api/schema.sql",  # a copy
        "db/seed.sql",
        "data only: 1 INSERT statement, no DDL",
        "loop:1: symlink loop: loop points back to its ancestor .",
    ):
        assert expected in out
    assert "\x1b[" not in out  # no colour codes when not writing to a terminal


def test_sources_of_an_empty_tree(tmp_path: Path) -> None:
    code, out, err = invoke("sources", str(tmp_path))
    assert (code, err) == (EXIT_OK, "")
    assert "No schema sources found" in out


def test_schema_json(repo: Path) -> None:
    code, out, err = invoke("schema", str(repo), "--source", "db/migrations")
    assert (code, err) == (EXIT_OK, "")
    doc = json.loads(out)
    assert doc["format"] == "dbdrift/1"
    assert doc["source"]["id"] == "db/migrations"
    assert [t["name"] for t in doc["tables"]] == ["users", "orders"]
    orders = doc["tables"][1]
    assert [c["name"] for c in orders["columns"]] == ["id", "user_id", "total"]
    assert orders["columns"][2]["type"]["sql"] == "numeric(12,2)"
    assert doc["errors"] == []
    assert out == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def test_schema_by_the_path_of_a_copy(repo: Path) -> None:
    code, out, _ = invoke("schema", str(repo), "-s", "services/api/schema.sql")
    assert code == EXIT_OK
    doc = json.loads(out)
    assert doc["source"]["id"] == "schema.sql"
    assert doc["source"]["paths"] == ["schema.sql", "services/api/schema.sql"]


def test_schema_sql(repo: Path) -> None:
    code, out, err = invoke("schema", str(repo), "-s", "db/migrations", "--format", "sql")
    assert (code, err) == (EXIT_OK, "")
    assert out.startswith("-- dbdrift: db/migrations (sql-migrations, postgresql)\n")
    assert "CREATE TABLE users (\n    id serial NOT NULL," in out
    assert "CREATE INDEX orders_user_id_idx ON orders (user_id);" in out
    assert "FOREIGN KEY (user_id) REFERENCES users (id);" in out


def test_unknown_source_is_a_usage_error_listing_the_ids(repo: Path) -> None:
    code, out, err = invoke("schema", str(repo), "--source", "nope")
    assert code == EXIT_ERROR
    assert out == ""
    assert err == (
        f"dbdrift: unknown source 'nope'; sources under {repo}: db/migrations, schema.sql\n"
    )


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = invoke("sources", str(tmp_path / "missing"))
    assert code == EXIT_ERROR
    assert out == ""
    assert "does not exist" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["sources", ".", "--format", "xml"],
        ["schema", "."],  # --source is required
        ["frobnicate"],
    ],
)
def test_bad_usage_exits_2(argv: list[str]) -> None:
    code, out, err = invoke(*argv)
    assert code == EXIT_ERROR
    assert out == ""
    assert "Usage:" in err or "Error" in err


def test_help_goes_to_stdout_and_exits_0() -> None:
    code, out, err = invoke("--help")
    assert (code, err) == (EXIT_OK, "")
    assert "sources" in out and "schema" in out


def test_internal_error_is_one_line_without_traceback(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "discover", broken)
    code, out, err = invoke("sources", str(repo))
    assert code == EXIT_ERROR
    assert out == ""
    assert err == "internal error: RuntimeError: boom, please report\n"


def test_console_entry_point(repo: Path) -> None:
    """`python -m dbdrift` runs `main`, which exits with the code `run` returned."""
    done = subprocess.run(
        [sys.executable, "-m", "dbdrift", "sources", str(repo), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (EXIT_OK, "")
    assert json.loads(done.stdout)["format"] == "dbdrift/1"
    failed = subprocess.run(
        [sys.executable, "-m", "dbdrift", "schema", str(repo), "--source", "nope"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert failed.returncode == EXIT_ERROR
    assert failed.stdout == ""
    assert "Traceback" not in failed.stderr


def test_importing_the_cli_loads_no_parser_or_driver() -> None:
    """`import dbdrift.cli` stays light: parsers, drivers and rich load only when used."""
    code = (
        "import sys, dbdrift.cli\n"
        "heavy = ('pglast', 'sqlglot', 'psycopg', 'pymysql', 'rich.table')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


# ------------------------------------------------------------ schema --format sql

# A small PostgreSQL schema using what render() must reproduce: a second schema, an enum,
# serial and identity columns, a nullable nextval default on a shared sequence, quoted
# names, arrays, defaults, composite and named constraints, checks, foreign keys with
# actions (one from a table to a table created after it), partial and expression indexes.
CONVERGENCE_SQL = """\
CREATE SCHEMA billing;
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped', 'it''s lost');
CREATE SEQUENCE ticket_numbers;

CREATE TABLE customers (
    id serial PRIMARY KEY,
    email varchar(320) NOT NULL,
    "Display Name" text,
    tags text[] DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT customers_email_key UNIQUE (email)
);

CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    status order_status NOT NULL DEFAULT 'new',
    ticket integer DEFAULT nextval('ticket_numbers'),
    total numeric(12,2) NOT NULL DEFAULT 0 CHECK (total >= 0),
    shipped_on date,
    CONSTRAINT orders_ship_after_paid CHECK (shipped_on IS NULL OR status <> 'new')
);

CREATE TABLE billing.invoices (
    order_id bigint NOT NULL,
    seq smallint NOT NULL,
    amount numeric(12,2) NOT NULL,
    issued_by integer,
    PRIMARY KEY (order_id, seq),
    CONSTRAINT invoices_order_fk FOREIGN KEY (order_id) REFERENCES orders (id)
        ON UPDATE CASCADE ON DELETE RESTRICT
);

CREATE TABLE billing.staff (
    id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name text NOT NULL
);

ALTER TABLE billing.invoices ADD CONSTRAINT invoices_issuer_fk
    FOREIGN KEY (issued_by) REFERENCES billing.staff (id) ON DELETE SET NULL;

CREATE INDEX orders_open_idx ON orders (customer_id) WHERE status <> 'shipped';
CREATE UNIQUE INDEX customers_lower_email_idx ON customers (lower(email));
CREATE INDEX customers_tags_idx ON customers USING gin (tags);
"""


@pytest.mark.postgres
def test_rendered_sql_reproduces_the_schema_on_postgres(tmp_path: Path, pg_scratch: str) -> None:
    """Convergence: the DDL `schema --format sql` prints, applied to an empty PostgreSQL,
    gives the catalog dbdrift read from the original, and reads back the same."""
    from dbdrift.discover import discover
    from dbdrift.readers.sql import read
    from oracle.compare import project
    from oracle.postgres import apply_stream, introspect

    original = tmp_path / "original"
    (original / "db").mkdir(parents=True)
    (original / "db" / "schema.sql").write_text(CONVERGENCE_SQL, encoding="utf-8")
    source = discover(original).source("db/schema.sql")
    assert source is not None
    expected = read(source)
    assert expected.errors == ()

    code, rendered, err = invoke("schema", str(original), "-s", "db/schema.sql", "-f", "sql")
    assert (code, err) == (EXIT_OK, "")

    again = tmp_path / "rendered"
    again.mkdir()
    (again / "schema.sql").write_text(rendered, encoding="utf-8")
    refused = apply_stream(pg_scratch, again, ["schema.sql"])
    assert refused == [], "\n".join(map(str, refused))
    assert introspect(pg_scratch) == project(expected)

    reread = read(discover(again).source("schema.sql"))
    assert reread.errors == ()
    assert project(reread) == project(expected)


def _small_schema(dialect: str):
    """Two tables built by hand, the way a MySQL or SQLite reader would report them."""
    from dbdrift.schema import Column, ForeignKey, Index, PrimaryKey, Schema, SourceRef, Table
    from dbdrift.types import Type

    integer = Type("integer", "INTEGER" if dialect == "sqlite" else "int", bits=32)
    text = Type("text", "TEXT" if dialect == "sqlite" else "varchar(255)")
    users = Table(
        "users",
        columns=(
            Column(
                "id",
                integer,
                nullable=False,
                identity="auto_increment" if dialect == "mysql" else "by default",
            ),
            Column("email", text, nullable=False),
        ),
        primary_key=PrimaryKey(None, ("id",)),
        indexes=(Index("users_email_idx", ("email",), unique=True),),
    )
    orders = Table(
        "orders",
        columns=(Column("id", integer, nullable=False), Column("user_id", integer)),
        primary_key=PrimaryKey(None, ("id",)),
        foreign_keys=(
            ForeignKey("orders_user_fk", ("user_id",), "users", ("id",), on_delete="CASCADE"),
        ),
    )
    return Schema(SourceRef("schema.sql", "sql-schema", dialect), tables=(orders, users))


def test_render_sqlite_applies_with_inline_foreign_keys() -> None:
    import sqlite3

    from dbdrift.report.schema_sql import render

    ddl = render(_small_schema("sqlite"))
    assert '"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT' in ddl
    assert "ALTER TABLE" not in ddl
    with sqlite3.connect(":memory:") as db:
        db.executescript(ddl)
        fks = db.execute('PRAGMA foreign_key_list("orders")').fetchall()
        assert [(row[2], row[3], row[4], row[6]) for row in fks] == [
            ("users", "user_id", "id", "CASCADE")
        ]
        indexes = db.execute('PRAGMA index_list("users")').fetchall()
        assert ("users_email_idx", 1) in [(row[1], row[2]) for row in indexes]


def test_render_mysql_uses_backticks_and_auto_increment() -> None:
    from dbdrift.report.schema_sql import render

    ddl = render(_small_schema("mysql"))
    assert "CREATE TABLE `users` (\n    `id` int AUTO_INCREMENT NOT NULL," in ddl
    assert "CREATE UNIQUE INDEX `users_email_idx` ON `users` (`email`);" in ddl
    assert ddl.endswith(
        "ALTER TABLE `orders` ADD CONSTRAINT `orders_user_fk` FOREIGN KEY (`user_id`) "
        "REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION;\n"
    )
    assert render(_small_schema("mysql")) == ddl
