"""`dbdrift scan` on a repository of 300 tables in 4 sources, whole process and by stage.

``python benchmarks/bench_scan.py --tables 300`` writes the repository (generate_repo.py: a
migration stream of 30 files, a schema.sql, a Prisma schema and a SQLAlchemy package, with a
few dozen planted drifts), then times

- the whole ``dbdrift scan PATH --format json`` process (start-up and imports included),
  best of N runs;
- the scan's stages in this process (discover, read, align, check, score), best of N each.

The issue's target is under 2 seconds for the whole process.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from generate_repo import expected_rules, planted, write_repo

from dbdrift import score as scoring
from dbdrift.align import align
from dbdrift.checks import check
from dbdrift.discover import discover
from dbdrift.scan import members

TARGET_SECONDS = 2.0


def command(repo: Path) -> list[str]:
    """The scan command line; the console script when installed, else the module."""
    script = shutil.which("dbdrift")
    base = [script] if script else [sys.executable, "-m", "dbdrift"]
    return [*base, "scan", str(repo), "--format", "json"]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def whole_process(repo: Path, runs: int) -> tuple[float, float, str]:
    """Best wall time and best CPU time of the scan process, and the last run's output.

    The CPU time is shown beside the wall time because a busy machine (other processes on
    the same cores) stretches the wall time of an otherwise unchanged run.
    """
    times, cpu = [], []
    out = ""
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), children_cpu()
        done = subprocess.run(command(repo), capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        cpu.append(children_cpu() - start_cpu)
        if done.returncode not in (0, 1):
            raise SystemExit(
                f"`{' '.join(command(repo))}` exited with {done.returncode}:\n{done.stderr[-2000:]}"
            )
        out = done.stdout
    return min(times), min(cpu), out


def stages(repo: Path, runs: int) -> tuple[dict[str, float], list]:
    """Best time of each in-process stage, and the findings of the last run."""
    best: dict[str, float] = {}
    findings: list = []
    for _ in range(runs):
        clock = time.perf_counter()
        found = discover(repo)
        marks = {"discover": time.perf_counter()}
        read = members(found)
        marks["read"] = time.perf_counter()
        matrix = align(read, None)
        marks["align"] = time.perf_counter()
        findings = check(matrix)
        marks["check"] = time.perf_counter()
        scoring.score(findings)
        scoring.counts(findings)
        marks["score"] = time.perf_counter()
        for stage, mark in marks.items():
            best[stage] = min(best.get(stage, float("inf")), mark - clock)
            clock = mark
    return best, findings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = write_repo(Path(tmp), args.tables)
        files = sum(1 for p in repo.rglob("*") if p.is_file())
        lines = sum(len(p.read_text().splitlines()) for p in repo.rglob("*") if p.is_file())
        print(f"{args.tables} tables in 4 sources: {files} files, {lines} lines")
        print(f"planted drifts: {sum(planted(args.tables).values())}")

        best, findings = stages(repo, args.runs)
        for stage, seconds in best.items():
            print(f"  {stage:<8} {seconds:.3f} s")
        print(f"in-process scan: {sum(best.values()):.3f} s (sum of the best stages)")
        by_rule = Counter(f.rule for f in findings)
        rules = ", ".join(f"{rule} {n}" for rule, n in sorted(by_rule.items()))
        print(f"findings: {len(findings)} ({rules})")
        same = dict(by_rule) == expected_rules(args.tables)
        print(f"findings {'equal' if same else 'DIFFER FROM'} the planted drifts")

        seconds, cpu, out = whole_process(repo, args.runs)
        report = json.loads(out)
        print(
            f"`dbdrift scan --format json`: {seconds:.3f} s best of {args.runs} (CPU {cpu:.3f} s)"
        )
        print(f"  {len(report.get('findings', []))} findings, {len(out):,} bytes of JSON")
        verdict = "meets" if seconds < TARGET_SECONDS else "misses"
        print(f"{verdict} the target of {TARGET_SECONDS:.1f} s")


if __name__ == "__main__":
    main()
