"""The SQLAlchemy reader on a generated package of 2,000 model classes (about 40,000 lines).

``python benchmarks/bench_sqlalchemy.py --classes 2000`` writes the package
(generate_sqlalchemy.py), discovers it, and times `dbdrift.readers.read` on it, best of N
runs, on one core.  The issue's target is under 2 seconds for 2,000 classes.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from generate_sqlalchemy import write_package

from dbdrift.discover import discover
from dbdrift.readers import read

TARGET_SECONDS = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        package = write_package(Path(tmp), args.classes)
        lines = sum(len(p.read_text().splitlines()) for p in package.glob("*.py"))
        start = time.perf_counter()
        sources = [s for s in discover(Path(tmp)).sources if s.kind == "sqlalchemy"]
        found = time.perf_counter() - start
        assert len(sources) == 1, [s.id for s in sources]
        times, cpu = [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            schema = read(sources[0])
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        best = min(times)
        print(f"{args.classes} classes, {lines} lines, {len(sources[0].files)} files")
        print(f"discovery: {found:.3f} s")
        print(f"read: {best:.3f} s best of {args.runs} ({args.classes / best:,.0f} classes/s)")
        print(f"read: {min(cpu):.3f} s of CPU time (wall time above counts a busy machine's waits)")
        counts = f"{len(schema.tables)} tables, {len(schema.notes)} notes"
        print(f"read: {counts}, {len(schema.errors)} errors")
        verdict = "meets" if best < TARGET_SECONDS else "misses"
        print(f"{verdict} the target of {TARGET_SECONDS:.1f} s")


if __name__ == "__main__":
    main()
