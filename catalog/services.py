"""Writes to the catalogue that are ours, not Oscar's."""

from django.db import transaction
from oscar.core.loading import get_model

ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")

PRODUCE_ATTRIBUTES = [
    ("unit", "单位", ProductAttribute.TEXT),
    ("origin_village", "产地", ProductAttribute.TEXT),
    ("available_from", "上市日期", ProductAttribute.DATE),
]


@transaction.atomic
def produce_class_get_or_create():
    """The product class of farm produce: unit, origin village, harvest date."""
    product_class, created = ProductClass.objects.get_or_create(
        slug="produce",
        defaults={"name": "农产品", "requires_shipping": True, "track_stock": True},
    )
    if created:
        for code, name, kind in PRODUCE_ATTRIBUTES:
            ProductAttribute.objects.create(
                product_class=product_class, code=code, name=name, type=kind
            )
    return product_class
