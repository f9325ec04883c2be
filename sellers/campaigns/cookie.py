"""The campaign a visitor came through: a signed cookie, kept for a week."""

from django.conf import settings

COOKIE = "bangfu_campaign"
DAYS = 7


def cookie_set(response, code: str) -> None:
    response.set_signed_cookie(
        COOKIE,
        code,
        salt=COOKIE,
        max_age=DAYS * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def campaign_code(request) -> str | None:
    """The code of the campaign the visitor came through this week, if any."""
    return request.get_signed_cookie(
        COOKIE, default=None, salt=COOKIE, max_age=DAYS * 24 * 3600
    )
