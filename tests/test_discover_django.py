"""Discovery of Django projects: one models source and one migrations source per project."""

from __future__ import annotations

from pathlib import Path

from dbdrift.discover import discover

FIXTURES = Path(__file__).parent / "fixtures" / "django"


def test_each_project_gives_a_models_and_a_migrations_source() -> None:
    found = discover(FIXTURES)
    kinds = sorted((s.id, s.kind) for s in found.sources)
    projects = sorted(p.name for p in FIXTURES.iterdir() if (p / "manage.py").exists())
    expected = sorted(
        pair
        for p in projects
        for pair in ((p, "django"), (f"{p}/*/migrations", "django-migrations"))
    )
    assert kinds == expected


def test_sources_hold_settings_apps_and_their_own_files() -> None:
    found = discover(FIXTURES / "shop")
    models = found.source(".")
    history = found.source("*/migrations")
    assert models is not None and history is not None
    assert "shop/settings.py" in models.files and "orders/apps.py" in models.files
    assert all("/migrations/" not in f for f in models.files)
    assert "orders/migrations/0002_search_index.py" in history.files
    assert all(not f.endswith("models.py") for f in history.files)
    assert (models.dialect, models.dialect_evidence) == ("postgresql", "shop/settings.py: ENGINE")


def test_no_other_finder_claims_django_files() -> None:
    found = discover(FIXTURES)
    claimed = [s for s in found.sources if not s.kind.startswith("django")]
    assert claimed == []
