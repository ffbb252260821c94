"""A whole ``dbdrift schema`` process against a throwaway PostgreSQL doing the same job.

``python benchmarks/bench_vs_postgres.py --statements 2000`` generates a stream, then times
(1) starting a throwaway PostgreSQL (initdb, start), applying every file with psql and
stopping it — what a "replay it in a real database" check costs — and (2) the whole
``dbdrift schema`` process reading the same stream.  dbdrift runs in pre-commit hooks, so
the target (README) is about a tenth of (1).  Needs Debian's PostgreSQL binaries; run as
root it uses the ``postgres`` user for the server, as initdb refuses root.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import write_stream


def as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def throwaway_postgres(root: Path, files: list[Path]) -> float:
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not binaries:
        sys.exit("no PostgreSQL binaries under /usr/lib/postgresql: apt-get install postgresql")
    bin_dir = Path(binaries[-1])
    data = Path(tempfile.mkdtemp(prefix="dbdrift-bench-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
        for file in files:
            os.chmod(file, 0o644)
        os.chmod(root, 0o755)
    port = free_port()
    start = time.perf_counter()
    try:
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": True}
        subprocess.run(
            as_postgres([str(bin_dir / "initdb"), "-D", str(data / "db"), "-A", "trust"]), **quiet
        )
        options = f"-p {port} -k {data} -c listen_addresses='' -c fsync=off"
        subprocess.run(
            as_postgres(
                [str(bin_dir / "pg_ctl"), "-D", str(data / "db"), "-o", options, "-w", "start"]
            ),
            **quiet,
        )
        for file in files:
            subprocess.run(
                as_postgres(
                    [
                        "psql",
                        "-h",
                        str(data),
                        "-p",
                        str(port),
                        "-U",
                        "postgres",
                        "-q",
                        "-f",
                        str(file),
                        "postgres",
                    ]
                ),
                **quiet,
            )
        subprocess.run(
            as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data / "db"), "-m", "fast", "stop"]),
            **quiet,
        )
        return time.perf_counter() - start
    finally:
        shutil.rmtree(data, ignore_errors=True)


def dbdrift_process(root: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "dbdrift",
            "schema",
            str(root),
            "--source",
            "db/migrations",
            "--format",
            "json",
        ],
        stdout=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="dbdrift-bench-"))
    try:
        files = write_stream(root, args.statements)
        postgres = min(throwaway_postgres(root, files) for _ in range(args.runs))
        ours = min(dbdrift_process(root) for _ in range(args.runs))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"statements:                 {args.statements} in {len(files)} files")
    print(f"throwaway PostgreSQL:       {postgres:.2f} s (initdb, start, psql each file, stop)")
    print(f"dbdrift schema (process):   {ours:.2f} s")
    print(f"ratio:                      {ours / postgres:.2f}  (target about 0.10)")


if __name__ == "__main__":
    main()
