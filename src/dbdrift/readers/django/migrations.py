"""The migration graph: every ``migrations/NNNN_name.py`` a node, ``dependencies`` (and
``run_before``, ``replaces``) its edges, and the order ``migrate`` applies them in.

The plan follows Django's ``MigrationGraph.forwards_plan`` for each leaf in name order, so
any valid order gives the same schema.  A dependency on a migration the source does not
have, and a cycle, are located errors; a dependency on an app the source has no migrations
for (Django's contrib apps, a third-party package) is external and only noted.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from dbdrift.readers.django.calls import Context, static
from dbdrift.readers.django.contrib import CONTRIB_APPS
from dbdrift.readers.sqlalchemy.modules import Module
from dbdrift.schema import Error, Note, Origin

Key = tuple[str, str]


@dataclass
class Migration:
    key: Key
    module: Module
    line: int
    dependencies: list[Key] = field(default_factory=list)
    dependencies_line: int = 1
    run_before: list[Key] = field(default_factory=list)
    replaces: list[Key] = field(default_factory=list)
    operations: list[ast.AST] = field(default_factory=list)


def read_migration(ctx: Context, module: Module) -> Migration | None:
    """The ``Migration`` class of a migration file, or ``None`` when it has none."""
    cls = next(
        (s for s in module.tree.body if isinstance(s, ast.ClassDef) and s.name == "Migration"),
        None,
    )
    if cls is None:
        return None
    app = ctx.app_of(module.path)
    migration = Migration((app, PurePosixPath(module.path).stem), module, cls.lineno)
    for stmt in cls.body:
        if not (isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value is not None):
            continue
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        names = {t.id for t in targets if isinstance(t, ast.Name)}
        value = stmt.value
        if "dependencies" in names:
            migration.dependencies = _keys(ctx, module, value)
            migration.dependencies_line = stmt.lineno
        elif "run_before" in names:
            migration.run_before = _keys(ctx, module, value)
        elif "replaces" in names:
            migration.replaces = _keys(ctx, module, value)
        elif "operations" in names and isinstance(value, ast.List | ast.Tuple):
            migration.operations = list(value.elts)
    return migration


def _keys(ctx: Context, module: Module, node: ast.AST) -> list[Key]:
    out: list[Key] = []
    if not isinstance(node, ast.List | ast.Tuple):
        return out
    for item in node.elts:
        if isinstance(item, ast.Call) and item.args:
            # migrations.swappable_dependency(settings.AUTH_USER_MODEL)
            arg = item.args[0]
            if isinstance(arg, ast.Attribute) and arg.attr == "AUTH_USER_MODEL":
                out.append((ctx.user_model[0], "__first__"))
                continue
            value = static(ctx, module, arg)
            if isinstance(value, str) and "." in value:
                out.append((value.split(".", 1)[0], "__first__"))
            continue
        value = static(ctx, module, item)
        if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
            out.append((value[0], value[1]))
    return out


@dataclass
class Plan:
    order: list[Migration]
    errors: list[Error]
    notes: list[Note]


def plan(migrations: list[Migration]) -> Plan:
    """The apply order of `migrations`, with missing dependencies and cycles as errors."""
    errors: list[Error] = []
    notes: list[Note] = []
    nodes: dict[Key, Migration] = {}
    for m in migrations:
        if m.key in nodes:
            errors.append(Error(f"migration {m.key[0]}.{m.key[1]} is defined twice", _at(m)))
            continue
        nodes[m.key] = m
    _squash(nodes)
    parents = _edges(nodes, errors, notes)
    order: list[Migration] = []
    state: dict[Key, int] = {}  # 1 visiting, 2 done

    def visit(key: Key, path: list[Key]) -> None:
        # iterative depth-first post-order, cycles reported at the migration that closes them
        stack: list[tuple[Key, int]] = [(key, 0)]
        trail = list(path)
        while stack:
            node, at = stack.pop()
            if at == 0:
                if state.get(node) == 2:
                    continue
                state[node] = 1
                trail.append(node)
            deps = parents[node]
            if at < len(deps):
                stack.append((node, at + 1))
                dep = deps[at]
                if state.get(dep) == 1:
                    cycle = [*trail[trail.index(dep) :], dep]
                    text = " -> ".join(f"{a}.{n}" for a, n in cycle)
                    m = nodes[node]
                    errors.append(
                        Error(
                            f"migration dependency cycle: {text}; the edge is ignored",
                            Origin(m.module.path, m.dependencies_line),
                        )
                    )
                elif state.get(dep) != 2:
                    stack.append((dep, 0))
                continue
            state[node] = 2
            trail.pop()
            order.append(nodes[node])

    children = {k for deps in parents.values() for k in deps}
    # Leaves in name order, as ``migrate`` plans them; nodes only reachable through a cycle
    # from the last name down, so the edge left out is the one pointing at a later name.
    leaves = sorted(k for k in nodes if k not in children)
    for leaf in leaves:
        visit(leaf, [])
    for key in sorted(nodes, reverse=True):
        if state.get(key) != 2:
            visit(key, [])
    return Plan(order, errors, notes)


def _at(m: Migration) -> Origin:
    return Origin(m.module.path, m.line)


def _squash(nodes: dict[Key, Migration]) -> None:
    """A squashed migration stands for the ones it replaces when they are all present or
    all absent (Django uses the squash on a fresh database); dependencies on a replaced
    migration point at the squash."""
    for squash in [m for m in nodes.values() if m.replaces]:
        for key in squash.replaces:
            nodes.pop(key, None)
        for m in nodes.values():
            m.dependencies = [squash.key if d in squash.replaces else d for d in m.dependencies]


def _edges(
    nodes: dict[Key, Migration], errors: list[Error], notes: list[Note]
) -> dict[Key, list[Key]]:
    apps = {k[0] for k in nodes}
    by_app: dict[str, list[Key]] = {}
    for key in sorted(nodes):
        by_app.setdefault(key[0], []).append(key)
    parents: dict[Key, list[Key]] = {k: [] for k in nodes}
    noted: set[str] = set()
    for m in nodes.values():
        for app, name in m.dependencies:
            where = Origin(m.module.path, m.dependencies_line)
            if app not in apps:
                if app not in CONTRIB_APPS and app not in noted:
                    noted.add(app)
                    message = f"depends on app {app!r}, whose migrations are not in the source"
                    notes.append(Note("django-external", message, where))
                continue
            if name in ("__first__", "__latest__"):
                keys = by_app[app]
                target = (
                    _first(keys, parents, nodes) if name == "__first__" else _latest(keys, nodes)
                )
            else:
                target = (app, name)
            if target not in nodes:
                errors.append(Error(f"missing migration dependency {app}.{name}", where))
                continue
            if target != m.key:
                parents[m.key].append(target)
        for key in m.run_before:
            if key in nodes:
                parents[key].append(m.key)
    for key in parents:
        parents[key] = sorted(set(parents[key]), key=lambda k: k)
    return parents


def _first(keys: list[Key], parents: dict, nodes: dict[Key, Migration]) -> Key:
    app = keys[0][0]
    for key in keys:
        if not any(d[0] == app for d in nodes[key].dependencies):
            return key
    return keys[0]


def _latest(keys: list[Key], nodes: dict[Key, Migration]) -> Key:
    app = keys[0][0]
    used = {d for k in keys for d in nodes[k].dependencies if d[0] == app}
    leaves = [k for k in keys if k not in used]
    return leaves[-1] if leaves else keys[-1]
