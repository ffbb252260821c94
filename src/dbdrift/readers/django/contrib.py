"""The tables of Django's contrib apps that a project's models may point at.

dbdrift never imports Django, so it cannot read ``django.contrib.auth``'s migrations.  A
project's foreign keys to ``auth.User``, ``auth.Group``, ``auth.Permission`` or
``contenttypes.ContentType`` need the referenced table, its key and the key's type; this
module describes those tables as Django 5's own migrations leave them.  They are *external*:
created before the replay so the foreign keys resolve, and left out of the source's schema,
because the repository's migrations do not create them.
"""

from __future__ import annotations

from dbdrift.readers.django.fields import FieldSpec
from dbdrift.readers.django.state import ModelState

CONTRIB_APPS = frozenset(
    {
        "auth",
        "contenttypes",
        "admin",
        "sessions",
        "sites",
        "messages",
        "staticfiles",
        "flatpages",
        "redirects",
    }
)


def _model(app: str, name: str, table: str, fields: list[FieldSpec]) -> ModelState:
    pk = FieldSpec("id", "AutoField", {"primary_key": True})
    return ModelState(app, name, {f.name: f for f in [pk, *fields]}, table)


def contrib_models() -> list[ModelState]:
    """``auth.User``, ``auth.Group``, ``auth.Permission``, ``contenttypes.ContentType``."""
    content_type = _model(
        "contenttypes",
        "ContentType",
        "django_content_type",
        [
            FieldSpec("app_label", "CharField", {"max_length": 100}),
            FieldSpec("model", "CharField", {"max_length": 100}),
        ],
    )
    permission = _model(
        "auth",
        "Permission",
        "auth_permission",
        [
            FieldSpec("name", "CharField", {"max_length": 255}),
            FieldSpec("content_type", "ForeignKey", {}, target=("contenttypes", "contenttype")),
            FieldSpec("codename", "CharField", {"max_length": 100}),
        ],
    )
    group = _model(
        "auth",
        "Group",
        "auth_group",
        [FieldSpec("name", "CharField", {"max_length": 150, "unique": True})],
    )
    user = _model(
        "auth",
        "User",
        "auth_user",
        [
            FieldSpec("password", "CharField", {"max_length": 128}),
            FieldSpec("last_login", "DateTimeField", {"null": True}),
            FieldSpec("is_superuser", "BooleanField", {}),
            FieldSpec("username", "CharField", {"max_length": 150, "unique": True}),
            FieldSpec("first_name", "CharField", {"max_length": 150}),
            FieldSpec("last_name", "CharField", {"max_length": 150}),
            FieldSpec("email", "CharField", {"max_length": 254}),
            FieldSpec("is_staff", "BooleanField", {}),
            FieldSpec("is_active", "BooleanField", {}),
            FieldSpec("date_joined", "DateTimeField", {}),
        ],
    )
    return [content_type, permission, group, user]


def _user_fields() -> dict[str, list[FieldSpec]]:
    base = [
        FieldSpec("password", "CharField", {"max_length": 128}),
        FieldSpec("last_login", "DateTimeField", {"null": True}),
    ]
    permissions = [
        FieldSpec("is_superuser", "BooleanField", {}),
        FieldSpec("groups", "ManyToManyField", {}, target=("auth", "group")),
        FieldSpec("user_permissions", "ManyToManyField", {}, target=("auth", "permission")),
    ]
    user = [
        FieldSpec("username", "CharField", {"max_length": 150, "unique": True}),
        FieldSpec("first_name", "CharField", {"max_length": 150}),
        FieldSpec("last_name", "CharField", {"max_length": 150}),
        FieldSpec("email", "CharField", {"max_length": 254}),
        FieldSpec("is_staff", "BooleanField", {}),
        FieldSpec("is_active", "BooleanField", {}),
        FieldSpec("date_joined", "DateTimeField", {}),
    ]
    return {
        "AbstractBaseUser": base,
        "PermissionsMixin": permissions,
        "AbstractUser": base + permissions + user,
    }


ABSTRACT_BASES = _user_fields()
"""Django's abstract models a project's models inherit from, by class name
(``django.contrib.auth.models.AbstractUser``), with their fields in Django's order."""
