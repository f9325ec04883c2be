"""Refunds of wallet and card payments, refused where Stripe refuses them."""

from localstripe.resources import Charge, PaymentIntent, Refund

from .errors import error

_refund_create = Refund._api_create.__func__


def refund_create(cls, charge=None, payment_intent=None, amount=None, **data):
    """localstripe's, refusing what Stripe refuses (nothing paid, or too much) and
    refunding by default what is left, as Stripe does."""
    if payment_intent is not None and charge is None:
        intent = PaymentIntent._api_retrieve(str(payment_intent))
        paid = intent.latest_charge
        if paid is None or intent.status not in ("succeeded", "requires_capture"):
            raise error(
                f"This PaymentIntent ({intent.id}) does not have a successful "
                "charge to refund.",
                param="payment_intent",
                code="charge_not_refundable",
            )
    elif charge is not None:
        paid = Charge._api_retrieve(str(charge))
    else:
        raise error(
            "One of the following params should be provided for this request: "
            "payment_intent or charge.",
            code="parameter_missing",
        )
    remaining = paid.amount - paid.amount_refunded
    if remaining <= 0:
        raise error(
            f"Charge {paid.id} has already been refunded.",
            code="charge_already_refunded",
        )
    if amount is not None and str(amount).isdigit() and int(amount) > remaining:
        raise error(
            f"Refund amount ({int(amount)}) is greater than unrefunded amount on "
            f"charge ({remaining})",
            param="amount",
        )
    if amount is None:
        amount = remaining  # Stripe refunds what is left, localstripe the whole
    return _refund_create(
        cls, charge=charge, payment_intent=payment_intent, amount=amount, **data
    )
