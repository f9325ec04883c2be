from django.contrib.auth.management import create_permissions
from django.db import migrations

# The roles as permission groups. Names are those of sellers.roles.ROLE_GROUPS
# when this migration was written; later permissions come in later migrations.
GROUPS = {
    "Social workers": [
        ("partner", "dashboard_access"),
        ("wagtailadmin", "access_admin"),
    ],
    "Organisation reviewers": [
        ("wagtailadmin", "access_admin"),
    ],
    "Bureau officers": [
        ("wagtailadmin", "access_admin"),
    ],
    # Wagtail's household screens are not scoped to an organisation yet, so
    # administrators get no model permissions there.
    "Organisation administrators": [
        ("partner", "dashboard_access"),
        ("wagtailadmin", "access_admin"),
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; these groups
    # need them now, from the models as they stand at this migration.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *[
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
                for app_label, codename in permissions
            ]
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sellers", "0004_backfill_parcel_lines_and_sales"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("partner", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        # After Wagtail's migrations that give every admin-access group the
        # choose permissions: these groups get exactly what is listed here.
        ("wagtaildocs", "0011_add_choose_permissions"),
        ("wagtailimages", "0023_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
