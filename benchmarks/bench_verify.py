"""Static replay against `verify` of the same 500-migration stream, as a ratio.

``python benchmarks/bench_verify.py [--migrations 500] [--per-file 10] [--db URL]`` writes a
PostgreSQL stream of MIGRATIONS files (generate.py; every statement applies cleanly), then
times (best of RUNS) dbdrift's static reading of it and `verify` of it: a scratch database
on the server of --db (default: the local 127.0.0.1:5432 server, else a throwaway one),
every statement applied, the catalog read back and compared.  It prints both times and
their ratio, and exits 1 when the static reading is not at least 20 times faster or when
the two disagree.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from generate import write_stream

from dbdrift.readers.sql import read
from dbdrift.scratch import ScratchError, connect, parse, throwaway_postgres
from dbdrift.source import Source
from dbdrift.verify import verify

LOCAL = "postgresql://postgres@127.0.0.1:5432/test"
MIN_RATIO = 20.0


def best_of(runs: int, func: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


@contextlib.contextmanager
def server(url: str | None) -> Iterator[tuple[str, str]]:
    """The server to verify on and how to call it: --db, the local one, or a throwaway."""
    if url is not None:
        yield url, parse(url).redacted
        return
    try:
        connect(parse(LOCAL), timeout=2).close()
    except ScratchError:
        with throwaway_postgres() as local:
            yield local, "a throwaway PostgreSQL"
        return
    yield LOCAL, LOCAL


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--migrations", type=int, default=500)
    parser.add_argument("--per-file", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = write_stream(root, args.migrations * args.per_file, args.per_file)
        relative = tuple(p.relative_to(root).as_posix() for p in files)
        source = Source("db/migrations", "sql-migrations", "postgresql", root, relative)
        static = read(source)
        results = []
        with server(args.db) as (url, shown):
            static_time = best_of(args.runs, lambda: read(source))
            verify_time = best_of(
                args.runs, lambda: results.append(verify(source, url, static=static))
            )
    result = results[-1]
    ratio = verify_time / static_time
    print(
        f"{len(files)} migrations, {args.migrations * args.per_file} statements, "
        f"{len(static.tables)} tables, verified on {shown}"
    )
    print(f"static replay  {static_time * 1000:9.1f} ms")
    print(f"verify         {verify_time * 1000:9.1f} ms")
    print(f"ratio          {ratio:9.1f}x (at least {MIN_RATIO:.0f}x required)")
    print(f"agree          {result.agrees} ({len(result.differences)} differences)")
    for line in result.differences[:20]:
        print(f"  {line}")
    return 0 if result.agrees and ratio >= MIN_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
