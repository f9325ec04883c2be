from django.contrib.auth.management import create_permissions
from django.db import migrations


def story_workflow_and_permissions(apps, schema_editor):
    """The story review workflow on every households index, and each story's
    change permission for its household's story editors (as
    storefront.stories does for pages made from now on)."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    StoryReviewTask = apps.get_model("storefront", "StoryReviewTask")
    HouseholdIndexPage = apps.get_model("storefront", "HouseholdIndexPage")
    HouseholdStoryPage = apps.get_model("storefront", "HouseholdStoryPage")

    workflow = Workflow.objects.filter(name="Story review").first()
    if workflow is None:
        workflow = Workflow.objects.create(name="Story review")
        task_type, _created = ContentType.objects.get_or_create(
            app_label="storefront", model="storyreviewtask"
        )
        task = StoryReviewTask.objects.create(
            name="Organisation review", content_type=task_type
        )
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for index in HouseholdIndexPage.objects.all():
        WorkflowPage.objects.update_or_create(
            page_id=index.pk, defaults={"workflow": workflow}
        )
    change = Permission.objects.get(
        content_type__app_label="wagtailcore", codename="change_page"
    )
    for story in HouseholdStoryPage.objects.select_related("household"):
        if story.household.story_editors_id:
            GroupPagePermission.objects.get_or_create(
                group_id=story.household.story_editors_id,
                page_id=story.pk,
                permission=change,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("storefront", "0003_story_review_task"),
        ("sellers", "0008_household_story_editors"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(story_workflow_and_permissions, migrations.RunPython.noop)
    ]
