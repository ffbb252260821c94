"""Replay speed against pglast's bare parse speed on the same input.

``python benchmarks/bench_replay.py --statements 20000`` generates a stream (see
generate.py), then times, on one core and best of N runs: (1) pglast's JSON parse of every
file (the baseline the issue names), (2) that parse plus the standard library's decoding of
the JSON into Python objects (the least any Python consumer of pglast's JSON path must do)
and (3) dbdrift's full replay of the same files.  It prints statements per second for each
and the ratios; the targets (README) are a ratio of at least 1/3 to (1) and a full replay
under 3 seconds.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from generate import write_stream
from pglast.parser import parse_sql_json

from dbdrift.readers.sql import read
from dbdrift.source import Source


def best_of(runs: int, func) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = write_stream(root, args.statements)
        relative = tuple(str(f.relative_to(root)) for f in files)
        texts = [f.read_text() for f in files]
        source = Source("db/migrations", "sql-migrations", "postgresql", root, relative)

        baseline = best_of(args.runs, lambda: [parse_sql_json(t) for t in texts])
        decoded = best_of(args.runs, lambda: [json.loads(parse_sql_json(t)) for t in texts])
        replay = best_of(args.runs, lambda: read(source))
        schema = read(source)

    n = args.statements
    print(f"statements:            {n}")
    print(f"tables / errors:       {len(schema.tables)} / {len(schema.errors)}")
    print(f"pglast JSON parse:     {baseline:.3f} s  ({n / baseline:,.0f} statements/s)")
    print(f"parse + json.loads:    {decoded:.3f} s  ({n / decoded:,.0f} statements/s)")
    print(f"dbdrift replay:        {replay:.3f} s  ({n / replay:,.0f} statements/s)")
    print(f"replay / parse rate:   {baseline / replay:.2f}  (target >= 0.33)")
    print(f"replay / decoded rate: {decoded / replay:.2f}")


if __name__ == "__main__":
    main()
