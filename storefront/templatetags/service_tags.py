from django import template

from sellers.households.selectors import (
    organisation_service_list,
    organisation_service_list_of,
)
from storefront.models import AfterSalesPage
from storefront.page_cache import fragment_get_or_set

register = template.Library()


@register.simple_tag
def service_contacts(*, product=None, order=None, parcel=None) -> list:
    """The service contacts of the organisations behind a product, an order (each
    organisation once) or a parcel."""
    if product is not None and "stockrecords" in getattr(
        product, "_prefetched_objects_cache", {}
    ):
        # The product page's stock records come with household and organisation.
        households = [
            record.partner.household
            for record in product.stockrecords.all()
            if hasattr(record.partner, "household")
        ]
        return organisation_service_list_of(households=households)
    if product is not None:
        partner_ids = [record.partner_id for record in product.stockrecords.all()]
    elif order is not None:
        partner_ids = order.lines.values_list("partner_id", flat=True)
    elif parcel is not None:
        partner_ids = [parcel.household.partner_id]
    else:
        partner_ids = []
    return organisation_service_list(partner_ids=partner_ids)


@register.inclusion_tag("includes/service_contact.html", takes_context=True)
def service_contact(
    context, *, product=None, order=None, request=None, base=""
) -> dict:
    """The customer-service box of a product or an order; given the request or
    the site's address (an e-mail's), its policy link is a full address."""
    return {
        "contacts": service_contacts(product=product, order=order),
        "policy": after_sales_url(context, request=request, base=base),
    }


@register.simple_tag(takes_context=True)
def after_sales_url(context, *, request=None, base: str = "") -> str:
    """Where the after-sales policy is read ('' until it is published): its path,
    or for an e-mail its address on the request's host or after `base`."""
    path = fragment_get_or_set(
        request or context.get("request"), "after-sales-path", after_sales_path
    )
    if not path:
        return ""
    return request.build_absolute_uri(path) if request is not None else base + path


def after_sales_path() -> str:
    """The after-sales policy's path, or '' until it is published."""
    page = AfterSalesPage.objects.live().first()
    parts = page.get_url_parts() if page is not None else None
    return parts[2] if parts else ""
