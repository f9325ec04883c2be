"""The harvest screens: a social worker offers his household's product for
pre-order, weighs a parcel, records a short catch or a delay; another
social worker's households stay out of reach; the buyer withdraws after a
delay from his order page."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from sellers.models import HarvestOffer, LedgerEntry, Parcel, ParcelLine
from sellers.preorders.services import harvest_delay
from storefront.checkout.orders import order_status_path
from tests import factories
from tests.sellers import helpers
from tests.sellers.preorders.helpers import fish_offer

pytestmark = pytest.mark.usefixtures("stripe_settings", "clean_stripe")


def messages_of(page) -> list[str]:
    return [str(m) for m in page.context["messages"]]


def test_a_social_worker_offers_his_households_product_for_pre_order(db):
    # given
    luo = factories.household_create(slug="luo", public_name="罗大哥")
    worker = helpers.social_worker("a@agency.example", luo)
    carp = factories.product_create(household=luo, title="草鱼", unit="条")
    client = Client()
    client.force_login(worker)

    # when
    page = client.post(
        "/workspace/harvests/new/",
        {
            "product": carp.pk,
            "window_start": "2026-12-20",
            "window_end": "2026-12-27",
            "price_per_jin": "12.00",
            "jin_per_piece": "3.00",
            "capacity": "2000",
            "per_order_limit": "5",
        },
        follow=True,
    )

    # then
    assert messages_of(page) == ["商品已开始预售。"]
    offer = HarvestOffer.objects.get(product=carp)
    assert (offer.piece_price, offer.per_order_limit) == (Decimal("36.00"), 5)
    assert carp.stockrecords.get().num_in_stock == 2000
    assert "草鱼 · " in page.content.decode()


def test_another_social_workers_harvest_is_out_of_reach(db):
    # given
    offer, _product, _worker = fish_offer()
    chen = factories.household_create(slug="chen", public_name="陈叔")
    other = helpers.social_worker("b@agency.example", chen)
    client = Client()
    client.force_login(other)

    # when
    listing = client.get("/workspace/harvests/")
    catch = client.post(f"/workspace/harvests/{offer.pk}/catch/", {"pieces": "0"})

    # then
    assert listing.status_code == 200
    assert "草鱼（预售）" not in listing.content.decode()
    assert catch.status_code == 404
    offer.refresh_from_db()
    assert offer.caught_pieces is None


def test_a_social_worker_weighs_a_parcel_and_the_buyer_gets_the_difference(db):
    # given: 2 fish paid at the estimate, ¥72 + ¥10
    offer, product, worker = fish_offer()
    order = helpers.paid_order((product, 2))
    parcel = Parcel.objects.get(order=order)
    line = ParcelLine.objects.get(parcel=parcel).line
    client = Client()
    client.force_login(worker)
    assert "采收称重" in client.get(f"/workspace/parcels/{parcel.pk}/").content.decode()

    # when: they weigh 5.5 jin (¥66.00)
    page = client.post(
        f"/workspace/parcels/{parcel.pk}/weigh/",
        {f"line_{line.pk}": "5.50"},
        follow=True,
    )

    # then
    assert messages_of(page) == ["已按 ¥66.00 结算；退还买家 ¥6.00。"]
    parcel.refresh_from_db()
    assert parcel.refunded == Decimal("6.00")
    assert [(e.kind, e.amount) for e in LedgerEntry.objects.all()] == [
        ("sale", Decimal("76.00"))
    ]
    assert "货款按 ¥66.00 结算；退还买家 ¥6.00。" in page.content.decode()


def test_a_bad_weight_changes_nothing(db):
    # given
    _offer, product, worker = fish_offer()
    order = helpers.paid_order((product, 1))
    parcel = Parcel.objects.get(order=order)
    line = ParcelLine.objects.get(parcel=parcel).line
    client = Client()
    client.force_login(worker)

    # when
    page = client.post(
        f"/workspace/parcels/{parcel.pk}/weigh/", {f"line_{line.pk}": "0"}, follow=True
    )

    # then
    assert messages_of(page) == ["确保该值大于或等于0.01。"]
    assert LedgerEntry.objects.count() == 0


def test_the_buyer_withdraws_a_delayed_pre_order_from_his_order_page(db):
    # given: the buyer's session placed the order; the harvest is delayed
    offer, product, worker = fish_offer()
    order = helpers.paid_order((product, 1))
    harvest_delay(
        offer=offer,
        window_start=datetime.date(2027, 1, 3),
        window_end=datetime.date(2027, 1, 10),
        acting_user=worker,
    )
    buyer = Client()
    page = buyer.get(order_status_path(order))
    assert "取消预订并全额退款" in page.content.decode()

    # when
    page = buyer.post(
        f"/orders/{order.number}/preorder-cancel/",
        {"h": order.verification_hash()},
        follow=True,
    )

    # then
    assert messages_of(page) == ["预订已取消；¥46.00 将原路退回。"]
    parcel = Parcel.objects.get(order=order)
    assert (parcel.status, parcel.refunded) == ("cancelled", Decimal("46.00"))


def test_a_stranger_cannot_withdraw_someone_elses_pre_order(db):
    # given
    offer, product, worker = fish_offer()
    order = helpers.paid_order((product, 1))
    harvest_delay(
        offer=offer,
        window_start=datetime.date(2027, 1, 3),
        window_end=datetime.date(2027, 1, 10),
        acting_user=worker,
    )

    # when
    page = Client().post(f"/orders/{order.number}/preorder-cancel/", {"h": "x"})

    # then
    assert page.status_code == 404
    assert Parcel.objects.get(order=order).status == "to_pack"
