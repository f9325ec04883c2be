"""WAGTAIL_FINISH_WORKFLOW_ACTION. Wagtail imports it while defining its own
models, so this module imports nothing of Wagtail's or ours."""


def publish_workflow_state(workflow_state, user=None):
    """An approved story is published.

    The reviewer approved it through StoryReviewTask, which offers approval
    only to the household's organisation's reviewers while its consent is in
    force; reviewers hold no publish permission of their own, so Wagtail's
    check is skipped here. The page's clean() still refuses to make a story
    live without consent.
    """
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
