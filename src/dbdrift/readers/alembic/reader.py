"""Reading one Alembic source: the files, the graph, the replay (the package docstring says how)."""

from __future__ import annotations

import gc
import posixpath
from pathlib import PurePosixPath

from dbdrift.readers.alembic.config import read_options
from dbdrift.readers.alembic.dialects import emitter_for
from dbdrift.readers.alembic.graph import Revision, build, from_text, from_tree
from dbdrift.readers.alembic.metadata import convention
from dbdrift.readers.alembic.upgrade import replay_upgrade
from dbdrift.readers.alembic.values import Scope
from dbdrift.readers.sql.generated import Generated, replay
from dbdrift.readers.sql.text import load_text
from dbdrift.readers.sqlalchemy.model import Context
from dbdrift.readers.sqlalchemy.modules import Index, Module
from dbdrift.schema import Error, Note, Origin, Schema
from dbdrift.source import Source


def read(source: Source) -> Schema:
    """What ``alembic upgrade heads`` leaves in the database, read statically."""
    enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of nodes, none garbage before the end (see sqlalchemy)
    try:
        return _read(source)
    finally:
        if enabled:
            gc.enable()


def _read(source: Source) -> Schema:
    generated, base = generate(source)
    return replay(source.ref(), generated, base=base, dialect=_dialect(source))


def _dialect(source: Source) -> str:
    return source.dialect if source.dialect in ("mysql", "sqlite") else "postgresql"


def generate(source: Source) -> tuple[list[Generated], Schema]:
    """The DDL statements of every revision in apply order, and a schema holding only the
    notes and errors met while reading the scripts."""
    dialect = _dialect(source)
    index = Index(dialect=dialect)
    ctx = Context(index)
    errors: list[Error] = []
    notes: list[Note] = []
    ini: str | None = None
    env: Module | None = None
    revisions: list[Revision] = []
    for relative in source.files:
        text, error = load_text(source.root, relative)
        if error is not None or text is None:
            errors.extend([error] if error else [])
            continue
        if not relative.endswith(".py"):
            ini = ini or relative
            continue
        before = len(index.modules)
        index.add(relative, text)
        if len(index.modules) == before:  # a syntax error: still place it in the graph
            found, more = from_text(relative, text)
        else:
            module = index.modules[-1]
            if PurePosixPath(relative).name == "env.py" and "revision" not in module.defs:
                env = module
                continue
            found, more = from_tree(relative, module.tree)
        notes.extend(more)
        if found is not None:
            revisions.append(found)
        elif len(index.modules) > before:
            message = "not a revision script (no `revision = ...`); not read"
            notes.append(Note("alembic-revision", message, Origin(relative, 1)))
    paths = set(source.files)
    errors.extend(e for e in index.errors if e.origin.path in paths)
    naming = _convention(ctx, source, env, ini)
    graph = build(revisions)
    errors.extend(graph.errors)
    notes.extend(graph.notes)
    emitter = emitter_for(dialect)(ctx, naming or {})
    modules = {m.path: m for m in index.modules}
    for revision in graph.order:
        module = modules.get(revision.path)
        if module is None:
            message = f"revision {revision.revision} does not parse; its upgrade() is not read"
            notes.append(Note("alembic-revision", message, Origin(revision.path, 1)))
            continue
        replay_upgrade(emitter, Scope(index, module, keep=emitter.keep), source.dialect)
    if source.dialect != dialect:
        message = f"operations spelled as on PostgreSQL (the source's dialect is {source.dialect})"
        notes.append(Note("alembic-dialect", message, Origin(source.id, 1)))
    notes.extend(n for n in index.notes if n.origin.path in paths)
    notes.extend(ctx.notes + emitter.notes)
    return emitter.out, Schema(source.ref(), notes=tuple(notes), errors=tuple(errors))


def _convention(
    ctx: Context, source: Source, env: Module | None, ini: str | None
) -> dict[str, str] | None:
    """``target_metadata``'s naming convention; the model files it comes from are looked
    for where Alembic's ``prepend_sys_path`` (default ``.``, the ini's folder) puts them."""
    if env is None:
        return None
    ini_dir = PurePosixPath(ini).parent.as_posix() if ini else "."
    bases = [ini_dir]
    if ini:
        text, _ = load_text(source.root, ini)
        options = read_options(ini, text or "", ini_dir)
        for extra in (options.get("prepend_sys_path") or "").split():
            bases.append(posixpath.normpath(posixpath.join(ini_dir, extra)))
    bases += [PurePosixPath(env.path).parent.as_posix(), ".", "src"]
    bases = list(dict.fromkeys(bases))
    return convention(ctx, env, source.root, bases)
