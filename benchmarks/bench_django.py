"""The Django migrations reader on a generated history of 1,000 migrations in ten apps.

``python benchmarks/bench_django.py --migrations 1000`` writes the project
(generate_django.py), discovers it, and times `dbdrift.readers.read` on its
``django-migrations`` source, best of N runs, on one core.  The issue's target is under
3 seconds for 1,000 migrations.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from generate_django import write_project

from dbdrift.discover import discover
from dbdrift.readers import read

TARGET_SECONDS = 3.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--migrations", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        write_project(Path(tmp), args.migrations)
        sources = [s for s in discover(Path(tmp)).sources if s.kind == "django-migrations"]
        assert len(sources) == 1, [s.id for s in sources]
        times, cpu = [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            schema = read(sources[0])
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        files = len(sources[0].files)
        best = min(times)
        print(
            f"{files} files, {len(schema.tables)} tables, {len(schema.errors)} errors, "
            f"{len(schema.notes)} notes: best {best:.2f} s wall, {min(cpu):.2f} s CPU "
            f"(target < {TARGET_SECONDS:.0f} s) {'OK' if best < TARGET_SECONDS else 'SLOW'}"
        )
        for error in schema.errors[:5]:
            print("  error:", error.origin, error.message)


if __name__ == "__main__":
    main()
