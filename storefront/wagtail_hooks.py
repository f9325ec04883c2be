from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.action_menu import WorkflowMenuItem

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
