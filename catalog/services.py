"""Writes to the catalogue that are ours, not Oscar's."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from sellers.audit import audit_record, changes_between
from sellers.models import AuditAction

ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")

# Oscar shows a product class's and an attribute's name as stored (its
# dashboard, the product page's table), so they are stored in the default
# language; pages in another language show the label (produce_tags).
PRODUCE_CLASS_NAME, PRODUCE_CLASS_LABEL = "农产品", _("Farm produce")
PRODUCE_ATTRIBUTES = [
    ("unit", "单位", ProductAttribute.TEXT, _("Unit")),
    ("available_from", "上市日期", ProductAttribute.DATE, _("Available from")),
    # Overrides the household's delivery promise for this product.
    ("delivery_promise", "发货承诺", ProductAttribute.TEXT, _("Delivery promise")),
    # Fish only: a FishState value, and the weight of one fish in 斤.
    ("fish_state", "活鱼或冰鲜", ProductAttribute.TEXT, _("Live or chilled")),
    ("fish_weight", "每条约重（斤）", ProductAttribute.FLOAT, _("Weight per fish")),
]
# Listing fields beyond the spreadsheet's columns: an import leaves them as
# they are (catalog.tasks).
LISTING_EXTRAS = ("delivery_promise", "fish_state", "fish_weight")


@transaction.atomic
def produce_class_get_or_create():
    """The product class of farm produce: unit, harvest date, delivery promise
    and, for fish, live or chilled and the weight per fish."""
    product_class, created = ProductClass.objects.get_or_create(
        slug="produce",
        defaults={
            "name": PRODUCE_CLASS_NAME,
            "requires_shipping": True,
            "track_stock": True,
        },
    )
    if created:
        for code, name, kind, _label in PRODUCE_ATTRIBUTES:
            ProductAttribute.objects.create(
                product_class=product_class, code=code, name=name, type=kind
            )
    return product_class


# --- Listings written by social workers (the listing workspace) -------------
# One product is one household's offering: a product, its produce attributes,
# one category, one stock record of the household's partner and its photos,
# all Oscar's models, so the catalogue stays one.

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")


def _listing_values(product, stockrecord) -> dict:
    category = product.categories.first()
    return {
        "title": product.title,
        "category": category.name if category else "",
        "unit": getattr(product.attr, "unit", "") or "",
        "price": stockrecord.price,
        "available": stockrecord.num_in_stock - (stockrecord.num_allocated or 0),
        "harvest_date": getattr(product.attr, "available_from", None),
        "description": product.description,
        # None when unset, so a listing without them records no change.
        **{name: getattr(product.attr, name, None) or None for name in LISTING_EXTRAS},
    }


def _extras_set(product, values: dict) -> None:
    """Set the listing's extra attributes given in `values` (empty clears one)."""
    for name in LISTING_EXTRAS:
        if name in values:
            value = values[name]
            if isinstance(value, str):
                value = value.strip()
            elif isinstance(value, Decimal):
                value = float(value)
            setattr(product.attr, name, value or None)


@transaction.atomic
def product_create(
    *,
    household,
    title: str,
    category,
    unit: str,
    price: Decimal,
    available: int,
    harvest_date=None,
    description: str = "",
    photo=None,
    is_public: bool = True,
    **extras,
):
    """Make one household's offering: the product with its produce attributes,
    its category (None: in none, as Oscar's dashboard may leave it), one stock
    record of the household's partner, and its photo; `extras` are the
    LISTING_EXTRAS (delivery promise, fish facts). Records no one: a person
    lists a product through product_list_for_household."""
    product = Product(
        title=title.strip(),
        product_class=produce_class_get_or_create(),
        description=description.strip(),
        is_public=is_public,
    )
    product.attr.unit = unit.strip()
    if harvest_date:
        product.attr.available_from = harvest_date
    _extras_set(product, extras)
    product.save()
    if category is not None:
        ProductCategory.objects.create(product=product, category=category)
    StockRecord.objects.create(
        product=product,
        partner=household.partner,
        partner_sku=f"{household.pk}-{uuid.uuid4().hex[:12]}",
        price_currency=settings.OSCAR_DEFAULT_CURRENCY,
        price=price,
        num_in_stock=available,
    )
    if photo is not None:
        _photo_replace(product, photo)
    return product


@transaction.atomic
def product_list_for_household(
    *,
    household,
    acting_user,
    title: str,
    category,
    unit: str,
    price: Decimal,
    available: int,
    harvest_date=None,
    description: str = "",
    photo=None,
    **extras,
):
    """List a new product for a household: on sale at once, and in the audit
    trail under the person who listed it."""
    product = product_create(
        household=household,
        title=title,
        category=category,
        unit=unit,
        price=price,
        available=available,
        harvest_date=harvest_date,
        description=description,
        photo=photo,
        **extras,
    )
    stockrecord = product.stockrecords.get()
    audit_record(
        actor=acting_user,
        household=household,
        action=AuditAction.PRODUCT_CREATED,
        subject=product.title,
        changes=changes_between({}, _listing_values(product, stockrecord)),
    )
    return product


def _photo_replace(product, photo) -> None:
    """The product's one photo (re-encoded without EXIF/GPS by the ProductImage
    pre_save receiver; Oscar deletes the old files)."""
    ProductImage.objects.filter(product=product).delete()
    ProductImage.objects.create(
        product=product, original=photo, caption=product.title, display_order=0
    )


@transaction.atomic
def product_update(*, product, household, acting_user, photo=None, **values):
    """Change a listing; the trail keeps each changed field's old and new value.

    `available` is what can still be sold: stock becomes what is already
    allocated to orders plus it, in one statement, so an order taken while the
    form was open is never sold twice. A LISTING_EXTRAS field left out of
    `values` stays as it is.
    """
    stockrecord = StockRecord.objects.select_for_update().get(
        product=product, partner=household.partner
    )
    before = _listing_values(product, stockrecord)
    product.title = values["title"].strip()
    product.description = values.get("description", "").strip()
    product.attr.unit = values["unit"].strip()
    product.attr.available_from = values.get("harvest_date")
    _extras_set(product, values)
    product.save()
    if before["category"] != values["category"].name:
        ProductCategory.objects.filter(product=product).delete()
        ProductCategory.objects.create(product=product, category=values["category"])
    StockRecord.objects.filter(pk=stockrecord.pk).update(
        price=values["price"],
        num_in_stock=Coalesce(F("num_allocated"), 0) + values["available"],
        date_updated=timezone.now(),
    )
    stockrecord.refresh_from_db()
    if photo is not None:
        _photo_replace(product, photo)
    after = _listing_values(product, stockrecord)
    changed = changes_between(before, after)
    if photo is not None:
        changed["photo"] = [None, None]
    if changed:
        audit_record(
            actor=acting_user,
            household=household,
            action=AuditAction.PRODUCT_CHANGED,
            subject=product.title,
            changes=changed,
        )
    return product


@transaction.atomic
def product_set_on_sale(*, product, household, acting_user, on_sale: bool):
    """Take a product off sale (it stays in past orders) or put it back."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    changed = product.is_public != on_sale
    if changed:
        product.is_public = on_sale
        product.save(update_fields=["is_public", "date_updated"])
        audit_record(
            actor=acting_user,
            household=household,
            action=(
                AuditAction.PRODUCT_REACTIVATED
                if on_sale
                else AuditAction.PRODUCT_DEACTIVATED
            ),
            subject=product.title,
        )
    return changed
