"""Model state: what Django's ``ModelState`` / ``ProjectState`` hold, as plain data.

Both readers build this state (the models reader from ``models.py``, the migrations reader
by replaying operations), and the schema editor turns it into DDL.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from dbdrift.readers.django.backends import POSTGRESQL, Backend
from dbdrift.readers.django.fields import FieldSpec

MAX_NAME = 63  # PostgreSQL's ``max_name_length()``


def names_digest(*args: str, length: int) -> str:
    """Django's ``names_digest``: md5 over the names, hex, cut to `length`."""
    h = hashlib.md5(usedforsecurity=False)
    for arg in args:
        h.update(arg.encode())
    return h.hexdigest()[:length]


def truncate_name(name: str, length: int | None = MAX_NAME, hash_len: int = 4) -> str:
    """Django's ``truncate_name``: a long name cut and given a 4-character digest
    (``length=None``, SQLite's limit, leaves every name whole)."""
    if length is None or len(name) <= length:
        return name
    return name[: length - hash_len] + names_digest(name, length=hash_len)


def index_name(
    table: str, columns: list[str], suffix: str = "", limit: int | None = MAX_NAME
) -> str:
    """``BaseDatabaseSchemaEditor._create_index_name``: table, columns, digest and suffix;
    `limit` is the backend's ``max_name_length()`` (``None``: 200)."""
    max_length = limit or 200
    hash_suffix = names_digest(table, *columns, length=8) + suffix
    name = f"{table}_{'_'.join(columns)}_{hash_suffix}"
    if len(name) <= max_length:
        return name
    if len(hash_suffix) > max_length / 3:
        hash_suffix = hash_suffix[: max_length // 3]
    other = (max_length - len(hash_suffix)) // 2 - 1
    name = f"{table[:other]}_{'_'.join(columns)[:other]}_{hash_suffix}"
    if name[0] == "_" or name[0].isdigit():
        name = "D" + name[:-1]
    return name


@dataclass
class IndexSpec:
    """``models.Index``: named, over fields (``-field`` descending) or expressions."""

    name: str | None
    fields: list[str]
    condition: Any = None  # a Q tree (see calls.q_tree)
    opclasses: list[str] = field(default_factory=list)
    expressions: int = 0
    line: int = 1


@dataclass
class ConstraintSpec:
    """``UniqueConstraint`` (``kind="unique"``) or ``CheckConstraint`` (``kind="check"``)."""

    kind: str
    name: str
    fields: list[str] = field(default_factory=list)
    condition: Any = None
    expressions: int = 0
    line: int = 1


@dataclass
class ModelState:
    app_label: str
    name: str
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    db_table: str | None = None
    unique_together: list[tuple[str, ...]] = field(default_factory=list)
    indexes: list[IndexSpec] = field(default_factory=list)
    constraints: list[ConstraintSpec] = field(default_factory=list)
    abstract: bool = False
    proxy: bool = False
    managed: bool = True
    order_wrt: bool = False
    """``order_with_respect_to`` is set: Django adds an ``_order`` column after the fields."""
    bases: list[Any] = field(default_factory=list)
    path: str = ""
    line: int = 1
    name_limit: int | None = MAX_NAME
    """The backend's ``max_name_length()``, which cuts a generated table name."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.app_label, self.name.lower())

    @property
    def table(self) -> str:
        if self.db_table:
            return self.db_table
        return truncate_name(f"{self.app_label}_{self.name.lower()}", self.name_limit)

    @property
    def has_table(self) -> bool:
        return not (self.abstract or self.proxy) and self.managed

    def pk(self) -> FieldSpec | None:
        return next((f for f in self.fields.values() if f.primary_key), None)

    def get(self, name: str) -> FieldSpec | None:
        """A field by name, or by its attribute name (``author_id`` for ``author``)."""
        found = self.fields.get(name)
        if found is None:
            found = next((f for f in self.fields.values() if f.column == name), None)
        return found

    def local_fields(self) -> list[FieldSpec]:
        return [f for f in self.fields.values() if not f.many_to_many]

    def m2m_fields(self) -> list[FieldSpec]:
        return [f for f in self.fields.values() if f.many_to_many]


@dataclass
class Project:
    """Every model by ``(app_label, model_name_lower)``, plus the settings that matter."""

    models: dict[tuple[str, str], ModelState] = field(default_factory=dict)
    user_model: tuple[str, str] = ("auth", "user")
    default_auto_field: str = "AutoField"
    backend: Backend = POSTGRESQL

    def add(self, model: ModelState) -> None:
        """Register `model`, its generated table name cut to this backend's limit."""
        model.name_limit = self.backend.max_name
        self.models[model.key] = model

    def auto_field(self, app_label: str) -> str:
        """The primary key class of an auto-created many-to-many table: always the
        settings' ``DEFAULT_AUTO_FIELD``, never the app's, because ``migrate`` builds these
        tables from migration state, whose app configs are stubs without the override."""
        return self.default_auto_field

    def model(self, key: tuple[str, str] | None) -> ModelState | None:
        return self.models.get(key) if key else None
