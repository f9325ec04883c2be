from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.action_menu import WorkflowMenuItem
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import StoryReviewTask


@hooks.register("construct_page_action_menu")
def story_review_labels_as_written(menu_items, request, context):
    """The story review's actions read as StoryReviewTask names them.

    Wagtail appends "and Publish" to the approve actions of a workflow's last
    task; ours say so already ("通过并发布 和发布").
    """
    page = context.get("page")
    task = page.current_workflow_task if page is not None else None
    if not isinstance(task, StoryReviewTask):
        return
    # Wagtail's own msgid, so that it matches in either language.
    appended = {
        str(_("%(label)s and Publish") % {"label": label}): label
        for _name, label, _modal in task.get_actions(page, request.user)
    }
    for item in menu_items:
        if isinstance(item, WorkflowMenuItem) and str(item.label) in appended:
            item.label = appended[str(item.label)]


@hooks.register("after_edit_page")
def reviewers_land_where_they_may_look(request, page):
    """After a review action Wagtail goes to the page's parent in the
    explorer; a reviewer who may not explore it saw "the page was updated"
    and "you do not have permission" together. Send him to his dashboard,
    where the confirmation stands alone and his next reviews wait."""
    if not request.POST.get("action-workflow-action"):
        return None
    parent = page.get_parent()
    if (
        PagePermissionPolicy()
        .explorable_instances(request.user)
        .filter(pk=parent.pk)
        .exists()
    ):
        return None
    return redirect("wagtailadmin_home")


@hooks.register("construct_page_action_menu")
def submit_first_for_those_who_cannot_publish(menu_items, request, context):
    """A social worker cannot publish his household's story: its main button
    is "submit for review", not "save draft" with the submission hidden
    under "more actions" (on a phone he never found it)."""
    if any(item.name == "action-publish" for item in menu_items):
        return
    submit = [item for item in menu_items if item.name == "action-submit"]
    if submit:
        menu_items.remove(submit[0])
        menu_items.insert(0, submit[0])
