"""Database URLs: naming them, taking them from the environment, and hiding their passwords.

A URL given to dbdrift may hold a password.  It is kept only in memory (see
`dbdrift.readers.database.register`); everything that can reach a report, a log line or an
error message goes through `redact` first.
"""

from __future__ import annotations

import os
import re

ENV_PREFIX = "env:"
"""``prod=env:DATABASE_URL`` takes the URL from the environment variable DATABASE_URL."""

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
"""What a database's name (its source id) may be: it is shown in every report."""

# scheme (without a +driver suffix) -> dialect of the source.
DIALECTS = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}

# dialect -> the SQLAlchemy driver used when the URL names none.
DRIVERS = {"postgresql": "psycopg", "mysql": "pymysql"}

# dialect -> the package to install for that driver, for the missing-driver message.
DRIVER_PACKAGES = {"postgresql": "psycopg[binary]", "mysql": "pymysql"}

_USERINFO = re.compile(r"^(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^:/@]*):(?P<password>[^@]*)@")
_QUERY_PASSWORD = re.compile(r"(?i)([?&](?:password|passwd|pwd)=)[^&#]*")
_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9.-]*)(?:\+(?P<driver>[A-Za-z0-9_]+))?:")


class DatabaseError(Exception):
    """A database that cannot be read; the message is one line and never holds a password."""


def redact(url: str) -> str:
    """`url` with its password (in the user part or a ``password=`` parameter) as ``***``."""
    hidden = _USERINFO.sub(lambda m: f"{m['head']}:***@", url, count=1)
    return _QUERY_PASSWORD.sub(r"\1***", hidden)


def password_of(url: str) -> str | None:
    """The password written in `url`, so messages from drivers can be scrubbed of it."""
    found = _USERINFO.match(url)
    if found and found["password"]:
        return found["password"]
    query = re.search(r"(?i)[?&](?:password|passwd|pwd)=([^&#]*)", url)
    return query.group(1) if query and query.group(1) else None


def resolve_url(spec: str, index: int = 1) -> tuple[str, str]:
    """``name=URL``, ``name=env:VAR`` or a bare URL (named ``db<index>``) -> (name, URL).

    Raises `DatabaseError` for a bad name or an environment variable that is not set.
    """
    given, value = split_spec(spec)
    name = given if given is not None else f"db{index}"
    if not NAME.match(name):
        raise DatabaseError(f"{name!r} is not a usable database name (letters, digits, _ . -)")
    return name, expand(value)


def split_spec(spec: str) -> tuple[str | None, str]:
    """``name=value`` -> (name, value); a bare URL or ``env:VAR`` -> (None, spec)."""
    name, sep, value = spec.partition("=")
    if not sep or ":" in name or "/" in name:
        return None, spec.strip()
    return name.strip(), value.strip()


def expand(value: str) -> str:
    """The URL `value` stands for: itself, or the environment variable ``env:VAR`` names."""
    if not value.startswith(ENV_PREFIX):
        return value
    variable = value.removeprefix(ENV_PREFIX)
    url = os.environ.get(variable)
    if not url:
        raise DatabaseError(f"environment variable {variable} is not set")
    return url


def dialect_of(url: str) -> str:
    """The source dialect a URL's scheme names; `DatabaseError` for anything else."""
    found = _SCHEME.match(url)
    scheme = found["scheme"].lower() if found else ""
    if scheme not in DIALECTS:
        shown = scheme or redact(url)
        raise DatabaseError(
            f"unsupported database URL scheme {shown!r} "
            "(use postgresql://, mysql://, mariadb:// or sqlite:///)"
        )
    return DIALECTS[scheme]


def engine_url(url: str) -> str:
    """`url` as SQLAlchemy wants it: ``postgres://`` spelled ``postgresql``, and the
    default driver (psycopg 3, PyMySQL) named when the URL names none."""
    found = _SCHEME.match(url)
    if found is None:
        raise DatabaseError(f"not a database URL: {redact(url)}")
    dialect = dialect_of(url)
    driver = found["driver"] or DRIVERS.get(dialect)
    scheme = "mysql" if dialect == "mysql" else dialect
    head = f"{scheme}+{driver}" if driver else scheme
    return head + url[found.end() - 1 :]
