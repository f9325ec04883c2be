"""Template helpers for products on cards, product pages, the basket and the
impact receipt. What they read comes from selectors (catalog.selectors and
sellers'); a product's own helpers read only its prefetched data."""

import re

import nh3
from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalog import selectors, thumbnails
from catalog.models import FishState
from catalog.services import PRODUCE_ATTRIBUTES, PRODUCE_CLASS_LABEL
from sellers.fulfilment.selectors import order_household_shares
from sellers.households.selectors import household_for_partner_ids

Partner = get_model("partner", "Partner")

register = template.Library()

HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
DESCRIPTION_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a"}


@register.filter
def product_household(product):
    """The household that sells this product (None if it has no stock record)."""
    return selectors.product_household(product)


@register.filter
def with_card_data(products, request=None) -> list:
    """Products (Oscar's recently viewed) with what their cards read: those the
    product page loaded already (request.loaded_products), the others fetched
    together."""
    loaded = getattr(request, "loaded_products", {})
    products = [loaded.get(product.pk, product) for product in products]
    selectors.product_cards_prefetch(
        [product for product in products if product.pk not in loaded]
    )
    return products


@register.simple_tag
def card_thumbnails(source, size) -> dict[str, str]:
    """A product photo's thumbnail URLs at `size` ({"jpeg": …, "webp": …}),
    worked out once per photo and size (catalog.thumbnails)."""
    return thumbnails.thumbnail_urls(source, size)


@register.filter
def product_attribute(product, code):
    """One attribute's value (unit, origin village, harvest date) or ''."""
    return selectors.product_attribute_value(product, code)


@register.filter
def product_unit(product) -> str:
    """What one of the product is sold by (斤, 盒…), the same word on every page:
    its unit attribute, or 件 when it has none (or the line's product is gone)."""
    unit = product_attribute(product, "unit") if product is not None else ""
    return unit or _("pcs")


@register.filter
def delivery_promise(product, household) -> str:
    """When and how the product ships: its own promise, else its household's."""
    own = product_attribute(product, "delivery_promise")
    if own:
        return own
    return getattr(household, "delivery_promise", "")


@register.filter
def fish_facts(product) -> list[str]:
    """For a fish: live or chilled, and about how much one weighs (in 斤)."""
    facts = []
    state = product_attribute(product, "fish_state")
    if state in FishState.values:
        facts.append(str(FishState(state).label))
    weight = product_attribute(product, "fish_weight")
    if weight:
        facts.append(_("About %(weight)s jin each") % {"weight": f"{weight:g}"})
    return facts


# Shown as facts beside the price, not again in the product's table.
FACT_ATTRIBUTES = {"delivery_promise", "fish_state", "fish_weight"}


@register.filter
def table_attribute_values(product) -> list:
    """The product's attribute values for its information table."""
    return [
        value
        for value in product.get_attribute_values()
        if value.attribute.code not in FACT_ATTRIBUTES
    ]


@register.filter
def attribute_label(attribute) -> str:
    """A produce attribute's name in the reader's language (Oscar's is stored
    in the default language)."""
    labels = {code: label for code, _name, _kind, label in PRODUCE_ATTRIBUTES}
    return labels.get(attribute.code, attribute.name)


@register.filter
def product_class_label(product_class) -> str:
    """The product class's name in the reader's language."""
    if product_class is not None and product_class.slug == "produce":
        return PRODUCE_CLASS_LABEL
    return getattr(product_class, "name", "")


@register.filter
def forms_by_household(formset):
    """Basket line forms grouped by the household that packs them, in basket order."""
    forms = list(formset)
    partners = [form.instance.stockrecord.partner for form in forms]
    if all(Partner.household.is_cached(partner) for partner in partners):
        # The basket's lines come with their households (storefront's middleware).
        households = {
            partner.pk: getattr(partner, "household", None) for partner in partners
        }
    else:
        households = household_for_partner_ids(
            partner_ids=[partner.pk for partner in partners]
        )
    groups: dict = {}
    for form in forms:
        household = households.get(form.instance.stockrecord.partner_id)
        groups.setdefault(household, []).append(form)
    return list(groups.items())


@register.filter
def household_shares(order):
    """An order's parcels with their households and stories (the impact receipt)."""
    return order_household_shares(order=order)


@register.filter
def description_html(text: str):
    """A product description as safe HTML. Social workers write plain text
    (kept, with its line breaks); staff may write HTML in Oscar's dashboard,
    which keeps only harmless tags and attributes (nh3: no scripts, handlers,
    styles or javascript: links). Oscar's own template marks it safe as is."""
    if not HTML_TAG.search(text):
        return linebreaksbr(text, autoescape=True)
    return mark_safe(nh3.clean(text, tags=DESCRIPTION_TAGS, attributes={"a": {"href"}}))


@register.filter
def preorder_offer(product):
    """The product's harvest pre-order, if the query that loaded the product
    brought it (the listings and the product page join it); never a query of
    its own, so a card drawn elsewhere costs nothing and shows no pre-order."""
    return product._state.fields_cache.get("harvest_offer")
