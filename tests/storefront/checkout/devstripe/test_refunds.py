"""Wallet payments are refunded as Stripe refunds them, never beyond."""

from tests.storefront.checkout.devstripe.helpers import answer, refused, wechat_intent


def test_a_wallet_payment_is_refunded_in_parts_and_never_beyond(client):
    # given
    intent = wechat_intent(client)
    answer(intent.next_action.wechat_pay_display_qr_code.data, "authorize")

    # when
    first = client.v1.refunds.create(
        params={"payment_intent": intent.id, "amount": 500}
    )
    too_much = refused(
        lambda: client.v1.refunds.create(
            params={"payment_intent": intent.id, "amount": 1001}
        )
    )
    rest = client.v1.refunds.create(params={"payment_intent": intent.id})
    again = refused(
        lambda: client.v1.refunds.create(params={"payment_intent": intent.id})
    )

    # then
    charge = client.v1.payment_intents.retrieve(intent.id).latest_charge
    assert (first.status, first.amount) == ("succeeded", 500)
    assert (too_much.http_status, too_much.param) == (400, "amount")
    assert (rest.status, rest.amount) == ("succeeded", 1000)
    assert again.code == "charge_already_refunded"
    assert (charge.amount_refunded, charge.refunded) == (1500, True)


def test_nothing_to_refund_while_the_buyer_has_not_paid(client):
    # given
    intent = wechat_intent(client)

    # when
    error = refused(
        lambda: client.v1.refunds.create(params={"payment_intent": intent.id})
    )

    # then
    assert (error.http_status, error.code) == (400, "charge_not_refundable")
