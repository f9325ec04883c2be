"""The store on two web nodes behind nginx, with one task worker, sharing
PostgreSQL, Redis, an S3 bucket (moto) and Stripe (localstripe): what one
node writes the other serves, a buyer may land on either node at every step,
and a node that dies mid-checkout loses or doubles no order, payment or
ledger entry.

Runs only on PostgreSQL with Redis (CI's second run): SQLite and the
in-process cache are one machine's by design.
"""

import io
import os
import re
import threading
import time
from decimal import Decimal

import boto3
import pytest
import redis
import requests
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model
from PIL import Image

from catalog.selectors import listing_values
from sellers.models import LedgerEntry, Parcel
from storefront.checkout.models import PaymentStatus, StripePayment
from tests.conftest import free_port
from tests.sellers.helpers import photo_with_gps, two_caseloads
from tests.storefront.checkout.helpers import CARD_OK, card_token

from .buyers import Browser, checkout_steps, pay, sign_in
from .cluster import NGINX, PRIVATE_BUCKET, PUBLIC_BUCKET, cluster_run, node_environment

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres")
        or not os.environ.get("REDIS_URL"),
        reason="several nodes share PostgreSQL and Redis: set DATABASE_URL "
        "(postgres://…) and REDIS_URL",
    ),
    pytest.mark.skipif(not os.path.exists(NGINX), reason=f"no nginx at {NGINX}"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_data", "stripe_settings", "clean_stripe"),
]


@pytest.fixture(scope="module")
def s3(moto_s3):
    client = boto3.client(
        "s3",
        endpoint_url=moto_s3,
        region_name="us-east-1",
        aws_access_key_id="bangfu-test",
        aws_secret_access_key="bangfu-test-secret",
    )
    for bucket in (PUBLIC_BUCKET, PRIVATE_BUCKET):
        client.create_bucket(Bucket=bucket)
    return client


@pytest.fixture(scope="module")
def cluster(django_db_setup, localstripe, moto_s3, s3, tmp_path_factory):
    """Node A, node B, nginx and a worker on the test database, for the module."""
    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    ports = {name: free_port() for name in ("node_a", "node_b", "lb", "lb_a", "lb_b")}
    environment = node_environment(
        database_url=(
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        redis_url=settings.REDIS_URL,
        stripe=localstripe,
        s3=moto_s3,
        # Shared with this process: the sessions and order links it signs.
        secret_key=settings.SECRET_KEY,
        hosts=["127.0.0.1"] + [f"127.0.0.1:{ports[n]}" for n in ("lb", "lb_a", "lb_b")],
    )
    with cluster_run(tmp_path_factory.mktemp("cluster"), environment, ports) as running:
        yield running


def exif(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif())


def page_keys() -> list[bytes]:
    from django.conf import settings

    return redis.Redis.from_url(settings.REDIS_URL).keys("bangfu:*:page:*")


def test_a_photo_listed_on_node_a_is_served_from_the_bucket_on_node_b(
    cluster, s3, moto_s3
):
    # given
    fresh_fish = create_from_breadcrumbs("鲜鱼")
    _products, _households, (social_worker, _b) = two_caseloads()
    worker = Browser(cluster.session())
    sign_in(worker, social_worker)

    # when: the social worker lists a fish with a phone photo carrying GPS, on A
    listed = worker.post(
        cluster.node["A"],
        "/workspace/listing/h/luo/new/",
        {
            "title": "鲜活鲫鱼",
            "category": str(fresh_fish.pk),
            "unit": "斤",
            "price": "22.50",
            "available": "30",
            "harvest_date": "2026-11-28",
            "description": "今早现捞",
        },
        files={"photo": ("罗某银家鱼塘.jpg", photo_with_gps(), "image/jpeg")},
    )
    # and a shopper opens its page on B
    product = Product.objects.get(title="鲜活鲫鱼")
    page = Browser(cluster.session()).get(cluster.node["B"], product.get_absolute_url())

    # then: B's page shows the photo at the bucket's address, without EXIF
    assert listed.status_code == 302, listed.text[:500]
    assert page.status_code == 200
    photo = product.images.get().original
    urls = sorted(set(re.findall(rf"{moto_s3}/{PUBLIC_BUCKET}/[^\"\s,]+", page.text)))
    assert sorted(url.rsplit(".", 1)[1] for url in urls) == ["jpg", "jpg", "webp"]
    for url in urls:
        answer = requests.get(url, timeout=10)
        key = url.removeprefix(f"{moto_s3}/{PUBLIC_BUCKET}/")
        stored = s3.get_object(Bucket=PUBLIC_BUCKET, Key=key)["Body"].read()
        assert (answer.status_code, answer.content) == (200, stored)
        assert exif(answer.content) == {}
    original = s3.get_object(Bucket=PUBLIC_BUCKET, Key=photo.name)["Body"].read()
    assert exif(original) == {}
    assert b"PhoneMaker" not in original


def test_a_price_changed_on_node_a_shows_at_once_on_node_b_cached_pages(cluster):
    # given: B has cached the catalogue and the fish's page (in Redis)
    (fish, _eggs, _bacon), (luo, _wang, _chen), (social_worker, _b) = two_caseloads()
    shopper = Browser(cluster.session())
    before = [
        shopper.get(cluster.node["B"], path).text
        for path in ("/shop/catalogue/", fish.get_absolute_url())
    ]
    cached = len(page_keys())
    worker = Browser(cluster.session())
    sign_in(worker, social_worker)
    values = listing_values(product=fish, household=luo)

    # when: the social worker changes the price on A
    saved = worker.post(
        cluster.node["A"],
        f"/workspace/listing/p/{fish.pk}/",
        {
            **{
                name: "" if value is None else str(getattr(value, "pk", value))
                for name, value in values.items()
            },
            "price": "18.00",
        },
    )
    after = [
        shopper.get(cluster.node["B"], path).text
        for path in ("/shop/catalogue/", fish.get_absolute_url())
    ]

    # then
    assert saved.status_code == 302, saved.text[:500]
    assert cached == 2
    assert ["¥15.00" in html for html in before] == [True, True]
    assert ["¥15.00" in html for html in after] == [False, False]
    assert ["¥18.00" in html for html in after] == [True, True]


def test_a_buyer_alternating_between_nodes_pays_once_and_is_credited_once(cluster):
    # given
    (fish, eggs, _bacon), _households, _workers = two_caseloads()
    buyer = Browser(cluster.session())
    nodes = [cluster.node["A"], cluster.node["B"]]

    # when: every step on the other node than the one before
    number = checkout_steps(buyer, nodes, (fish, eggs), "buyer@example.com")
    buyer.get(cluster.node["A"], f"/shop/checkout/orders/{number}/pay/")
    paid = pay(buyer, cluster.node["B"], number, card_token(CARD_OK))
    thanks = buyer.get(cluster.node["A"], "/shop/checkout/thank-you/")

    # then
    order = Order.objects.get()
    assert (number, paid["status"], order.status) == (order.number, "succeeded", "paid")
    assert thanks.status_code == 200
    assert list(StripePayment.objects.values_list("status", "amount_fen")) == [
        (PaymentStatus.SUCCEEDED, 8000)
    ]
    assert sorted(
        LedgerEntry.objects.values_list("household__slug", "kind", "amount")
    ) == [("luo", "sale", Decimal("25.00")), ("wang", "sale", Decimal("55.00"))]
    assert buyer.failures == 0


BUYERS = 6


def _buy(cluster, products, email: str, numbers: dict) -> None:
    """One buyer through the balancer. An answer lost with its node is looked
    for as the buyer would: the order's link in his e-mail; with no order, he
    starts again (the dead node had frozen his basket, Oscar's first step of
    placing an order, and the placing died with it)."""
    try:
        buyer = Browser(cluster.session())
        for _attempt in range(3):
            number = checkout_steps(buyer, [cluster.url], products, email)
            order = Order.objects.filter(guest_email=email).first()
            if number or order:
                break
        if number is None:
            number = order.number
            buyer.get(
                cluster.url,
                f"/shop/checkout/orders/{number}/pay/?h={order.verification_hash()}",
            )
        answer = pay(buyer, cluster.url, number, card_token(CARD_OK))
        numbers[email] = (number, answer["status"], buyer.failures)
    finally:
        connection.close()


def test_node_a_killed_mid_checkout_loses_and_doubles_nothing(cluster):
    # given: six buyers checking out at once through the balancer
    (fish, eggs, _bacon), _households, _workers = two_caseloads()
    numbers: dict[str, tuple] = {}
    buyers = [
        threading.Thread(
            target=_buy, args=(cluster, (fish, eggs), f"b{i}@example.com", numbers)
        )
        for i in range(BUYERS)
    ]
    for thread in buyers:
        thread.start()

    # when: node A dies once the first orders are placed
    deadline = time.monotonic() + 30
    while Order.objects.count() < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    paid_before = Order.objects.filter(status="paid").count()
    cluster.kill("A")
    for thread in buyers:
        thread.join(timeout=120)

    # then: every buyer paid one order, through B once A was gone
    assert (
        sorted(status for _n, status, _f in numbers.values()) == ["succeeded"] * BUYERS
    )
    orders = Order.objects.order_by("number")
    assert [o.number for o in orders] == sorted(n for n, _s, _f in numbers.values())
    assert {o.status for o in orders} == {"paid"}
    payments = StripePayment.objects.order_by("order_number")
    assert [(p.order_number, p.status, p.amount_fen) for p in payments] == [
        (o.number, PaymentStatus.SUCCEEDED, int(o.total_incl_tax * 100)) for o in orders
    ]
    # one credit a parcel, to the fen of each household's share (its goods
    # and the delivery it ships)
    parcels = Parcel.objects.all()
    ledger = LedgerEntry.objects.aggregate(total=Sum("amount"))["total"]
    assert (LedgerEntry.objects.count(), ledger) == (
        2 * BUYERS,
        sum(parcel.household_share for parcel in parcels),
    )
    assert (parcels.count(), ledger) == (
        2 * BUYERS,
        sum(order.total_incl_tax for order in orders),
    )
    Line = get_model("order", "Line")
    bought = dict(Line.objects.values_list("product__title").annotate(Sum("quantity")))
    assert (
        dict(
            StockRecord.objects.filter(product__in=(fish, eggs)).values_list(
                "product__title", "num_allocated"
            )
        )
        == bought
    )
    # and the reconciliations find nothing to repair
    assert _reconcile("reconcile_payments") == (
        f"All {BUYERS} orders and {BUYERS} payments reconcile.\n"
    )
    assert _reconcile("reconcile_ledger") == (
        f"The ledger reconciles: {2 * BUYERS} entries of 3 households, "
        f"{BUYERS} paid orders, 0 refunds.\n"
    )
    # and node A died while some of them were still checking out
    assert paid_before < BUYERS


def _reconcile(command: str) -> str:
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()
