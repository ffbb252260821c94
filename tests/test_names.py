"""Spelling-insensitive names: one assertion per case."""

from __future__ import annotations

import pytest

from dbdrift import names


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("User", "users"),
        ("userId", "user_id"),
        ("OrderItem", "order_items"),
        ("Category", "categories"),
        ("Status", "statuses"),
        ("box", "boxes"),
        ("Person", "people"),
        ("HTTPLog", "http_logs"),
    ],
)
def test_same_spelling(left, right):
    assert names.spelling_key(left) == names.spelling_key(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [("users", "user_roles"), ("status", "state"), ("address", "addresses_old"), ("bus", "bu")],
)
def test_different_spelling(left, right):
    assert names.spelling_key(left) != names.spelling_key(right)


@pytest.mark.parametrize(
    ("left", "right", "likely"),
    [
        ("full_name", "name", True),
        ("budget_daily", "daily_budget", True),
        ("target_audience", "targetAudience", True),
        ("created_at", "updated_at", False),
        ("id", "user_id", False),
        ("is_active", "is_deleted", False),
        ("email", "phone", False),
    ],
)
def test_likely_same(left, right, likely):
    assert names.likely_same(left, right) is likely


def test_snake():
    assert names.snake("RenderJobID") == "render_job_id"
