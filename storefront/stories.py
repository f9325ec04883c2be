"""Household stories in Wagtail: who may edit them, how they are reviewed,
and how consent governs whether they are live.

- Each household's story page grants Wagtail's change permission to the
  household's story editors' group, whose members are its social workers
  (sellers.households.services.caseload_assign): a social worker edits his
  own households' stories and sees no other. The workspace's way in is
  storefront.workspace.views.stories.
- Social workers have no publish permission: saving offers "submit for
  review", which starts the story review workflow (one StoryReviewTask, a
  reviewer of the household's own organisation) attached to every households
  index page. Approval publishes the story.
- HouseholdStoryPage.clean refuses to make a page live without consent to
  its story; withdrawing consent unpublishes it at once (story_take_down,
  called from storefront.receivers).
"""

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import (
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from sellers.models import Household

from .models import HouseholdIndexPage, HouseholdStoryPage, StoryReviewTask


def story_permissions_grant(page: HouseholdStoryPage) -> None:
    """The household's social workers may edit this page (not publish it)."""
    group_id = page.household.story_editors_id
    if group_id is None:
        return
    permission = Permission.objects.get(
        content_type__app_label="wagtailcore", codename="change_page"
    )
    GroupPagePermission.objects.get_or_create(
        group_id=group_id, page=page, permission=permission
    )


def story_workflow_get_or_create() -> Workflow:
    """The workflow of one StoryReviewTask, named in the interface's default
    language (Wagtail shows the names as stored)."""
    # Found by its task, not by its name: the name is translated (and renamed).
    workflow = Workflow.objects.filter(
        workflow_tasks__task__content_type=ContentType.objects.get_for_model(
            StoryReviewTask
        )
    ).first()
    if workflow is None:
        with translation.override(settings.LANGUAGE_CODE):
            workflow = Workflow.objects.create(name=_("Story review"))
            task = StoryReviewTask.objects.create(name=_("Organisation review"))
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def story_workflow_attach(index: HouseholdIndexPage) -> None:
    """Stories under this index are reviewed before they go live."""
    WorkflowPage.objects.update_or_create(
        page=index, defaults={"workflow": story_workflow_get_or_create()}
    )


@transaction.atomic
def story_page_get_or_create(
    *, household: Household, acting_user
) -> HouseholdStoryPage:
    """The household's story page, made as a draft under the households index
    if it has none yet."""
    page = HouseholdStoryPage.objects.filter(household=household).first()
    if page is not None:
        return page
    index = HouseholdIndexPage.objects.first()
    if index is None:
        raise HouseholdIndexPage.DoesNotExist
    page = HouseholdStoryPage(
        title=_("The story of %(name)s") % {"name": household.public.name},
        slug=household.slug,
        household=household,
        live=False,
        owner=acting_user,
    )
    index.add_child(instance=page)
    page.save_revision(user=acting_user, log_action=True)
    story_permissions_grant(page)
    return page


def story_take_down(*, household: Household, acting_user) -> None:
    """Unpublish the household's story and stop any review that would put it
    back (a withdrawn consent)."""
    page = HouseholdStoryPage.objects.filter(household=household).first()
    if page is None:
        return
    workflow_state = page.current_workflow_state
    if workflow_state is not None:
        workflow_state.cancel(user=acting_user)
    if page.live:
        UnpublishPageAction(page, user=acting_user).execute(skip_permission_checks=True)
