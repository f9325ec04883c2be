from oscar.apps.shipping import apps


class ShippingConfig(apps.ShippingConfig):
    """Oscar's shipping, forked for its repository: one parcel per household, or pickup.

    Forked (label stays "shipping") because the checkout, the basket and the
    order placement all ask shipping.repository for the available methods.
    """

    name = "storefront.shipping"
