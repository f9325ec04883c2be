"""What every workspace view checks before it looks anything up."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.views.decorators.cache import never_cache

from sellers.households import selectors as household_selectors
from sellers.models import MemberRole
from sellers.reporting.access import is_bureau


def workspace_view(view):
    """Signed in, and never stored by a browser or proxy."""
    return never_cache(login_required(view))


def caseload_or_403(request) -> None:
    """Only a user with households to work for (a social worker, an
    organisation's administrator) goes on."""
    if not household_selectors.household_caseload(user=request.user).exists():
        raise PermissionDenied


def administered_or_403(request):
    """The organisations the user administers; none is a 403."""
    organisations = household_selectors.organisations_where(
        user=request.user, roles=[MemberRole.ADMINISTRATOR]
    )
    if not organisations:
        raise PermissionDenied
    return organisations


def bureau_or_403(request) -> None:
    """Only the bureau's officers (and superusers) read its report."""
    if not is_bureau(request.user):
        raise PermissionDenied
