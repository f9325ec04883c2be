from oscar.apps.shipping import repository

from sellers.fulfilment.selectors import pickup_point_list

from .methods import ParcelDelivery, PickupAtPoint


class Repository(repository.Repository):
    """Delivery per household parcel, then every open community pickup point."""

    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        return [ParcelDelivery(), *(PickupAtPoint(p) for p in pickup_point_list())]
