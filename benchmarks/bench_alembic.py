"""The Alembic reader on a generated history of 1,000 revisions.

``python benchmarks/bench_alembic.py --revisions 1000`` writes the project
(generate_alembic.py), discovers it, and times `dbdrift.readers.read` on it (graph, every
``upgrade()`` spelled as DDL, one replay), best of N runs.  The issue's target is under
3 seconds for 1,000 revisions.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from generate_alembic import write_project

from dbdrift.discover import discover
from dbdrift.readers import read

TARGET_SECONDS = 3.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--revisions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        write_project(Path(tmp), args.revisions)
        start = time.perf_counter()
        sources = [s for s in discover(Path(tmp)).sources if s.kind == "alembic"]
        found = time.perf_counter() - start
        assert len(sources) == 1, [s.id for s in sources]
        times, cpu = [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            schema = read(sources[0])
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        best = min(times)
        scripts = len(sources[0].files) - 2
        print(f"{args.revisions} revisions ({scripts} scripts with merge side branches)")
        print(f"discovery: {found:.3f} s")
        print(f"read: {best:.3f} s best of {args.runs} ({scripts / best:,.0f} scripts/s)")
        print(f"read: {min(cpu):.3f} s of CPU time")
        counts = f"{len(schema.tables)} tables, {len(schema.enums)} enums"
        print(f"read: {counts}, {len(schema.notes)} notes, {len(schema.errors)} errors")
        verdict = "meets" if best < TARGET_SECONDS else "misses"
        print(f"{verdict} the target of {TARGET_SECONDS:.1f} s")


if __name__ == "__main__":
    main()
