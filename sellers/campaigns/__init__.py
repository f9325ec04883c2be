"""Campaigns: the visitor's campaign cookie, and (services) campaigns and
the orders placed through them."""

from .cookie import COOKIE, DAYS, campaign_code, cookie_set  # noqa: F401
