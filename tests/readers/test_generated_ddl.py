"""Generated DDL replayed with every origin mapped back to the line that produced it."""

from __future__ import annotations

from dbdrift.readers.sql.generated import Generated, replay
from dbdrift.schema import Origin, SourceRef

SOURCE = SourceRef("alembic/versions", "alembic", "postgresql")


def test_origins_errors_and_notes_point_at_the_producing_lines():
    schema = replay(
        SOURCE,
        [
            Generated(
                "CREATE TABLE users (\n  id integer PRIMARY KEY,\n  email text\n)",
                Origin("a.py", 10),
            ),
            Generated("CREATE INDEX ix_email ON users (email)", Origin("a.py", 14)),
            Generated("ALTER TABLE missing ADD COLUMN x int", Origin("b.py", 3)),
            Generated("INSERT INTO users VALUES (1, 'x')", Origin("b.py", 7)),
        ],
    )
    [users] = schema.tables
    assert users.origin == Origin("a.py", 10)
    assert [c.origin for c in users.columns] == [Origin("a.py", 10), Origin("a.py", 10)]
    assert [i.origin for i in users.indexes] == [Origin("a.py", 14)]
    assert [(e.origin, e.message) for e in schema.errors] == [
        (Origin("b.py", 3), 'relation "missing" does not exist')
    ]
    assert [n.origin for n in schema.notes] == [Origin("b.py", 7)]


def test_mysql_statements_go_to_the_mysql_replay():
    schema = replay(
        SourceRef("x", "alembic", "mysql"),
        [Generated("CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY)", Origin("m.py", 5))],
    )
    [t] = schema.tables
    assert (t.columns[0].type.sql, t.origin) == ("int(11)", Origin("m.py", 5))
