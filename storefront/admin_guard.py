"""Wagtail's admin answers a repeated review with a message, never an HTTP
500."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from wagtail.models import Page


def _admin_path(request) -> bool:
    return request.path_info.startswith(reverse("wagtailadmin_home"))


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
