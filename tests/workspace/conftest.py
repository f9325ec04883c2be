import pytest

from tests.sellers import helpers
from tests.sellers.months import bureau_officer, months  # noqa: F401


@pytest.fixture
def shop(db):
    """A mixed order: 罗大哥 and 王阿姨 (worker A), 陈叔 (worker B); paid."""
    return helpers.mixed_order_shop()
