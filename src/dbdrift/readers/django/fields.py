"""Django fields as data, and the column each one becomes on a backend.

A field is read from a call (``models.CharField(max_length=20)`` in a model or in a
migration's ``CreateModel``) into a `FieldSpec` holding its class name and its static
keyword values.  The types come from the backend's ``data_types`` (backends.py); the field
classes that only change defaults (``EmailField`` is a ``CharField`` of 254) are
listed in `INTERNAL`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from dbdrift.readers.django.backends import POSTGRESQL, POSTGRESQL_TYPES, SQLITE_TYPES, Backend

# Django field class -> its internal type (``Field.get_internal_type``) when they differ.
INTERNAL = {
    "EmailField": "CharField",
    "URLField": "CharField",
    "ImageField": "FileField",
    "CommaSeparatedIntegerField": "CharField",
    "NullBooleanField": "BooleanField",
}

# Default ``max_length`` of the CharField family (django/db/models/fields/__init__.py).
MAX_LENGTH = {
    "EmailField": 254,
    "URLField": 200,
    "SlugField": 50,
    "FileField": 100,
    "ImageField": 100,
    "FilePathField": 100,
    "GenericIPAddressField": 39,
}

AUTO = frozenset({"AutoField", "BigAutoField", "SmallAutoField"})
RELATIONS = frozenset({"ForeignKey", "OneToOneField", "ManyToManyField"})
KNOWN = (
    frozenset(POSTGRESQL_TYPES)
    | frozenset(SQLITE_TYPES)
    | frozenset(INTERNAL)
    | RELATIONS
    | {"ArrayField", "GeneratedField"}
)


class Dynamic:
    """A keyword value with no static meaning (a call, a name from outside): present, unknown."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Dynamic({self.text!r})"


@dataclass
class FieldSpec:
    """One field: its class (``CharField``), keywords, relation target and where it is.

    `target` is the related model as ``(app_label, model_name_lower)`` once resolved;
    `base` is an ``ArrayField``'s element field; `db_default` the SQL after ``DEFAULT``.
    """

    name: str
    kind: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    target: tuple[str, str] | None = None
    through: tuple[str, str] | None = None
    base: FieldSpec | None = None
    db_default: str | None = None
    path: str = ""
    line: int = 1
    auto_created: bool = False

    def copy(self, **changes: Any) -> FieldSpec:
        return replace(self, kwargs=dict(self.kwargs), **changes)

    @property
    def internal(self) -> str:
        return INTERNAL.get(self.kind, self.kind)

    @property
    def is_relation(self) -> bool:
        return self.kind in ("ForeignKey", "OneToOneField")

    @property
    def many_to_many(self) -> bool:
        return self.kind == "ManyToManyField"

    @property
    def column(self) -> str:
        given = self.kwargs.get("db_column")
        if isinstance(given, str):
            return given
        return f"{self.name}_id" if self.is_relation else self.name

    @property
    def primary_key(self) -> bool:
        return self.kwargs.get("primary_key") is True

    @property
    def null(self) -> bool:
        return self.kwargs.get("null") is True

    @property
    def unique(self) -> bool:
        """Django's ``Field.unique``: ``unique=True``, a primary key or a one-to-one."""
        return self.kwargs.get("unique") is True or self.primary_key or self.kind == "OneToOneField"

    @property
    def db_index(self) -> bool:
        given = self.kwargs.get("db_index")
        if isinstance(given, bool):
            return given
        return self.kind in ("ForeignKey", "OneToOneField", "SlugField")

    @property
    def db_constraint(self) -> bool:
        return self.kwargs.get("db_constraint") is not False


def db_type(spec: FieldSpec, backend: Backend = POSTGRESQL) -> str | None:
    """The type Django writes for a non-relation field (``db_type``), or ``None``."""
    if spec.kind == "ArrayField":
        if spec.base is None:
            return None
        if backend is not POSTGRESQL:
            return None
        inner = db_type(spec.base, backend)
        if inner is None:
            return None
        size = spec.kwargs.get("size")
        return f"{inner}[{size if isinstance(size, int) else ''}]"
    template = backend.data_types.get(spec.internal)
    if template is None:
        return None
    max_length = spec.kwargs.get("max_length", MAX_LENGTH.get(spec.kind))
    if spec.internal == "CharField" and not isinstance(max_length, int):
        return "varchar"
    params = {
        "max_length": max_length,
        "max_digits": spec.kwargs.get("max_digits"),
        "decimal_places": spec.kwargs.get("decimal_places"),
    }
    return template % params


def rel_db_type(target: FieldSpec, backend: Backend = POSTGRESQL) -> str | None:
    """The type of a foreign key column pointing at `target` (``Field.rel_db_type``)."""
    kind = backend.rel_kinds.get(target.internal)
    if kind is not None:
        return backend.data_types.get(kind)
    return db_type(target, backend)
