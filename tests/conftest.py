"""Shared fixtures: a PostgreSQL server for the oracle tests, and scratch databases on it.

The oracle tests prove the SQL replay against the real database, so they need a server.
`pg_dsn` uses the one on 127.0.0.1:5432 (or $DBDRIFT_TEST_PG_DSN) when it answers,
otherwise starts a throwaway cluster from the PostgreSQL binaries on this machine, otherwise
skips -- except under CI, where a missing server is a failure, never a silent skip.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

LOCAL_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=test"
CONNECT_TIMEOUT = 3


def _unavailable(reason: str) -> NoReturn:
    """Skip a test that needs a server, or fail it when running under CI."""
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and {reason}", pytrace=False)
    pytest.skip(reason)


def _answers(dsn: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(dsn, connect_timeout=CONNECT_TIMEOUT) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def _pg_bindir() -> Path | None:
    """The newest PostgreSQL bin directory with initdb and pg_ctl (Debian layout first)."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
        reverse=True,
    )
    for bindir in candidates:
        if (Path(bindir) / "initdb").exists() and (Path(bindir) / "pg_ctl").exists():
            return Path(bindir)
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl and Path(initdb).parent == Path(pg_ctl).parent:
        return Path(initdb).parent
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    """initdb refuses to run as root: run the cluster as the `postgres` OS user then."""
    if os.geteuid() != 0:
        return args
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *args]
    return ["su", "postgres", "-c", " ".join(args)]


class _Cluster:
    """A throwaway cluster in a temporary directory, stopped and removed at the end."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="dbdrift-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()

    def start(self) -> str:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(
            str(self.bindir / "initdb"),
            "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--locale=C",
        )  # fmt: skip
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D", str(self.data), "-o", options, "-l", str(self.dir / "server.log"),
            "-w", "-t", "60", "start",
        )  # fmt: skip
        return f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                _as_postgres([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m",
                              "fast", "-w", "stop"]),
                check=False, capture_output=True, timeout=120,
            )  # fmt: skip
        shutil.rmtree(self.dir, ignore_errors=True)

    def _run(self, *args: str) -> None:
        done = subprocess.run(_as_postgres(list(args)), capture_output=True, text=True, timeout=180)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stderr.strip() or done.stdout.strip()}")


@pytest.fixture(scope="session")
def pg_dsn() -> Iterator[str]:
    """A DSN for a PostgreSQL server: the local one, or a throwaway cluster started here."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install 'psycopg[binary]')")
    local = os.environ.get("DBDRIFT_TEST_PG_DSN", LOCAL_DSN)
    if _answers(local):
        yield local
        return
    bindir = _pg_bindir()
    if bindir is None:
        _unavailable(
            f"no PostgreSQL server answers at {local!r} and no PostgreSQL binaries "
            "(initdb, pg_ctl) to start one"
        )
    cluster = _Cluster(bindir)
    try:
        dsn = cluster.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        cluster.stop()
        _unavailable(f"could not start a throwaway PostgreSQL cluster: {exc}")
    try:
        yield dsn
    finally:
        cluster.stop()


@pytest.fixture
def pg_scratch(pg_dsn: str) -> Iterator[str]:
    """A fresh, uniquely named empty database on the server; dropped (forcibly) afterwards."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    name = f"dbdrift_scratch_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(pg_dsn, autocommit=True, connect_timeout=CONNECT_TIMEOUT) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    try:
        yield make_conninfo(pg_dsn, dbname=name)
    finally:
        with psycopg.connect(pg_dsn, autocommit=True, connect_timeout=CONNECT_TIMEOUT) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
