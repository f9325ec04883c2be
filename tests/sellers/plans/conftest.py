from tests.sellers.months import bureau_officer, months  # noqa: F401
