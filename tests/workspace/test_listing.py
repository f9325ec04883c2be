"""The listing workspace: a social worker lists and updates his households'
products; another caseload's households and products are 404s."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model
from PIL import Image

from sellers.households.services import membership_grant
from sellers.models import AuditAction, AuditEvent
from tests.sellers.helpers import photo_with_gps, two_caseloads, upload

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseloads():
    create_from_breadcrumbs("禽蛋")
    return two_caseloads()


def listing_post(**overrides):
    data = {
        "title": "鲜活鲫鱼",
        "category": str(create_from_breadcrumbs("鲜鱼").pk),
        "unit": "斤",
        "price": "22.50",
        "available": "30",
        "harvest_date": "2026-11-28",
        "description": "今早现捞",
    }
    data.update(overrides)
    return data


def test_social_worker_lists_a_product_with_a_photo(client, caseloads):
    _products, (luo, _wang, _chen), (worker_a, _b) = caseloads
    client.force_login(worker_a)
    data = listing_post(photo=upload(photo_with_gps(), name="罗某银家鱼塘.jpg"))

    response = client.post(reverse("listing:create", args=["luo"]), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("listing:household", args=["luo"])
    product = Product.objects.get(title="鲜活鲫鱼")
    stockrecord = product.stockrecords.get()
    assert (stockrecord.partner, stockrecord.price, stockrecord.num_in_stock) == (
        luo.partner,
        Decimal("22.50"),
        30,
    )
    assert product.is_public
    assert [c.name for c in product.categories.all()] == ["鲜鱼"]
    assert product.attr.unit == "斤"
    assert str(product.attr.available_from) == "2026-11-28"
    assert not hasattr(product.attr, "origin_village")
    image = product.images.get()
    assert "罗某银" not in image.original.name
    with Image.open(image.original.path) as stored:
        assert stored.getexif() == {}
        assert "exif" not in stored.info
    event = AuditEvent.objects.get(action=AuditAction.PRODUCT_CREATED)
    assert (event.actor, event.household, event.action, event.subject) == (
        worker_a,
        luo,
        AuditAction.PRODUCT_CREATED,
        "鲜活鲫鱼",
    )
    assert event.changes["price"] == [None, "22.50"]
    assert event.changes["available"] == [None, "30"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("price", "0", "确保该值大于或等于0.01。"),
        ("price", "abc", "输入一个数字。"),
        ("available", "-1", "确保该值大于或等于0。"),
        ("title", "", "必需字段"),
        ("category", "999999", "选择一个有效的选项： 该选择不在可用的选项中。"),
    ],
)
def test_bad_listing_is_refused_with_its_message(
    client, caseloads, field, value, message
):
    _products, _households, (worker_a, _b) = caseloads
    client.force_login(worker_a)
    count = Product.objects.count()

    response = client.post(
        reverse("listing:create", args=["luo"]), listing_post(**{field: value})
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Product.objects.count() == count
    assert not AuditEvent.objects.exclude(action="consent_recorded").exists()


def test_a_photo_that_is_not_an_image_or_too_big_is_refused(
    client, caseloads, settings
):
    _products, _households, (worker_a, _b) = caseloads
    client.force_login(worker_a)
    settings.BANGFU_PHOTO_MAX_BYTES = 1000
    big = io.BytesIO()
    Image.new("RGB", (300, 300), "green").save(big, "PNG")

    not_image = client.post(
        reverse("listing:create", args=["luo"]),
        listing_post(photo=upload(b"%PDF-1.4 not a photo", name="a.jpg")),
    )
    too_big = client.post(
        reverse("listing:create", args=["luo"]),
        listing_post(photo=upload(big.getvalue() + b"\0" * 2000, name="b.png")),
    )

    assert not_image.context["form"].errors["photo"] == [
        "无法读取这个文件，请上传 JPEG、PNG 或 WebP 图片。"
    ]
    assert too_big.context["form"].errors["photo"] == ["照片超过 10 MB。"]
    assert not Product.objects.filter(title="鲜活鲫鱼").exists()


def test_edit_changes_price_and_available_stock_and_audits_old_and_new(
    client, caseloads
):
    (fish, _eggs, _bacon), _households, (worker_a, _b) = caseloads
    StockRecord.objects.filter(product=fish).update(num_allocated=7)
    client.force_login(worker_a)

    page = client.get(reverse("listing:edit", args=[fish.pk]))
    assert page.context["form"].initial["available"] == 93
    response = client.post(
        reverse("listing:edit", args=[fish.pk]),
        listing_post(title="草鱼", price="16.00", available="20"),
    )

    assert response.status_code == 302
    stockrecord = StockRecord.objects.get(product=fish)
    # 7 already sold stay allocated; 20 more can be sold.
    assert (stockrecord.price, stockrecord.num_in_stock, stockrecord.num_allocated) == (
        Decimal("16.00"),
        27,
        7,
    )
    event = AuditEvent.objects.get(action=AuditAction.PRODUCT_CHANGED)
    assert event.changes["price"] == ["15.00", "16.00"]
    assert event.changes["available"] == ["93", "20"]
    assert "title" not in event.changes


def test_take_off_sale_and_back(client, caseloads):
    (fish, _eggs, _bacon), _households, (worker_a, _b) = caseloads
    client.force_login(worker_a)

    client.post(reverse("listing:on-sale", args=[fish.pk]), {"on_sale": "0"})
    fish.refresh_from_db()
    assert not fish.is_public
    assert client.get(fish.get_absolute_url()).status_code == 404
    client.post(reverse("listing:on-sale", args=[fish.pk]), {"on_sale": "0"})
    client.post(reverse("listing:on-sale", args=[fish.pk]), {"on_sale": "1"})

    fish.refresh_from_db()
    assert fish.is_public
    assert list(
        AuditEvent.objects.exclude(action=AuditAction.CONSENT_RECORDED)
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        AuditAction.PRODUCT_DEACTIVATED,
        AuditAction.PRODUCT_REACTIVATED,
    ]


def test_another_caseloads_households_and_products_are_not_found(client, caseloads):
    (fish, _eggs, bacon), _households, (worker_a, _b) = caseloads
    client.force_login(worker_a)
    urls = [
        reverse("listing:household", args=["chen"]),
        reverse("listing:create", args=["chen"]),
        reverse("listing:import-upload", args=["chen"]),
        reverse("listing:edit", args=[bacon.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, listing_post()).status_code == 404, url
    assert (
        client.post(
            reverse("listing:on-sale", args=[bacon.pk]), {"on_sale": "0"}
        ).status_code
        == 404
    )
    bacon.refresh_from_db()
    assert bacon.is_public and bacon.title == "腊肉"
    households = client.get(reverse("listing:households")).context["households"]
    assert [h.slug for h in households] == ["luo", "wang"]


def test_household_page_lists_its_products_only(client, caseloads):
    _products, _households, (worker_a, _b) = caseloads
    client.force_login(worker_a)

    response = client.get(reverse("listing:household", args=["luo"]))

    assert [p.title for p in response.context["products"]] == ["草鱼"]
    assert response["Cache-Control"].startswith("max-age=0, no-cache, no-store")


def test_products_on_sale_are_counted_once_per_product(client, caseloads):
    # given: 罗大哥 sells fish and two more products; his organisation has an
    # administrator and a reviewer besides his social worker (the caseload's
    # OR join used to count each product once per joined row)
    from django.contrib.auth import get_user_model

    from catalog.services import product_list_for_household
    from sellers.models import MemberRole

    products, (luo, _wang, _chen), (worker_a, _b) = caseloads
    for email, role in [
        ("boss@agency.example", MemberRole.ADMINISTRATOR),
        ("rev@agency.example", MemberRole.REVIEWER),
    ]:
        user = get_user_model().objects.create_user(
            username=email, email=email, password="pw"
        )
        membership_grant(user=user, organisation=luo.organisation, role=role)
    membership_grant(
        user=worker_a, organisation=luo.organisation, role=MemberRole.SOCIAL_WORKER
    )
    for title in ("鲫鱼", "花鲢"):
        product_list_for_household(
            household=luo,
            acting_user=worker_a,
            title=title,
            category=products[0].categories.get(),
            unit="斤",
            price=Decimal("18.00"),
            available=10,
        )
    client.force_login(worker_a)

    # when
    response = client.get(reverse("listing:households"))

    # then
    assert [(h.slug, h.on_sale) for h in response.context["households"]] == [
        ("luo", 3),
        ("wang", 1),
    ]
    assert "3 件在售商品" in response.content.decode()


def test_the_harvest_date_survives_an_edit_form(caseloads):
    # given: a product listed with its harvest date (Chromium's date input
    # drops a value that is not ISO, and saving then erased the date)
    import datetime

    from catalog.forms import ListingForm

    _products, (luo, _wang, _chen), _workers = caseloads

    # when
    html = str(
        ListingForm(
            initial={"harvest_date": datetime.date(2026, 11, 30)}, household=luo
        )["harvest_date"]
    )

    # then
    assert 'value="2026-11-30"' in html
