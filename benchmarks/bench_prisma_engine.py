"""Prisma's own migration engine on a large generated schema, next to dbdrift's Prisma reader.

``python benchmarks/bench_prisma_engine.py --models 300`` generates a valid schema of that
many models (generate_prisma.py, about 7,500 lines for 300) and prints, best of N runs:

1. the WebAssembly schema engine (tests/prisma-engine/diff.mjs under Node) turning the
   schema into SQL, the whole process as the oracle tests run it;
2. the same on a one-model schema: Node's start and the engine's instantiation, so that
   (1) minus (2) is the engine's own work on the large schema;
3. dbdrift's Prisma reader (`dbdrift.readers.read`: parse and derive) on the same schema.

The engine needs Node and the pinned npm packages (``npm ci`` in tests/prisma-engine, which
the first run does itself).  The issue's target for dbdrift is under 0.5 s for 300 models.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from generate_prisma import generate_schema

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the oracle's engine driver lives with the tests


def best_of(runs: int, func: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def time_dbdrift(text: str, runs: int) -> str:
    """dbdrift's reading of the schema (parse and derive), best of `runs`."""
    from dbdrift.readers import read
    from dbdrift.source import Source

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "schema.prisma").write_text(text, encoding="utf-8")
        source = Source("schema.prisma", "prisma", "postgresql", root, ("schema.prisma",))
        schema = read(source)
        seconds = best_of(runs, lambda: read(source))
    return f"{seconds * 1000:.0f} ms ({len(schema.tables)} tables, {len(schema.errors)} errors)"


def main() -> None:
    from oracle.prisma_engine import ensure_installed, migrate_diff

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    text = generate_schema(args.models)
    tiny = generate_schema(1)
    ensure_installed()
    sql = migrate_diff("postgresql", [("schema.prisma", text)])
    engine = best_of(args.runs, lambda: migrate_diff("postgresql", [("schema.prisma", text)]))
    start = best_of(args.runs, lambda: migrate_diff("postgresql", [("schema.prisma", tiny)]))

    print(f"{args.models} models, {text.count(chr(10))} lines, best of {args.runs}:")
    print(
        f"  prisma engine (wasm, Node):  {engine * 1000:.0f} ms "
        f"({sql.count('CREATE TABLE')} tables, {len(sql.splitlines())} lines of SQL)"
    )
    print(f"  of which start-up (1 model): {start * 1000:.0f} ms")
    print(f"  engine's own work:           {(engine - start) * 1000:.0f} ms")
    print(f"  dbdrift Prisma reader:       {time_dbdrift(text, args.runs)}")


if __name__ == "__main__":
    main()
