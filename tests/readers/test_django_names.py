"""dbdrift's tables of Django's PostgreSQL behaviour against Django's own (installed for tests
only; dbdrift itself never imports Django)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from dbdrift.readers.django.fields import AUTO, CHECKS, DATA_TYPES
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


def test_data_types_match_the_postgresql_backend() -> None:
    from django.db.backends.postgresql.base import DatabaseWrapper

    # ``OneToOneField`` is a leftover entry Django never uses: relations take ``rel_db_type``.
    theirs = {
        k: v
        for k, v in DatabaseWrapper.data_types.items()
        if isinstance(v, str) and k != "OneToOneField"
    }
    ours = {k: DATA_TYPES[k] for k in theirs if k in DATA_TYPES}
    assert ours == theirs
    assert DatabaseWrapper.data_type_check_constraints == CHECKS
    assert set(DatabaseWrapper.data_types_suffix) == AUTO
