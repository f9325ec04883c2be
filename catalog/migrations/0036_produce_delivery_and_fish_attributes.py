"""The produce class's delivery promise and fish attributes, on databases
whose class was made before them (a new one is made with all of them)."""

from django.db import migrations

ATTRIBUTES = [
    ("delivery_promise", "发货承诺", "text"),
    ("fish_state", "活鱼或冰鲜", "text"),
    ("fish_weight", "每条约重（斤）", "float"),
]


def add_attributes(apps, schema_editor):
    ProductClass = apps.get_model("catalogue", "ProductClass")
    ProductAttribute = apps.get_model("catalogue", "ProductAttribute")
    product_class = ProductClass.objects.filter(slug="produce").first()
    if product_class is None:
        return
    for code, name, kind in ATTRIBUTES:
        ProductAttribute.objects.get_or_create(
            product_class=product_class, code=code, defaults={"name": name, "type": kind}
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0035_import_checked_off_the_request")]

    operations = [migrations.RunPython(add_attributes, migrations.RunPython.noop)]
