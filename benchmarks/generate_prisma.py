"""Generate a large, valid Prisma schema for the benchmarks.

``python benchmarks/generate_prisma.py OUT.prisma --models 300`` writes a PostgreSQL schema of
that many models (about 25 lines each: 7,500 lines for 300) that Prisma's own engine accepts:
scalar fields with native types, defaults and @map, enums with mapped values, one-to-many
relations with their back-relation fields and referential actions, implicit many-to-many
relations, composite keys, unique constraints and indexes with sort orders, doc comments.
The output is deterministic for a seed.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from pathlib import Path

HEADER = """\
// Generated for dbdrift's benchmarks.

generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
"""

# (type, attributes) of the scalar fields; {col} is the field's snake_case column name.
SCALARS = [
    ("String", "@db.VarChar(255)"),
    ("String?", ""),
    ("String", '@default("") @map("{col}")'),
    ("String", "@db.Text"),
    ("Int", "@default(0)"),
    ("Int?", "@db.SmallInt"),
    ("BigInt", "@default(0)"),
    ("Decimal", "@db.Decimal(12, 2)"),
    ("Decimal?", ""),
    ("Float?", "@default(1.5)"),
    ("Boolean", "@default(false)"),
    ("DateTime", "@default(now()) @db.Timestamptz(6)"),
    ("DateTime?", '@map("{col}")'),
    ("Json", '@default("{{}}")'),
    ("Json?", ""),
    ("Bytes?", ""),
    ("String[]", ""),
    ("Int[]", "@default([])"),
    ("String", "@default(uuid()) @db.Uuid"),
]


@dataclass
class Model:
    name: str
    lines: list[str] = field(default_factory=list)
    back: list[str] = field(default_factory=list)  # back-relation fields other models add


def snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def generate_schema(models: int, seed: int = 0) -> str:
    """A schema of `models` models and `models // 10` enums that Prisma's engine accepts."""
    rng = random.Random(seed)
    enums = [f"Status{i}" for i in range(max(1, models // 10))]
    parts = [HEADER]
    for name in enums:
        values = "\n".join(f'  VALUE_{j} @map("value_{j}")' for j in range(5))
        parts.append(f'\nenum {name} {{\n{values}\n\n  @@map("{snake(name)}")\n}}\n')
    built = [Model(f"Model{i}") for i in range(models)]
    for i, model in enumerate(built):
        _fill(rng, i, model, built, enums)
    for model in built:
        body = model.lines[:-1] + [f"  {b}" for b in model.back] + model.lines[-1:]
        parts.append("\n" + "\n".join(body) + "\n")
    return "".join(parts)


def _fill(rng: random.Random, i: int, model: Model, built: list[Model], enums: list[str]) -> None:
    name = model.name
    composite = i % 25 == 24  # every 25th model is keyed by two columns
    lines = [f"/// {name} holds generated rows.", f"model {name} {{"]
    if composite:
        lines += ["  tenantId  Int", "  id        Int"]
    else:
        lines.append("  id        Int      @id @default(autoincrement())")
    fields = []
    for j in range(rng.randint(9, 12)):
        kind, attributes = rng.choice(SCALARS)
        column = f"field{j}"
        fields.append((column, kind))
        if rng.random() < 0.1:
            lines.append(f"  /// Field {j} of {name}.")
        attributes = attributes.format(col=f"{snake(name)}_{column}")
        lines.append(f"  {column:<9} {kind:<9} {attributes}".rstrip())
    lines.append(f"  status    {rng.choice(enums)} @default(VALUE_0)")
    if i and not composite:
        parent = built[rng.randrange(i)]
        if parent.name[5:].isdigit() and int(parent.name[5:]) % 25 != 24:
            relation = f"{parent.name}{name}"
            action = rng.choice(["Cascade", "SetNull", "Restrict", "NoAction"])
            lines.append("  parentId  Int?")
            lines.append(
                f'  parent    {parent.name}? @relation("{relation}", fields: [parentId], '
                f"references: [id], onDelete: {action})"
            )
            parent.back.append(f'children{i} {name}[] @relation("{relation}")')
        if rng.random() < 0.1:
            other = built[rng.randrange(i)]
            if int(other.name[5:]) % 25 != 24:
                relation = f"M2M{i}"
                lines.append(f'  tagged{other.name[5:]} {other.name}[] @relation("{relation}")')
                other.back.append(f'tagging{i} {name}[] @relation("{relation}")')
    indexable = [f for f, kind in fields if not kind.endswith("[]") and "Json" not in kind]
    lines.append("")
    if composite:
        lines.append("  @@id([tenantId, id])")
    if len(indexable) >= 4:
        a, b, c, d = indexable[:4]
        lines.append(f'  @@unique([{a}, {b}], map: "{snake(name)}_pair_key")')
        lines.append(f"  @@index([{c}(sort: Desc), {d}])")
    lines.append(f'  @@map("{snake(name)}s")')
    lines.append("}")
    model.lines = lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--models", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    text = generate_schema(args.models, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.models} models, {text.count(chr(10))} lines -> {args.out}")


if __name__ == "__main__":
    main()
