from django.db import migrations

# Workflow and task names are rows, shown as they are ("提交给Story review"):
# they get the interface's default language, as stories.py names new ones.
NAMES = [
    ("Workflow", "Story review", "故事审核"),
    ("Task", "Organisation review", "机构审核"),
]


def rename(apps, schema_editor, *, reverse=False):
    for model, english, chinese in NAMES:
        old, new = (chinese, english) if reverse else (english, chinese)
        apps.get_model("wagtailcore", model).objects.filter(name=old).update(name=new)


class Migration(migrations.Migration):
    dependencies = [("storefront", "0004_story_workflow_and_permissions")]

    operations = [
        migrations.RunPython(
            rename, lambda apps, schema_editor: rename(apps, schema_editor, reverse=True)
        )
    ]
