"""Generate large synthetic repositories for the benchmarks.

``python benchmarks/generate.py OUT --statements 20000`` writes a PostgreSQL migration
stream of numbered files under ``OUT/db/migrations`` whose statements look like what real
projects accumulate: tables with keys, defaults and foreign keys, later columns, indexes,
renames, type changes, enums, comments and data.  The output is deterministic for a seed.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

# Column types a later statement may add; the flag says whether the column then stays
# free for the generator to alter (nullable, no default, so no data can break a change).
TYPES = [
    ("integer", True),
    ("bigint", True),
    ("text", True),
    ("varchar(255)", True),
    ("numeric(12,2)", True),
    ("date", True),
    ("double precision", True),
    ("boolean NOT NULL DEFAULT false", False),
    ("timestamptz NOT NULL DEFAULT now()", False),
    ("jsonb DEFAULT '{}'::jsonb", False),
    ("uuid DEFAULT gen_random_uuid()", False),
    ("text[] DEFAULT '{}'", False),
]


class Stream:
    """Builds statements against a model of the tables it has created so far.

    Every stream applies cleanly to a real PostgreSQL (tests/test_generator.py checks it):
    keys and foreign-key columns are never altered, only nullable columns without defaults
    change type or default, and unique indexes go only where rows cannot collide.
    """

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.tables: dict[str, list[str]] = {}  # every column, in order
        self.free: dict[str, list[str]] = {}  # columns the generator may alter
        self.pristine: dict[str, list[str]] = {}  # free columns that never had a default
        self.enums: list[str] = []
        self.counter = 0

    def statement(self) -> str:
        self.counter += 1
        roll = self.rng.random()
        if not self.tables or roll < 0.12:
            return self.create_table()
        if roll < 0.16:
            return self.create_enum()
        if roll < 0.40:
            return self.add_column()
        if roll < 0.52:
            return self.create_index()
        if roll < 0.60:
            return self.alter_column()
        if roll < 0.66:
            return self.rename_column()
        if roll < 0.72:
            return self.comment()
        if roll < 0.78:
            return self.insert()
        if roll < 0.84:
            return self.add_foreign_key()
        if roll < 0.88:
            return self.multi_action()
        return self.add_column()

    def table(self) -> str:
        return self.rng.choice(sorted(self.tables))

    def create_table(self) -> str:
        name = f"table_{len(self.tables):05d}"
        self.tables[name] = ["id", "created_at", "name"]
        self.free[name] = []
        self.pristine[name] = []
        ref = ""
        if len(self.tables) > 1:
            parent = self.rng.choice(sorted(self.tables)[:-1])
            self.tables[name].append(f"{parent}_id")
            ref = f",\n    {parent}_id bigint REFERENCES {parent} (id) ON DELETE CASCADE"
        return (
            f"CREATE TABLE {name} (\n"
            "    id bigserial PRIMARY KEY,\n"
            "    created_at timestamptz NOT NULL DEFAULT now(),\n"
            f"    name varchar(200) NOT NULL DEFAULT 'unnamed'{ref},\n"
            "    CONSTRAINT " + name + "_name_check CHECK (name <> '')\n"
            ");"
        )

    def create_enum(self) -> str:
        name = f"status_{len(self.enums):04d}"
        self.enums.append(name)
        return f"CREATE TYPE {name} AS ENUM ('new', 'active', 'archived');"

    def add_column(self) -> str:
        table = self.table()
        column = f"col_{self.counter}"
        self.tables[table].append(column)
        typ, free = self.rng.choice(TYPES)
        if self.enums and self.rng.random() < 0.1:
            typ, free = f"{self.rng.choice(self.enums)} NOT NULL DEFAULT 'new'", False
        if free:
            self.free[table].append(column)
            self.pristine[table].append(column)
        return f"ALTER TABLE {table} ADD COLUMN {column} {typ};"

    def create_index(self) -> str:
        table = self.table()
        if self.pristine[table] and self.rng.random() < 0.2:
            # Rows leave such a column NULL, and NULLs never collide in a unique index; it
            # must then never get a default, so it is no longer free.
            column = self.rng.choice(self.pristine[table])
            self.pristine[table].remove(column)
            self.free[table].remove(column)
            return f"CREATE UNIQUE INDEX idx_{self.counter} ON {table} ({column});"
        column = self.rng.choice(self.tables[table])
        return f"CREATE INDEX idx_{self.counter} ON {table} ({column});"

    def alter_column(self) -> str:
        table = self.table()
        if not self.free[table]:
            return self.add_column()
        column = self.rng.choice(self.free[table])
        if column in self.pristine[table]:
            self.pristine[table].remove(column)
        return self.rng.choice(
            [
                f"ALTER TABLE {table} ALTER COLUMN {column} TYPE text, "
                f"ALTER COLUMN {column} SET DEFAULT 'x';",
                f"ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT;",
                f"ALTER TABLE {table} ALTER COLUMN {column} TYPE text;",
            ]
        )

    def rename_column(self) -> str:
        table = self.table()
        columns = self.tables[table]
        if len(columns) < 5:
            return self.add_column()
        index = self.rng.randrange(4, len(columns))
        old = columns[index]
        new = f"{old}_r{self.counter}"
        columns[index] = new
        self.free[table] = [new if c == old else c for c in self.free[table]]
        self.pristine[table] = [new if c == old else c for c in self.pristine[table]]
        return f"ALTER TABLE {table} RENAME COLUMN {old} TO {new};"

    def comment(self) -> str:
        return f"COMMENT ON TABLE {self.table()} IS 'generated table {self.counter}';"

    def insert(self) -> str:
        return f"INSERT INTO {self.table()} (name) VALUES ('row {self.counter}');"

    def add_foreign_key(self) -> str:
        table = self.table()
        parent = self.table()
        column = f"ref_{self.counter}"
        self.tables[table].append(column)
        return (
            f"ALTER TABLE {table} ADD COLUMN {column} bigint, "
            f"ADD CONSTRAINT fk_{self.counter} FOREIGN KEY ({column}) REFERENCES {parent} (id);"
        )

    def multi_action(self) -> str:
        table = self.table()
        first, second = f"a_{self.counter}", f"b_{self.counter}"
        self.tables[table] += [first, second]
        self.free[table].append(second)
        self.pristine[table].append(second)
        return (
            f"ALTER TABLE {table} ADD COLUMN {first} integer NOT NULL DEFAULT 0, "
            f"ADD COLUMN {second} text, ALTER COLUMN name SET NOT NULL;"
        )


def write_stream(out: Path, statements: int, per_file: int = 200, seed: int = 7) -> list[Path]:
    """Write `statements` statements in files of `per_file`, numbered in apply order."""
    folder = out / "db" / "migrations"
    folder.mkdir(parents=True, exist_ok=True)
    stream = Stream(seed)
    files = []
    for number in range((statements + per_file - 1) // per_file):
        count = min(per_file, statements - number * per_file)
        path = folder / f"{number + 1:05d}_step.sql"
        path.write_text("\n\n".join(stream.statement() for _ in range(count)) + "\n")
        files.append(path)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--statements", type=int, default=20_000)
    parser.add_argument("--per-file", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    files = write_stream(args.out, args.statements, args.per_file, args.seed)
    print(f"wrote {args.statements} statements in {len(files)} files under {args.out}")


if __name__ == "__main__":
    main()
