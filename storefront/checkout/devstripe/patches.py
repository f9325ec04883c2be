"""localstripe's classes taught the wallets, brands and refunds of Stripe.

localstripe's classes are patched in place, because its routes and its pickled
state both refer to them; everything here keeps Stripe's names.
"""

from localstripe.resources import Card, Charge, PaymentIntent, PaymentMethod, Refund

from . import intents, methods, refunds


def install() -> None:
    """Teach localstripe's classes the wallets and brands (idempotent)."""
    PaymentMethod.__init__ = methods.payment_method_init
    Card.__init__ = methods.card_init
    Charge.__init__ = methods.charge_init
    PaymentIntent._api_create = classmethod(intents.intent_create)
    PaymentIntent._create_charge = intents.create_charge
    PaymentIntent.last_payment_error = property(intents.last_payment_error)
    PaymentIntent.amount_received = property(intents.amount_received)
    Refund._api_create = classmethod(refunds.refund_create)
