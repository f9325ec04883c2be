from django import template

from sellers.households.selectors import organisation_service_list
from storefront.models import AfterSalesPage

register = template.Library()


@register.simple_tag
def service_contacts(*, product=None, order=None, parcel=None) -> list:
    """The service contacts of the organisations behind a product, an order (each
    organisation once) or a parcel."""
    if product is not None:
        partner_ids = [record.partner_id for record in product.stockrecords.all()]
    elif order is not None:
        partner_ids = order.lines.values_list("partner_id", flat=True)
    elif parcel is not None:
        partner_ids = [parcel.household.partner_id]
    else:
        partner_ids = []
    return organisation_service_list(partner_ids=partner_ids)


@register.inclusion_tag("includes/service_contact.html")
def service_contact(*, product=None, order=None, request=None) -> dict:
    """The customer-service box of a product or an order; given the request (an
    e-mail's), its policy link is a full address."""
    return {
        "contacts": service_contacts(product=product, order=order),
        "policy": after_sales_url(request=request),
    }


@register.simple_tag
def after_sales_url(*, request=None, base: str = "") -> str:
    """Where the after-sales policy is read ('' until it is published): its path,
    or for an e-mail its address on the request's host or after `base`."""
    page = AfterSalesPage.objects.live().first()
    parts = page.get_url_parts() if page is not None else None
    if not parts:
        return ""
    path = parts[2]
    return request.build_absolute_uri(path) if request is not None else base + path
