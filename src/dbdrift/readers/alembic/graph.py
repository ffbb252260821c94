"""The revision graph: ``revision`` / ``down_revision`` (a tuple for a merge), ``depends_on``
and ``branch_labels`` of each script, and the order ``alembic upgrade heads`` applies them.

Alembic refuses the whole upgrade on a cycle or a missing down revision; dbdrift reports
each as a located error and replays what it can order, so one bad script does not hide the
rest of the history.
"""

from __future__ import annotations

import ast
import heapq
import re
from dataclasses import dataclass, field

from dbdrift.schema import Error, Note, Origin

_FIELDS = ("revision", "down_revision", "depends_on", "branch_labels")


@dataclass
class Revision:
    """One revision script: its identifiers and where each was written."""

    path: str
    revision: str
    down: tuple[str, ...] = ()
    depends: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    lines: dict[str, int] = field(default_factory=dict)
    tree: ast.Module | None = None  # None: the script has a syntax error

    def line(self, name: str) -> int:
        return self.lines.get(name, self.lines.get("revision", 1))


def _names(value: object) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _value(node: ast.AST) -> object:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _MISSING


_MISSING = object()


def from_tree(path: str, tree: ast.Module) -> tuple[Revision | None, list[Note]]:
    """The revision a parsed script declares, or ``None`` when it declares none."""
    found: dict[str, object] = {}
    lines: dict[str, int] = {}
    for stmt in tree.body:
        target = value = None
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target, value = stmt.target, stmt.value
        if isinstance(target, ast.Name) and target.id in _FIELDS and value is not None:
            found[target.id] = _value(value)
            lines[target.id] = stmt.lineno
    return _revision(path, found, lines, tree)


_ASSIGN = re.compile(
    r"^(revision|down_revision|depends_on|branch_labels)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.M
)


def from_text(path: str, text: str) -> tuple[Revision | None, list[Note]]:
    """The identifiers of a script that does not parse, read line by line, so its
    descendants still find their parent."""
    found: dict[str, object] = {}
    lines: dict[str, int] = {}
    for match in _ASSIGN.finditer(text):
        try:
            found[match.group(1)] = ast.literal_eval(match.group(2))
        except (ValueError, SyntaxError):
            continue
        lines[match.group(1)] = text.count("\n", 0, match.start()) + 1
    return _revision(path, found, lines, None)


def _revision(
    path: str, found: dict[str, object], lines: dict[str, int], tree: ast.Module | None
) -> tuple[Revision | None, list[Note]]:
    notes: list[Note] = []
    revision = found.get("revision")
    if not isinstance(revision, str):
        return None, notes
    out = Revision(path, revision, lines=lines, tree=tree)
    for name, attr in (
        ("down_revision", "down"),
        ("depends_on", "depends"),
        ("branch_labels", "labels"),
    ):
        names = _names(found.get(name))
        if names is None:
            message = f"{name} of revision {revision} has no static value; read as empty"
            notes.append(Note("alembic-revision", message, Origin(path, out.line(name))))
            names = ()
        setattr(out, attr, names)
    return out, notes


@dataclass
class Graph:
    """The revisions in apply order, with the graph's errors and notes."""

    order: list[Revision]
    heads: list[Revision]
    errors: list[Error]
    notes: list[Note]


def build(revisions: list[Revision]) -> Graph:
    """Order every revision for ``upgrade heads``: parents (down revisions and
    dependencies) first, ties broken by file path, so the order is deterministic."""
    errors: list[Error] = []
    notes: list[Note] = []
    by_id: dict[str, Revision] = {}
    for rev in revisions:
        if rev.revision in by_id:
            first = by_id[rev.revision]
            message = f"revision {rev.revision} is declared again (first in {first.path})"
            errors.append(Error(message, Origin(rev.path, rev.line("revision"))))
            continue
        by_id[rev.revision] = rev
    labels = {label: rev.revision for rev in by_id.values() for label in rev.labels}
    parents: dict[str, list[str]] = {}
    for rev in by_id.values():
        wanted = [(p, "down_revision") for p in rev.down] + [(p, "depends_on") for p in rev.depends]
        parents[rev.revision] = []
        for parent, field_name in wanted:
            key = _resolve(parent, by_id, labels)
            if key is None:
                message = f"revision {rev.revision}: {field_name} {parent} does not exist"
                errors.append(Error(message, Origin(rev.path, rev.line(field_name))))
                continue
            parents[rev.revision].append(key)
    order = _topological(by_id, parents)
    placed = {rev.revision for rev in order}
    stuck = sorted((r for r in by_id.values() if r.revision not in placed), key=lambda r: r.path)
    for rev in stuck:
        message = (
            f"revision {rev.revision} is in a cycle of the revision graph (or descends "
            "from one); not replayed"
        )
        errors.append(Error(message, Origin(rev.path, rev.line("down_revision"))))
    versioned = {_resolve(p, by_id, labels) for rev in by_id.values() for p in rev.down}
    heads = [r for r in order if r.revision not in versioned]
    if len(heads) > 1:
        ids = ", ".join(r.revision for r in heads)
        for rev in heads:
            message = f"the revision graph has {len(heads)} heads ({ids}); all are replayed"
            notes.append(Note("alembic-heads", message, Origin(rev.path, rev.line("revision"))))
    return Graph(order, heads, errors, notes)


def _resolve(name: str, by_id: dict[str, Revision], labels: dict[str, str]) -> str | None:
    """A revision id, a branch label, or a unique prefix of an id (as Alembic accepts)."""
    if name in by_id:
        return name
    if name in labels:
        return labels[name]
    matches = [key for key in by_id if key.startswith(name)]
    return matches[0] if len(matches) == 1 and len(name) >= 4 else None


def _topological(by_id: dict[str, Revision], parents: dict[str, list[str]]) -> list[Revision]:
    waiting = {key: len(set(ps)) for key, ps in parents.items()}
    children: dict[str, list[str]] = {}
    for key, ps in parents.items():
        for parent in set(ps):
            children.setdefault(parent, []).append(key)
    ready = [(by_id[k].path, k) for k, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        _, key = heapq.heappop(ready)
        order.append(by_id[key])
        for child in children.get(key, ()):
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(ready, (by_id[child].path, child))
    return order
