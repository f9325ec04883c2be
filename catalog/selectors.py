"""Reads of the catalogue for our listings: plain ORM, constant query count."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.utils import timezone
from oscar.core.loading import get_model

from sellers.public import NAMED_LEVELS

from .models import ProductCertificate, ProductImport

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")
ProductImage = get_model("catalogue", "ProductImage")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
Option = get_model("catalogue", "Option")
ProductReview = get_model("reviews", "ProductReview")

SORTS = {
    "newest": ("-date_created", "-id"),
    "price_asc": ("stockrecords__price", "id"),
    "price_desc": ("-stockrecords__price", "-id"),
}


def attribute_values_prefetch() -> Prefetch:
    """Each product's attribute values with their attributes, in one query, where
    Oscar's get_attribute_values() finds them (cards, product pages, basket
    lines read them: unit, harvest date, delivery promise, fish facts).

    Oscar's prefetch_attribute_values() takes three: it adds the multi-option
    values and the product class's attributes, which no page of ours reads
    (produce has no multi-option attribute; a value's option comes joined).
    """
    return Prefetch(
        "attribute_values",
        queryset=ProductAttributeValue.objects.select_related(
            "attribute", "value_option"
        ),
        to_attr="_prefetched_attribute_values",
    )


def product_card_prefetches() -> list[Prefetch]:
    """What a product card reads besides the product: its stock record with
    the household, its photos in order, its attribute values (three queries)."""
    return [
        Prefetch(
            "stockrecords",
            queryset=StockRecord.objects.select_related("partner__household"),
        ),
        Prefetch("images", queryset=ProductImage.objects.order_by("display_order")),
        attribute_values_prefetch(),
    ]


def product_cards_prefetch(products: Iterable) -> list:
    """Products loaded elsewhere (Oscar's recently viewed), with what their cards
    read: three queries however many."""
    products = list(products)
    prefetch_related_objects(products, "product_class", *product_card_prefetches())
    return products


def product_page_list() -> QuerySet:
    """Products as their page shows them: its stock record with the household,
    its organisation (the service contact) and its story page, photos,
    attribute values, whether it takes options, its approved reviews counted and
    whether a certificate is valid today, in five queries."""
    household = "partner__household"
    return (
        Product.objects.select_related("product_class", "parent", "harvest_offer")
        .prefetch_related(
            Prefetch(
                "stockrecords",
                queryset=StockRecord.objects.select_related(
                    f"{household}__organisation",
                    f"{household}__photo",
                    f"{household}__story_page",
                ),
            ),
            Prefetch("images", queryset=ProductImage.objects.order_by("display_order")),
            attribute_values_prefetch(),
        )
        .annotate(
            has_product_class_options=Exists(
                Option.objects.filter(productclass=OuterRef("product_class"))
            ),
            has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
            approved_reviews=Subquery(
                ProductReview.objects.filter(
                    product=OuterRef("pk"), status=ProductReview.APPROVED
                )
                .order_by()
                .values("product")
                .annotate(count=Count("pk"))
                .values("count")
            ),
            certified=Exists(certificate_list_valid().filter(product=OuterRef("pk"))),
        )
    )


def product_list(
    *,
    category=None,
    household=None,
    village: str | None = None,
    query: str | None = None,
    sort: str = "newest",
) -> QuerySet:
    """Public products of active households, each with its stock record and household.

    Every product sells through one household's stock record (one product =
    one household's offering), so the household travels with the stock record.
    """
    products = (
        Product.objects.browsable()
        .filter(stockrecords__partner__household__is_active=True)
        .select_related("product_class", "harvest_offer")
        .prefetch_related(*product_card_prefetches())
        .annotate(
            certified=Exists(certificate_list_valid().filter(product=OuterRef("pk")))
        )
    )
    if category is not None:
        products = products.filter(
            categories__in=category.get_descendants_and_self()
        ).distinct()
    if household is not None:
        products = products.filter(stockrecords__partner__household=household)
    if village:
        # Only households that agreed to show their village are listed under it.
        products = products.filter(
            stockrecords__partner__household__village=village,
            stockrecords__partner__household__shows_village=True,
        )
    if query:
        # A household is found by its name or village only where its consent
        # shows them (sellers.public).
        household = "stockrecords__partner__household__"
        products = products.filter(
            Q(title__icontains=query)
            | Q(description__icontains=query)
            | Q(
                **{
                    f"{household}village__icontains": query,
                    f"{household}shows_village": True,
                }
            )
            | Q(
                **{
                    f"{household}public_name__icontains": query,
                    f"{household}display_level__in": NAMED_LEVELS,
                }
            )
        ).distinct()
    return products.order_by(*SORTS.get(sort, SORTS["newest"]))


def product_list_for_households(*, households: Iterable, limit: int | None = None):
    """Live products of the given households, for story and home pages."""
    products = product_list().filter(
        stockrecords__partner__household__in=list(households)
    )
    return list(products[:limit] if limit else products)


def product_household(product):
    """The household that sells a product, from its prefetched stock record."""
    stockrecords = product.stockrecords.all()
    if not stockrecords:
        return None
    return getattr(stockrecords[0].partner, "household", None)


def certificate_list_valid(*, on: datetime.date | None = None) -> QuerySet:
    """Certificates valid on a day (today, in the store's time zone)."""
    day = on or timezone.localdate()
    return ProductCertificate.objects.filter(valid_from__lte=day, valid_until__gte=day)


def certificate_get_valid(*, product) -> ProductCertificate | None:
    """The product's certificate valid today, if any: the one valid longest."""
    return (
        certificate_list_valid()
        .filter(product=product)
        .order_by("-valid_until")
        .first()
    )


def product_sale_facts(
    *, sales: set[tuple[int, datetime.date]]
) -> dict[tuple[int, datetime.date], tuple[int | None, bool]]:
    """Per (product id, day it was sold): the category it counts under in the
    bureau's reports, the deepest it is in (鲜鱼, not 农产品), and whether a
    certificate of it was valid that day. Two queries however many."""
    products = {product for product, _day in sales}
    category: dict[int, int] = {}
    for product, category_id in (
        ProductCategory.objects.filter(product_id__in=products)
        .order_by("product_id", "-category__depth", "category_id")
        .values_list("product_id", "category_id")
    ):
        category.setdefault(product, category_id)
    certificates = defaultdict(list)
    for product, start, end in ProductCertificate.objects.filter(
        product_id__in=products
    ).values_list("product_id", "valid_from", "valid_until"):
        certificates[product].append((start, end))
    return {
        (product, day): (
            category.get(product),
            any(start <= day <= end for start, end in certificates[product]),
        )
        for product, day in sales
    }


def household_listing(*, household) -> QuerySet:
    """Every product of a household, on sale or not, for its social workers."""
    return (
        Product.objects.filter(stockrecords__partner=household.partner)
        .prefetch_related(
            "stockrecords",
            "categories",
            Prefetch("images", queryset=ProductImage.objects.order_by("display_order")),
        )
        .prefetch_attribute_values()
        .order_by("-is_public", "-date_updated", "-id")
    )


def household_list_with_on_sale(*, households: QuerySet) -> QuerySet:
    """The households, each with how many of its products are on sale."""
    return households.annotate(
        # distinct: the caseload's OR over partner users and memberships
        # joins each stock record once per matching row.
        on_sale=Count(
            "partner__stockrecords",
            filter=Q(partner__stockrecords__product__is_public=True),
            distinct=True,
        )
    )


def listing_values(*, product, household) -> dict:
    """A product as its household lists it: the listing form's fields."""
    stockrecord = product.stockrecords.get(partner=household.partner)
    return {
        "title": product.title,
        "category": product.categories.first(),
        "unit": getattr(product.attr, "unit", ""),
        "price": stockrecord.price,
        "available": stockrecord.num_in_stock - (stockrecord.num_allocated or 0),
        "harvest_date": getattr(product.attr, "available_from", None),
        "description": product.description,
        "delivery_promise": getattr(product.attr, "delivery_promise", ""),
        "fish_state": getattr(product.attr, "fish_state", ""),
        "fish_weight": getattr(product.attr, "fish_weight", None),
    }


def product_import_get(*, households: QuerySet, pk: int) -> ProductImport:
    """An import of one of `households` (the user's caseload), with its
    household; ProductImport.DoesNotExist otherwise."""
    return (
        ProductImport.objects.filter(household__in=households)
        .select_related("household")
        .get(pk=pk)
    )


def product_attribute_value(product, code: str):
    """One attribute's value of a product (unit, origin village, harvest
    date), from its prefetched values, or ''."""
    for value in product.get_attribute_values():
        if value.attribute.code == code:
            return value.value
    return ""


def listing_product_get(*, households: QuerySet, pk: int):
    """(product, household) if the product belongs to one of `households`
    (the user's caseload); Product.DoesNotExist otherwise."""
    stockrecord = (
        StockRecord.objects.select_related("product", "partner__household")
        .filter(product_id=pk, partner__household__in=households)
        .first()
    )
    if stockrecord is None:
        raise Product.DoesNotExist
    return stockrecord.product, stockrecord.partner.household


def produce_categories() -> QuerySet:
    """The categories a product can be listed in (the leaves of the tree)."""
    Category = get_model("catalogue", "Category")
    return Category.objects.filter(numchild=0).order_by("path")
