"""From the workspace to a household's story, in Wagtail's editor."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from sellers.households.selectors import household_caseload

from ...models import HouseholdIndexPage
from ...stories import story_page_get_or_create
from ..decorators import workspace_view


@workspace_view
def story_edit(request, slug: str):
    """From the workspace to the household's story in Wagtail's editor (made
    as a draft the first time)."""
    household = get_object_or_404(household_caseload(user=request.user), slug=slug)
    try:
        page = story_page_get_or_create(household=household, acting_user=request.user)
    except HouseholdIndexPage.DoesNotExist as error:
        raise Http404 from error
    return redirect("wagtailadmin_pages:edit", page.pk)
