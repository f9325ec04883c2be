"""Wagtail's admin answers bad input and a repeated review with a message,
never an HTTP 500."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.translation import gettext as _
from wagtail.models import Page


def _admin_path(request) -> bool:
    return request.path_info.startswith(reverse("wagtailadmin_home"))


def _has_nul(data) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in data.lists()
    )


class AdminBadInputMiddleware:
    """A NUL character in an admin request's parameters, or a form sent with
    fields missing, is a 400 with a message.

    Wagtail hands search terms to the database as they come (SQLite's
    full-text search fails on a NUL: "unterminated string"), and its editor
    reads each StreamField's counters with request.POST[...]
    (MultiValueDictKeyError). No form of ours or Wagtail's sends either.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _admin_path(request) and (
            _has_nul(request.GET)
            or (request.method == "POST" and _has_nul(request.POST))
        ):
            return HttpResponseBadRequest(
                _("The request contains a character that is not allowed (NUL).")
            )
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, MultiValueDictKeyError) and _admin_path(request):
            return HttpResponseBadRequest(
                _("The form arrived incomplete: reload the page and try again.")
            )
        return None


class WorkflowActionOnceMiddleware:
    """A workflow action (approve, request changes) posted twice is taken once;
    the second post is told the review is over.

    Wagtail's edit view checks that the action is still offered, then takes
    it: a second request (a double tap) checking between the first's two
    steps took an action on a finished workflow (AttributeError, a 500).
    Locking the page for the whole request makes the second wait for the
    first and check afterwards. Needs the user and messages: it goes after
    their middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        page_id = self._workflow_action_page_id(request)
        if page_id is None:
            return self.get_response(request)
        with transaction.atomic():
            # A row lock on PostgreSQL; SQLite's IMMEDIATE transactions
            # (settings) serialise writers already.
            page = Page.objects.select_for_update().filter(pk=page_id).first()
            if page is None:
                return self.get_response(request)
            # Wagtail itself answers an action its current task does not offer.
            if page.current_workflow_task is None:
                messages.info(
                    request,
                    _(
                        "“%(title)s” is no longer awaiting this review: "
                        "it has been reviewed already."
                    )
                    % {"title": page.get_admin_display_title()},
                )
                return redirect("wagtailadmin_home")
            return self.get_response(request)

    @staticmethod
    def _workflow_action_page_id(request) -> int | None:
        if not (
            request.method == "POST"
            and request.user.is_authenticated
            and _admin_path(request)
            and request.POST.get("action-workflow-action")
        ):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.view_name != "wagtailadmin_pages:edit":
            return None
        return match.kwargs["page_id"]
