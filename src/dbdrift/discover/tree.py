"""The walk: one pass over the repository's directories (``os.scandir``, directory
symlinks followed, loops detected), recording listings, what was skipped and what failed.
"""

from __future__ import annotations

import errno
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from dbdrift.schema import Error, Origin

log = logging.getLogger(__name__)


ROOT = "."

# Directories never walked: version control, dependencies, build output, caches.  A
# directory holding ``pyvenv.cfg`` is a virtualenv whatever its name.
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "site-packages",
        ".venv",
        "venv",
        "__pycache__",
        "dist",
        "build",
        "vendor",
        "target",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
    }
)
VENV_MARKER = "pyvenv.cfg"


@dataclass(frozen=True, slots=True)
class DiscoverConfig:
    """What a config file may change about the walk: more directories to leave out.

    An entry without a slash is a directory name skipped anywhere; with a slash, a
    repo-relative directory path.
    """

    exclude: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file or folder that looked like a schema source but is not one, and why."""

    path: str
    reason: str


@dataclass
class Dir:
    """A walked directory: its file names and the repo-relative paths of walked subfolders."""

    files: list[str] = field(default_factory=list)
    subdirs: list[str] = field(default_factory=list)


@dataclass
class Tree:
    dirs: dict[str, Dir] = field(default_factory=dict)
    errors: list[Error] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


_Key = tuple[int, int]


def join(rel: str, name: str) -> str:
    """A repo-relative path, posix-style, with ``.`` as the root."""
    return name if rel == ROOT else f"{rel}/{name}"


def parent(rel: str) -> str:
    head, _, _ = rel.rpartition("/")
    return head or ROOT


def basename(rel: str) -> str:
    return rel.rpartition("/")[2]


def walk(root: Path, config: DiscoverConfig) -> Tree:
    """Every walked directory with its files, following directory symlinks once.

    Real directories are walked first and symlinked ones afterwards, so a symlink to a
    directory of the tree is reported as already walked instead of shadowing the real path;
    a symlink to one of its own ancestors is a loop, reported as an error.
    """
    tree = Tree()
    try:
        st = root.stat()
    except OSError as exc:
        tree.errors.append(os_error("cannot read directory", ROOT, exc))
        return tree
    seen: dict[_Key, str] = {(st.st_dev, st.st_ino): ROOT}
    stack: list[tuple[str, tuple[_Key, ...]]] = [(ROOT, ((st.st_dev, st.st_ino),))]
    links: list[tuple[str, tuple[_Key, ...]]] = []
    while stack or links:
        if stack:
            rel, ancestors = stack.pop()
        else:
            rel, ancestors = links.pop(0)
            key = _follow_link(root, rel, ancestors, seen, tree)
            if key is None:
                continue
            ancestors = (*ancestors, key)
        listing = _scan_dir(root, rel, config, tree)
        if listing is None:
            continue
        directory, subdirs, linked = listing
        tree.dirs[rel] = directory
        for child, key in reversed(subdirs):
            seen.setdefault(key, child)
            stack.append((child, (*ancestors, key)))
        links.extend((child, ancestors) for child in linked)
    return tree


def _scan_dir(
    root: Path, rel: str, config: DiscoverConfig, tree: Tree
) -> tuple[Dir, list[tuple[str, _Key]], list[str]] | None:
    """One directory's files, real subdirectories and symlinked subdirectories."""
    try:
        with os.scandir(root / rel) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        tree.errors.append(os_error("cannot read directory", rel, exc))
        return None
    if rel != ROOT and any(e.name == VENV_MARKER for e in entries):
        log.info("Skipped %s because it is a virtualenv", rel)
        return None
    directory = Dir()
    subdirs: list[tuple[str, _Key]] = []
    linked: list[str] = []
    for entry in entries:
        child = join(rel, entry.name)
        try:
            if entry.is_dir(follow_symlinks=False):
                if not _excluded(entry.name, child, config):
                    st = entry.stat(follow_symlinks=False)
                    subdirs.append((child, (st.st_dev, st.st_ino)))
                    directory.subdirs.append(child)
            elif entry.is_symlink():
                if entry.is_dir():
                    if not _excluded(entry.name, child, config):
                        linked.append(child)
                elif entry.is_file():
                    directory.files.append(entry.name)
                elif entry.name.lower().endswith(".sql"):
                    tree.skipped.append(Skipped(child, "broken symlink"))
            elif entry.is_file(follow_symlinks=False):
                directory.files.append(entry.name)
        except OSError as exc:
            tree.errors.append(os_error("cannot follow", child, exc))
    return directory, subdirs, linked


def _follow_link(
    root: Path, rel: str, ancestors: tuple[_Key, ...], seen: dict[_Key, str], tree: Tree
) -> _Key | None:
    """The (device, inode) of a symlinked directory to walk, or ``None`` with the reason."""
    try:
        st = (root / rel).stat()
    except OSError as exc:
        tree.errors.append(os_error("cannot follow", rel, exc))
        return None
    key = (st.st_dev, st.st_ino)
    if Path(os.path.realpath(root / rel)).name in SKIP_DIRS:
        return None
    if key in ancestors:
        target = seen.get(key, "?")
        tree.errors.append(
            Error(f"symlink loop: {rel} points back to its ancestor {target}", Origin(rel, 1))
        )
        return None
    if key in seen:
        tree.skipped.append(Skipped(rel, f"symlink to {seen[key]}, already walked"))
        return None
    seen[key] = rel
    tree.dirs[parent(rel)].subdirs.append(rel)
    return key


def _excluded(name: str, rel: str, config: DiscoverConfig) -> bool:
    if name in SKIP_DIRS:
        return True
    return any(rel == e.strip("/") if "/" in e else name == e for e in config.exclude)


def os_error(what: str, rel: str, exc: OSError) -> Error:
    if exc.errno == errno.ELOOP:
        return Error(f"symlink loop: {rel} ({exc.strerror})", Origin(rel, 1))
    return Error(f"{what} {rel}: {exc.strerror or exc}", Origin(rel, 1))


def is_file(tree: Tree, rel: str) -> bool:
    listing = tree.dirs.get(parent(rel))
    return listing is not None and basename(rel) in listing.files
