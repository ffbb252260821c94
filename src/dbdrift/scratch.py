"""Scratch databases for `verify`: created on a server, always dropped, never left behind.

`scratch_database(url)` creates ``dbdrift_verify_<hex time><random>`` on the server of
`url` and drops it whatever happens; before that it drops the leftovers of earlier runs
that crashed (databases with that prefix, older than `LEFTOVER_AGE` by their name and with
nobody connected).  `throwaway_postgres()` starts a PostgreSQL cluster from the binaries
found on the machine (as the ``postgres`` OS user when run as root, since initdb refuses
root) in a temporary directory on a free port, and removes it afterwards.

Every message says the server by its URL with the password replaced by ``***``.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

log = logging.getLogger(__name__)

PREFIX = "dbdrift_verify_"
LEFTOVER_AGE = 10.0
"""Seconds after which an unused scratch database of another run counts as left over."""
CONNECT_TIMEOUT = 10.0
INSTALL_HINT = (
    "install PostgreSQL (`apt install postgresql`, `dnf install postgresql-server`, "
    "`brew install postgresql`) or pass --db URL of a server to verify on"
)

_NAME = re.compile(rf"^{PREFIX}([0-9a-f]{{8}})[0-9a-f]*$")


class ScratchError(Exception):
    """A scratch database or server could not be had; the message is one line, no password."""


# --- URLs ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Server:
    """A database server URL taken apart: its dialect and what a driver needs."""

    url: str
    dialect: str  # "postgresql" or "mysql"
    parts: SplitResult

    @property
    def database(self) -> str:
        return unquote(self.parts.path.lstrip("/"))

    @property
    def password(self) -> str | None:
        return unquote(self.parts.password) if self.parts.password is not None else None

    def with_database(self, name: str) -> Server:
        return Server(
            urlunsplit(self.parts._replace(path="/" + name)),
            self.dialect,
            self.parts._replace(path="/" + name),
        )

    @property
    def redacted(self) -> str:
        return redact(self.url)

    def scrub(self, message: str) -> str:
        """`message` with the password taken out, whatever spelling of it it holds."""
        from dbdrift.readers.database.urls import password_of

        spellings = {self.password, self.parts.password, password_of(self.url)}
        for spelling in sorted(spellings - {None, ""}, key=len, reverse=True):
            message = message.replace(str(spelling), "***")
        return message


DIALECTS = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
}


def parse(url: str) -> Server:
    """The server of `url` (``postgresql://``, ``mysql://``, ``mariadb://``, with an optional
    ``+driver``); a URL of another kind is a `ScratchError`."""
    parts = urlsplit(url)
    dialect = DIALECTS.get(parts.scheme.split("+", 1)[0].lower())
    if dialect is None or not parts.netloc:
        raise ScratchError(
            f"cannot verify on {redact(url)}: expected a postgresql:// or mysql:// server URL"
        )
    return Server(url, dialect, parts)


def redact(url: str) -> str:
    """`url` with its password replaced by ``***`` (`readers.database.urls.redact`)."""
    from dbdrift.readers.database.urls import redact as shared

    return shared(url)


# --- connections -----------------------------------------------------------------------


def connect(server: Server, timeout: float = CONNECT_TIMEOUT) -> Any:
    """An autocommit connection to `server`; failures are a one-line `ScratchError`."""
    if server.dialect == "postgresql":
        try:
            import psycopg
        except ImportError as exc:
            raise ScratchError(
                "verifying on PostgreSQL needs psycopg: pip install 'psycopg[binary]'"
            ) from exc
        conninfo = urlunsplit(server.parts._replace(scheme="postgresql"))
        try:
            return psycopg.connect(conninfo, autocommit=True, connect_timeout=max(1, int(timeout)))
        except psycopg.Error as exc:
            raise ScratchError(_failed(server, exc)) from exc
    try:
        import pymysql
    except ImportError as exc:
        raise ScratchError("verifying on MySQL/MariaDB needs pymysql: pip install pymysql") from exc
    parts = server.parts
    try:
        return pymysql.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 3306,
            user=unquote(parts.username or "root"),
            password=server.password or "",
            database=server.database or None,
            autocommit=True,
            connect_timeout=timeout,
            charset="utf8mb4",
        )
    except pymysql.Error as exc:
        raise ScratchError(_failed(server, exc)) from exc


def _failed(server: Server, exc: Exception) -> str:
    detail = " ".join(str(exc).split())
    return server.scrub(f"cannot connect to {server.redacted}: {detail}")


def one_line(server: Server, exc: Exception) -> str:
    """A driver error as one line without the password."""
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    text = primary or (exc.args[1] if len(exc.args) > 1 else str(exc))
    return server.scrub(" ".join(str(text).split()))


# --- scratch databases -----------------------------------------------------------------


def new_name(now: float | None = None) -> str:
    """A scratch database name: the prefix, the creation time in hex, 8 random hex digits."""
    stamp = int(time.time() if now is None else now)
    return f"{PREFIX}{stamp:08x}{secrets.token_hex(4)}"


@contextlib.contextmanager
def scratch_database(url: str, timeout: float = CONNECT_TIMEOUT) -> Iterator[Server]:
    """A new empty database on the server of `url`, dropped on the way out whatever happens.

    Leftovers of earlier crashed runs are dropped first.  Not being allowed to create a
    database is a `ScratchError` saying so, and nothing is left behind.
    """
    server = parse(url)
    admin = connect(server, timeout)
    try:
        cleanup(server, admin)
        name = new_name()
        _create(server, admin, name)
    finally:
        admin.close()
    try:
        yield server.with_database(name)
    finally:
        drop(server, name, timeout)


def _create(server: Server, conn: Any, name: str) -> None:
    statement = (
        f'CREATE DATABASE "{name}" TEMPLATE template0'
        if server.dialect == "postgresql"
        else f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"
    )
    try:
        _execute(conn, statement)
    except Exception as exc:
        if not _is_driver_error(exc):
            raise
        raise ScratchError(
            f"cannot create a scratch database on {server.redacted}: {one_line(server, exc)} "
            "(verify needs a user allowed to create databases)"
        ) from exc


def drop(server: Server, name: str, timeout: float = CONNECT_TIMEOUT) -> bool:
    """Drop the scratch database `name` (PostgreSQL: disconnecting its sessions first);
    whether it is gone.  Failing is logged, never raised: the next run removes it."""
    statement = (
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        if server.dialect == "postgresql"
        else f"DROP DATABASE IF EXISTS `{name}`"
    )
    try:
        conn = connect(server, timeout)
    except ScratchError as exc:
        log.warning("Left scratch database %s behind: %s", name, exc)
        return False
    try:
        _execute(conn, statement)
    except Exception as exc:
        if not _is_driver_error(exc):
            raise
        log.warning("Left scratch database %s behind: %s", name, one_line(server, exc))
        return False
    finally:
        conn.close()
    return True


def leftovers(server: Server, conn: Any) -> list[str]:
    """Scratch databases on the server, oldest first."""
    if server.dialect == "postgresql":
        rows = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            (PREFIX.replace("_", r"\_") + "%",),
        ).fetchall()
    else:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE %s",
                (PREFIX.replace("_", r"\_") + "%",),
            )
            rows = cur.fetchall()
    return sorted((row[0] for row in rows), key=lambda n: (_created(n) or 0, n))


def cleanup(server: Server, conn: Any, now: float | None = None) -> list[str]:
    """Drop the scratch databases earlier runs left behind; the names dropped.

    One counts as left over when its name is older than `LEFTOVER_AGE` and nobody is
    connected to it, so a verify running at the same time keeps its database.
    """
    now = time.time() if now is None else now
    dropped = []
    for name in leftovers(server, conn):
        created = _created(name)
        if created is not None and now - created < LEFTOVER_AGE:
            continue
        if _in_use(server, conn, name):
            continue
        statement = (
            f'DROP DATABASE IF EXISTS "{name}"'
            if server.dialect == "postgresql"
            else f"DROP DATABASE IF EXISTS `{name}`"
        )
        try:
            _execute(conn, statement)
        except Exception as exc:
            if not _is_driver_error(exc):
                raise
            log.info("Could not drop leftover %s: %s", name, one_line(server, exc))
            continue
        log.info("Dropped leftover scratch database %s", name)
        dropped.append(name)
    return dropped


def _created(name: str) -> int | None:
    match = _NAME.match(name)
    return int(match.group(1), 16) if match else None


def _in_use(server: Server, conn: Any, name: str) -> bool:
    if server.dialect == "postgresql":
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (name,)
        ).fetchone()
    else:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM information_schema.PROCESSLIST WHERE DB = %s", (name,)
            )
            row = cur.fetchone()
    return bool(row and row[0])


def _execute(conn: Any, statement: str) -> None:
    if hasattr(conn, "cursor") and not hasattr(conn, "pgconn"):
        with conn.cursor() as cur:
            cur.execute(statement)
    else:
        conn.execute(statement)


def _is_driver_error(exc: Exception) -> bool:
    module = type(exc).__module__ or ""
    return module.startswith(("psycopg", "pymysql"))


# --- a throwaway PostgreSQL ------------------------------------------------------------


def find_bindir() -> Path | None:
    """The newest PostgreSQL bin directory holding initdb and pg_ctl: ``pg_config --bindir``,
    then Debian's ``/usr/lib/postgresql/<version>/bin``, then the PATH."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            done = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=False
            )
            if done.returncode == 0 and done.stdout.strip():
                candidates.append(Path(done.stdout.strip()))
        except (OSError, subprocess.TimeoutExpired):
            pass
    debian = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates.extend(Path(p) for p in debian)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).parent)
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    return None


def free_port() -> int:
    """A TCP port nothing listens on now, on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def as_postgres(args: list[str]) -> list[str]:
    """initdb refuses to run as root: run the cluster as the ``postgres`` OS user then."""
    if os.geteuid() != 0:
        return args
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *args]
    return ["su", "postgres", "-c", " ".join(args)]


class LocalPostgres:
    """A throwaway cluster in a temporary directory, stopped and removed by `stop`."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="dbdrift-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def conninfo(self) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"

    def start(self) -> str:
        """initdb and start the cluster; its URL.  Failures raise `ScratchError`."""
        if os.geteuid() == 0:
            try:
                shutil.chown(self.dir, "postgres", "postgres")
            except (LookupError, OSError) as exc:
                raise ScratchError(
                    f"running as root and cannot hand {self.dir} to the `postgres` user "
                    f"({exc}); run as another user or pass --db URL"
                ) from exc
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
        return self.url

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                subprocess.run(
                    as_postgres([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m",
                                 "immediate", "-w", "stop"]),
                    check=False, capture_output=True, timeout=120,
                )  # fmt: skip
        shutil.rmtree(self.dir, ignore_errors=True)

    def _run(self, *args: str) -> None:
        try:
            done = subprocess.run(
                as_postgres(list(args)), capture_output=True, text=True, timeout=180, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ScratchError(f"{Path(args[0]).name} failed: {exc}") from exc
        if done.returncode != 0:
            detail = " ".join((done.stderr.strip() or done.stdout.strip()).split())
            raise ScratchError(f"{Path(args[0]).name} failed: {detail}")


@contextlib.contextmanager
def throwaway_postgres(bindir: Path | None = None) -> Iterator[str]:
    """A PostgreSQL server of our own for the duration; its URL.  Without PostgreSQL's
    binaries on the machine, a `ScratchError` that says how to install them."""
    bindir = bindir or find_bindir()
    if bindir is None:
        raise ScratchError(
            f"no --db given and no PostgreSQL binaries (initdb, pg_ctl) found; {INSTALL_HINT}"
        )
    cluster = LocalPostgres(bindir)
    try:
        yield cluster.start()
    finally:
        cluster.stop()
