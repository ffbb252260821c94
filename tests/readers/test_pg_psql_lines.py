"""psql's own lines in dumps (``\\restrict``, ``\\connect``, COPY data) are noted, not parsed."""

from __future__ import annotations

from dbdrift.readers.sql.catalog import Catalog
from dbdrift.readers.sql.postgres import Replay
from dbdrift.readers.sql.postgres.psql import blank
from dbdrift.schema import Schema, SourceRef


def replay_texts(files: list[tuple[str, str]]) -> Schema:
    catalog = Catalog(SourceRef("db", "sql-schema", "postgresql"))
    r = Replay(catalog)
    for path, text in files:
        r.file(path, text)
    return catalog.freeze()


DUMP = """\\restrict 9fK2
SET statement_timeout = 0;
CREATE TABLE public.t (
    a text DEFAULT 'line one
\\not a meta-command'
);
CREATE FUNCTION public.f() RETURNS text LANGUAGE sql AS $body$
SELECT 'x
\\neither'
$body$;
COPY public.t (a) FROM stdin;
first
\\N
\\.
\\connect other
\\unrestrict 9fK2
"""


def test_blank_keeps_every_offset_and_line():
    text, client = blank(DUMP)
    assert len(text) == len(DUMP)
    assert text.count("\n") == DUMP.count("\n")
    assert [c.what for c in client] == [
        "psql meta-command \\restrict",
        "COPY FROM stdin data",
        "psql meta-command \\connect",
        "psql meta-command \\unrestrict",
    ]
    assert "\\not a meta-command" in text and "\\neither" in text


def test_a_file_without_backslashes_is_returned_as_is():
    text = "CREATE TABLE t (a int);\n"
    assert blank(text) == (text, [])


def test_replay_of_a_dump_notes_psql_lines_and_reads_the_rest():
    schema = replay_texts([("dump.sql", DUMP)])
    assert [t.name for t in schema.tables] == ["t"]
    assert schema.errors == ()
    psql = [(n.origin.line, n.message) for n in schema.notes if n.kind == "psql"]
    assert psql == [
        (1, "not modelled: psql meta-command \\restrict"),
        (12, "not modelled: COPY FROM stdin data"),
        (15, "not modelled: psql meta-command \\connect"),
        (16, "not modelled: psql meta-command \\unrestrict"),
    ]


def test_psql_applies_the_dump_to_the_same_schema(pg_scratch, tmp_path):
    import shutil
    import subprocess

    from oracle.compare import project
    from oracle.postgres import introspect

    psql = shutil.which("psql")
    assert psql is not None, "psql (PostgreSQL's client) is needed to apply a dump"
    dump = DUMP.replace("\\connect other\n", "")
    path = tmp_path / "dump.sql"
    path.write_text(dump)
    done = subprocess.run(
        [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", pg_scratch, "-f", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    ours = project(replay_texts([("dump.sql", dump)]))
    assert introspect(pg_scratch)["tables"] == ours["tables"]
