from oscar.apps.shipping import repository

from sellers.fulfilment.selectors import pickup_point_list
from storefront import page_cache

from .methods import ParcelDelivery, PickupAtPoint


class Repository(repository.Repository):
    """Delivery per household parcel, then every open community pickup point."""

    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        # Oscar asks more than once a page (the basket's default method, the
        # charges): the basket of the request keeps the list, which is cached
        # under the public version (a pickup point's change bumps it).
        if not hasattr(basket, "_pickup_points"):
            basket._pickup_points = page_cache.fragment_get_or_set(
                kwargs.get("request"), "pickup-points", pickup_point_list
            )
        return [ParcelDelivery(), *(PickupAtPoint(p) for p in basket._pickup_points)]
