"""Every surface counts a product in its own unit (斤, 盒), 件 only when it has none."""

import re

import pytest
from django.core import mail
from django.test import Client

from sellers.fulfilment.services import parcel_mark_shipped
from sellers.models import Parcel
from tests import factories
from tests.sellers import helpers


def texts(html: str, css_class: str) -> list[str]:
    """The text of each element carrying this class, whitespace collapsed."""
    pattern = rf'class="[^"]*\b{css_class}\b[^"]*"[^>]*>(.*?)</'
    return [" ".join(t.split()) for t in re.findall(pattern, html, flags=re.S)]


@pytest.fixture
def fish(db):
    household = factories.household_create(slug="luo", public_name="罗大哥")
    return factories.product_create(household=household, num_in_stock=80, unit="斤")


def test_the_product_page_and_the_card_say_the_stock_in_the_same_unit(client, fish):
    page = client.get(fish.get_absolute_url()).content.decode()
    listing = client.get("/shop/catalogue/").content.decode()

    assert texts(page, "availability") == ["还剩 80 斤"]
    assert texts(page, "product-card__unit") == ["/ 斤"]
    assert texts(listing, "product-card__stock") == ["还剩 80 斤"]
    assert texts(listing, "product-card__unit") == ["/ 斤"]
    assert "库存" not in page


def test_a_product_without_a_unit_is_counted_in_jian_everywhere(client, db):
    household = factories.household_create(slug="luo")
    product = factories.product_create(household=household, num_in_stock=80, unit="")

    page = client.get(product.get_absolute_url()).content.decode()
    listing = client.get("/shop/catalogue/").content.decode()

    assert texts(page, "availability") == ["还剩 80 件"]
    assert texts(listing, "product-card__stock") == ["还剩 80 件"]
    assert texts(listing, "product-card__unit") == ["/ 件"]


@pytest.fixture
def paid_parcel(db, stripe_settings, fish, django_user_model):
    """罗大哥 sold 2 斤 of fish and 1 盒 of eggs; his household has a login."""
    luo = fish.stockrecords.get().partner.household
    eggs = factories.product_create(household=luo, title="土鸡蛋", unit="盒")
    worker = helpers.social_worker("a@agency.example", luo)
    luo.account = django_user_model.objects.create_user(
        username="luo-login", email="", password="x-pass-2026"
    )
    luo.save()
    order = helpers.paid_order((fish, 2), (eggs, 1))
    return Parcel.objects.get(order=order), worker


def test_the_packing_slip_gives_each_line_its_unit(client, paid_parcel):
    parcel, worker = paid_parcel
    client.force_login(worker)

    html = client.get(f"/workspace/parcels/{parcel.pk}/slip/").content.decode()

    assert re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", html) == [
        ("草鱼", "2 斤"),
        ("土鸡蛋", "1 盒"),
    ]


def test_the_household_page_gives_each_line_its_unit(client, paid_parcel):
    parcel, _worker = paid_parcel
    client.force_login(parcel.household.account)

    html = client.get("/workspace/household/").content.decode()

    assert re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", html) == [
        ("草鱼", "2 斤"),
        ("土鸡蛋", "1 盒"),
    ]


def test_the_buyer_s_parcel_list_and_notices_give_each_line_its_unit(
    paid_parcel, django_capture_on_commit_callbacks
):
    parcel, worker = paid_parcel
    order = parcel.order
    guest = Client()
    path = f"{order.number}/{order.verification_hash()}/"
    mail.outbox.clear()

    html = guest.get(f"/shop/accounts/order-status/{path}").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        parcel_mark_shipped(
            parcel=parcel, carrier="顺丰", tracking_number="SF1", acting_user=worker
        )

    assert "草鱼 × 2 斤, 土鸡蛋 × 1 盒" in texts(html, "parcel-item__meta")
    assert " * 草鱼 × 2 斤\n * 土鸡蛋 × 1 盒\n" in mail.outbox[0].body
