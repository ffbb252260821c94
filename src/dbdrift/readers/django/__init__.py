"""The Django readers: ``models.py`` files (kind ``django``) and migration histories (kind
``django-migrations``), read with stdlib `ast`, never imported.

Both build Django's model state (state.py) and spell it as the DDL Django's PostgreSQL
schema editor sends (schema_editor.py), which dbdrift's own SQL replay then applies: the
models as one ``migrate`` of freshly made migrations would, the history operation by
operation along its dependency graph (migrations.py, operations.py), ``RunSQL`` in line.
Django's contrib tables (``auth_user``, ``auth_group``, ``auth_permission``,
``django_content_type``) are external: described by contrib.py so foreign keys to them
resolve, and not part of the source's schema.  The DDL is the source dialect's backend's
(PostgreSQL, MySQL/MariaDB, SQLite: backends.py); another dialect is read as PostgreSQL,
with a note.
"""

from __future__ import annotations

import gc
from dataclasses import replace

from dbdrift.readers.django.backends import BACKENDS, POSTGRESQL
from dbdrift.readers.django.contrib import contrib_models
from dbdrift.readers.django.migrations import plan, read_migration
from dbdrift.readers.django.models import is_models_file, read_models
from dbdrift.readers.django.operations import Applier
from dbdrift.readers.django.project import Loaded, is_settings, load
from dbdrift.readers.django.schema_editor import Editor
from dbdrift.readers.django.state import ModelState, Project
from dbdrift.readers.sql.generated import Generated, replay
from dbdrift.schema import Note, Origin, Schema
from dbdrift.source import Source

EXTERNAL = "<django contrib>"


def read(source: Source) -> Schema:
    """The tables `source` creates: its models (``django``) or its migrations."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        if source.kind == "django-migrations":
            return read_migrations(source)
        return read_models_source(source)
    finally:
        if enabled:
            gc.enable()


def _start(loaded: Loaded, source: Source) -> tuple[Project, Editor, list[Generated], list[Note]]:
    labels = set(loaded.labels.values())
    project = Project(
        user_model=loaded.ctx.user_model,
        default_auto_field=loaded.default_auto_field,
        backend=BACKENDS.get(source.dialect, POSTGRESQL),
    )
    out: list[Generated] = []
    notes: list[Note] = []
    editor = Editor(project, out, notes)
    for model in contrib_models():
        if model.app_label in labels:
            continue
        project.add(model)
        editor.create_model(model, Origin(EXTERNAL, 1))
    editor.flush()
    return project, editor, out, notes


def read_models_source(source: Source) -> Schema:
    """Kind ``django``: every concrete, managed model of the source's ``models.py`` files."""
    loaded = load(source)
    project, editor, out, notes = _start(loaded, source)
    modules = [
        m for m in loaded.ctx.index.modules if is_models_file(m.path) and not is_settings(m.path)
    ]
    models = read_models(loaded.ctx, modules, loaded.app_auto_fields, loaded.default_auto_field)
    seen: dict[tuple[str, str], ModelState] = {}
    for model in models:
        first = seen.setdefault(model.key, model)
        if first is not model:
            message = (
                f"model {model.app_label}.{model.name} is defined again "
                f"(first at {first.path}:{first.line}); read once, as first defined"
            )
            notes.append(Note("django-duplicate", message, Origin(model.path, model.line)))
            continue
        project.add(model)
    for model in models:
        if model.has_table and project.models.get(model.key) is model:
            editor.create_model(model, Origin(model.path, model.line))
    editor.flush()
    return _finish(source, loaded, out, notes)


def read_migrations(source: Source) -> Schema:
    """Kind ``django-migrations``: every migration replayed in ``migrate``'s order."""
    loaded = load(source)
    project, editor, out, notes = _start(loaded, source)
    migrations = []
    for module in loaded.ctx.index.modules:
        if "migrations" not in module.path.split("/")[:-1] or module.path.endswith("__init__.py"):
            continue
        migration = read_migration(loaded.ctx, module)
        if migration is not None:
            migrations.append(migration)
    order = plan(migrations)
    loaded.errors.extend(order.errors)
    notes.extend(order.notes)
    applier = Applier(loaded.ctx, project, editor)
    for migration in order.order:
        for operation in migration.operations:
            applier.apply(migration.module, migration.key[0], operation)
        editor.flush()
    return _finish(source, loaded, out, notes)


def _finish(source: Source, loaded: Loaded, out: list[Generated], notes: list[Note]) -> Schema:
    backend = BACKENDS.get(source.dialect)
    if backend is None:
        first = source.files[0] if source.files else source.id
        message = (
            f"Django's {source.dialect} DDL is not modelled; the schema is read as "
            "Django's PostgreSQL backend would create it"
        )
        notes.insert(0, Note("django-dialect", message, Origin(first, 1)))
    base = Schema(
        source.ref(),
        notes=tuple(loaded.ctx.notes + notes),
        errors=tuple(loaded.errors),
    )
    dialect = (backend or POSTGRESQL).name
    schema = replay(source.ref(), out, base=base, dialect=dialect)
    return replace(
        schema,
        tables=tuple(t for t in schema.tables if not (t.origin and t.origin.path == EXTERNAL)),
        notes=tuple(n for n in schema.notes if n.origin.path != EXTERNAL),
        errors=tuple(e for e in schema.errors if e.origin.path != EXTERNAL),
    )
