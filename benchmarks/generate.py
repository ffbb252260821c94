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

TYPES = [
    "integer",
    "bigint",
    "text",
    "varchar(255)",
    "numeric(12,2)",
    "boolean NOT NULL DEFAULT false",
    "timestamptz NOT NULL DEFAULT now()",
    "jsonb DEFAULT '{}'::jsonb",
    "uuid DEFAULT gen_random_uuid()",
    "text[] DEFAULT '{}'",
    "date",
    "double precision",
]


class Stream:
    """Builds statements against a model of the tables it has created so far."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.tables: dict[str, list[str]] = {}
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
        typ = self.rng.choice(TYPES)
        if self.enums and self.rng.random() < 0.1:
            typ = f"{self.rng.choice(self.enums)} NOT NULL DEFAULT 'new'"
        return f"ALTER TABLE {table} ADD COLUMN {column} {typ};"

    def create_index(self) -> str:
        table = self.table()
        column = self.rng.choice(self.tables[table])
        unique = "UNIQUE " if self.rng.random() < 0.2 else ""
        return f"CREATE {unique}INDEX idx_{self.counter} ON {table} ({column});"

    def alter_column(self) -> str:
        table = self.table()
        column = self.rng.choice(self.tables[table][2:] or ["name"])
        return self.rng.choice(
            [
                f"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT 'x';",
                f"ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT;",
                f"ALTER TABLE {table} ALTER COLUMN {column} TYPE text;",
            ]
        )

    def rename_column(self) -> str:
        table = self.table()
        columns = self.tables[table]
        if len(columns) < 4:
            return self.add_column()
        index = self.rng.randrange(3, len(columns))
        old = columns[index]
        new = f"{old}_r{self.counter}"
        columns[index] = new
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
