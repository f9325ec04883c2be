"""The UnionPay test card pays as a UnionPay card, as on Stripe."""

from tests.storefront.checkout.devstripe.helpers import TYPES, UNIONPAY


def test_the_unionpay_test_card_pays_as_a_unionpay_card(client):
    # given
    token = client.v1.tokens.create(
        params={
            "card": {
                "number": UNIONPAY,
                "exp_month": 12,
                "exp_year": 2030,
                "cvc": "123",
            }
        }
    )
    method = client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {
                "number": UNIONPAY,
                "exp_month": 12,
                "exp_year": 2030,
                "cvc": "123",
            },
        }
    )

    # when
    intent = client.v1.payment_intents.create(
        params={
            "amount": 9900,
            "currency": "cny",
            "payment_method_types": TYPES,
            "payment_method": token.card.id,
            "confirm": True,
        }
    )

    # then
    details = intent.latest_charge.payment_method_details
    assert token.card.brand == "UnionPay"
    assert method.card.brand == "unionpay"
    assert intent.status == "succeeded"
    assert (details.type, details.card.brand, details.card.last4) == (
        "card",
        "unionpay",
        "0005",
    )
