from django.dispatch import receiver
from oscar.apps.order.signals import order_placed

from sellers.fulfilment.services import order_route_to_households
from storefront.shipping.methods import order_delivery_charge


@receiver(order_placed)
def route_order_to_households(sender, order, **kwargs):
    order_route_to_households(order=order, delivery_charge=order_delivery_charge(order))
