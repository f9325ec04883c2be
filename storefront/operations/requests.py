"""A request id for every request, in its log lines and its response."""

import contextvars
import logging
import re
import time
import uuid

logger = logging.getLogger("bangfu.request")
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="-"
)
# nginx's $request_id is 32 hex digits; other proxies send UUIDs. Anything
# else (too long, spaces, quotes) could forge or break a log line: replaced.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# URL parts that let whoever holds the link in: a guest's order-status hash,
# password-reset tokens. Logged as "*".
SECRET_URL_KWARGS = {"hash", "token", "uidb64", "key"}


def _loggable_path(request) -> str:
    path = request.path
    match = getattr(request, "resolver_match", None)
    for name, value in match.kwargs.items() if match else ():
        if name in SECRET_URL_KWARGS and value:
            path = path.replace(str(value), "*")
    return path


class RequestIdMiddleware:
    """Take X-Request-ID from nginx when valid, else make one; send it back,
    and log one line per request: method, path without its query string
    (order look-ups carry phone numbers there), status, view and duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if VALID_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id
        # Not reset on the way out: Django logs a failed request's error after
        # the middleware has returned, and that line needs the id too.
        current_request_id.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        match = getattr(request, "resolver_match", None)
        path = _loggable_path(request)
        logger.info(
            "%s %s %s",
            request.method,
            path,
            response.status_code,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "view": match.view_name if match else "",
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


class RequestIdFilter(logging.Filter):
    """Puts the request's id on every log record ("-" before any request)."""

    def filter(self, record):
        record.request_id = current_request_id.get()
        return True
