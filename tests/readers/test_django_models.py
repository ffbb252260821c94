"""The Django models reader: what Django's metaclass decides, read statically."""

from __future__ import annotations

from pathlib import Path

from dbdrift.readers import read
from dbdrift.schema import Schema
from dbdrift.source import Source


def models(tmp_path: Path, text: str, extra: dict[str, str] | None = None) -> Schema:
    files = {"shop/models.py": "from django.db import models\n\n\n" + text, **(extra or {})}
    for rel, body in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(body)
    return read(Source(".", "django", "postgresql", tmp_path, tuple(sorted(files))))


def test_abstract_and_proxy_and_unmanaged_models_have_no_table(tmp_path: Path) -> None:
    schema = models(
        tmp_path,
        """class Base(models.Model):
    created = models.DateTimeField()

    class Meta:
        abstract = True


class Item(Base):
    name = models.CharField(max_length=10)


class Shown(Item):
    class Meta:
        proxy = True


class Legacy(models.Model):
    class Meta:
        managed = False
""",
    )
    assert [t.name for t in schema.tables] == ["shop_item"]
    assert [c.name for c in schema.tables[0].columns] == ["id", "created", "name"]


def test_default_is_python_side_and_db_default_is_the_databases(tmp_path: Path) -> None:
    schema = models(
        tmp_path,
        """class Item(models.Model):
    a = models.IntegerField(default=3, choices=[(3, "three")])
    b = models.IntegerField(db_default=3)
""",
    )
    item = schema.table("shop_item")
    assert item is not None
    assert (item.column("a").default, item.column("b").default) == (None, "3")


def test_app_label_from_apps_py_and_default_auto_field_from_settings(tmp_path: Path) -> None:
    extra = {
        "shop/apps.py": 'class ShopConfig:\n    label = "store"\n',
        "site/settings.py": 'DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"\n',
    }
    schema = models(tmp_path, "class Item(models.Model):\n    pass\n", extra)
    item = schema.table("store_item")
    assert item is not None and item.column("id").type.sql == "bigint"


def test_multi_table_child_has_a_parent_link_primary_key(tmp_path: Path) -> None:
    schema = models(
        tmp_path,
        """class Place(models.Model):
    code = models.CharField(max_length=5, primary_key=True)


class Restaurant(Place):
    seats = models.IntegerField()
""",
    )
    child = schema.table("shop_restaurant")
    assert child is not None
    assert [(c.name, c.type.sql) for c in child.columns] == [
        ("place_ptr_id", "character varying(5)"),
        ("seats", "integer"),
    ]
    assert child.primary_key is not None and child.primary_key.columns == ("place_ptr_id",)
    assert [f.ref_table for f in child.foreign_keys] == ["shop_place"]
    assert {i.name.endswith("_like") for i in child.indexes} == {True}


def test_unknown_field_type_is_a_located_note(tmp_path: Path) -> None:
    schema = models(
        tmp_path,
        """from phonenumber_field.modelfields import PhoneNumberField


class Item(models.Model):
    phone = PhoneNumberField()
""",
    )
    assert [(n.kind, n.origin.line) for n in schema.notes] == [("django-field", 8)]
    assert schema.table("shop_item").column("phone") is None
