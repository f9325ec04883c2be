from django.db import migrations


def add_stripe(apps, schema_editor):
    SourceType = apps.get_model("payment", "SourceType")
    SourceType.objects.get_or_create(code="stripe", defaults={"name": "Stripe"})


class Migration(migrations.Migration):
    """Created once here: concurrent checkouts creating it made duplicates."""

    dependencies = [
        ("checkout", "0002_china_shipping_country"),
        ("payment", "0005_auto_20200801_0817"),
    ]

    operations = [migrations.RunPython(add_stripe, migrations.RunPython.noop)]
