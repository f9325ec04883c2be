import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads and thumbnails of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (cached pages, thumbnails)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def pages(db):
    """(home, households index) with the default site pointing at home."""
    return factories.page_tree()


@pytest.fixture
def organisation(db):
    return factories.OrganisationFactory()
