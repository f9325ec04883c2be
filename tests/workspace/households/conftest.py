import pytest

from tests.sellers.helpers import two_caseloads


@pytest.fixture
def world():
    _products, (luo, wang, chen), (worker_a, worker_b) = two_caseloads()
    return luo, chen, worker_a, worker_b
