"""dbdrift's tables of Django's PostgreSQL behaviour against Django's own (installed for tests
only; dbdrift itself never imports Django)."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest

from dbdrift.readers.django.backends import BACKENDS
from dbdrift.readers.django.fields import AUTO
from dbdrift.readers.django.state import index_name, names_digest, truncate_name

NAMES = [
    ("shop_order", ["customer_id"], ""),
    ("shop_order", ["customer_id"], "_fk_accounts_user_id"),
    ("a" * 40, ["b" * 30, "c"], "_uniq"),
    ("content_article_reviewers", ["article_id"], "_fk_content_article_content_ptr_id"),
    ("_private", ["x" * 70], "_like"),
]


@pytest.mark.parametrize(("table", "columns", "suffix"), NAMES)
def test_index_names_match_djangos(table: str, columns: list[str], suffix: str) -> None:
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor

    editor = SimpleNamespace(
        connection=SimpleNamespace(ops=SimpleNamespace(max_name_length=lambda: 63))
    )
    theirs = BaseDatabaseSchemaEditor._create_index_name(editor, table, columns, suffix)
    assert index_name(table, columns, suffix) == theirs


@pytest.mark.parametrize("name", ["short", "x" * 63, "lending_member_groups_custom" * 3])
def test_truncate_name_matches_djangos(name: str) -> None:
    from django.db.backends.utils import names_digest as their_digest
    from django.db.backends.utils import truncate_name as their_truncate

    assert truncate_name(name) == their_truncate(name, 63)
    assert names_digest(name, "b", length=8) == their_digest(name, "b", length=8)


@pytest.mark.parametrize("name", ["postgresql", "mysql", "sqlite3"])
def test_data_types_match_the_backend(name: str) -> None:
    if name == "mysql":
        pymysql = pytest.importorskip("pymysql")  # Django's MySQL backend imports MySQLdb
        pymysql.install_as_MySQLdb()
    wrapper = importlib.import_module(f"django.db.backends.{name}.base").DatabaseWrapper
    ours = BACKENDS[{"sqlite3": "sqlite"}.get(name, name)]
    # ``OneToOneField`` is a leftover entry Django never uses: relations take ``rel_db_type``.
    types = wrapper.data_types
    if not isinstance(types, dict):  # MySQL's: the server's features decide (MariaDB 10.11)
        server = SimpleNamespace(
            _data_types=wrapper._data_types,
            features=SimpleNamespace(has_native_uuid_field=True),
        )
        types = types.func(server)
    theirs = {
        k: ("varchar(%(max_length)s)" if callable(v) else v)
        for k, v in types.items()
        if k != "OneToOneField"
    }
    assert {k: ours.data_types[k] for k in theirs if k in ours.data_types} == theirs
    assert set(theirs) <= set(ours.data_types)
    checks = wrapper.data_type_check_constraints
    if not isinstance(checks, dict):  # MySQL's depends on the server; MariaDB 10.11 has them
        server = SimpleNamespace(features=SimpleNamespace(supports_column_check_constraints=True))
        checks = checks.func(server)
    assert checks == ours.checks
    suffix = {k: v for k, v in wrapper.data_types_suffix.items() if k in AUTO}
    assert " ".join(set(suffix.values())) == ours.auto_suffix
