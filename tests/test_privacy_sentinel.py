"""No protected household fact reaches any public page."""

import io
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from django.urls import reverse
from wagtail.images import get_image_model

from sellers.models import DisplayLevel, HouseholdRecord
from tests import factories

SENTINELS = {
    "legal_name": "SENTINEL-LEGAL-7f3a",
    "id_number": "SENTINEL-ID-91c2",
    "phone": "SENTINEL-PHONE-55d0",
    "address": "SENTINEL-ADDRESS-0b8e",
    "disability": "SENTINEL-DISABILITY-c4a1",
    "illness": "SENTINEL-ILLNESS-e62f",
    "bank_name": "SENTINEL-BANK-3d97",
    "bank_account": "SENTINEL-ACCOUNT-8a15",
    "notes": "SENTINEL-NOTES-1e4c",
}


@pytest.fixture
def sentinel_household(pages, organisation):
    _home, index = pages
    household = factories.household_create(
        organisation=organisation,
        slug="sentinel",
        public_name="公开名",
        display_level=DisplayLevel.FULL_STORY,
        legal_name=SENTINELS["legal_name"],
        record={k: v for k, v in SENTINELS.items() if k != "legal_name"},
    )
    # The assistance category is protected too: its label must not leak.
    HouseholdRecord.objects.filter(household=household).update(
        assistance_category="tekun"
    )
    story = factories.story_create(index=index, household=household)
    product = factories.product_create(household=household, title="草鱼")
    return household, story, product


def public_urls(household, story, product, home, index):
    return [
        home.url,
        index.url,
        index.url + "?village=西新村",
        story.url,
        "/about-nothing/",  # a 404 page
        reverse("catalogue:index"),
        reverse("catalogue:index") + "?q=SENTINEL",
        reverse("catalogue:household", kwargs={"household_slug": household.slug}),
        reverse("catalogue:village", kwargs={"village": household.village}),
        product.get_absolute_url(),
        product.categories.first().get_absolute_url(),
        reverse("basket:summary"),
    ]


def test_no_protected_field_appears_on_any_public_page(
    client, pages, sentinel_household
):
    # given
    home, index = pages
    household, story, product = sentinel_household
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})

    # when
    pages_seen = {
        url: client.get(url).content.decode()
        for url in public_urls(household, story, product, home, index)
    }

    # then
    assert len(pages_seen) == 12
    for url, html in pages_seen.items():
        for field, sentinel in SENTINELS.items():
            assert sentinel not in html, f"{field} leaked on {url}"
        assert "特困" not in html, f"assistance category leaked on {url}"
    assert "公开名" in pages_seen[story.url]


def test_partner_name_in_oscar_never_carries_the_legal_name(sentinel_household):
    household, _story, _product = sentinel_household

    assert household.partner.name == "sentinel"
    assert SENTINELS["legal_name"] not in str(household.partner)


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (DisplayLevel.ANONYMOUS, "一户农户"),
        (DisplayLevel.VILLAGE, "西新村的一户农户"),
        (DisplayLevel.GIVEN_NAME, "公开名"),
        (DisplayLevel.FULL_STORY, "公开名"),
    ],
)
def test_public_name_follows_the_consented_level(db, level, expected):
    household = factories.household_create(public_name="公开名", display_level=level)

    assert str(household.public.name) == expected


def test_what_consent_withholds_appears_on_no_public_page(client, pages, organisation):
    # given: an anonymous household that agreed to its story only
    from tests.consent.helpers import jpeg

    home, index = pages
    household = factories.household_create(
        organisation=organisation,
        slug="withheld",
        public_name="SENTINEL-NAME-4b7e",
        village="SENTINEL-VILLAGE-d21c",
        town="SENTINEL-TOWN-a9f0",
        display_level=DisplayLevel.ANONYMOUS,
        scope=("story",),
    )
    image = get_image_model()(title="household")
    image.file = ImageFile(io.BytesIO(jpeg()), name="household.jpg")
    image.save()
    household.photo = image
    household.save(update_fields=["photo"])
    story = factories.story_create(index=index, household=household)
    product = factories.product_create(household=household, title="草鱼")
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    withheld = {
        "name": "SENTINEL-NAME-4b7e",
        "village": "SENTINEL-VILLAGE-d21c",
        "town": "SENTINEL-TOWN-a9f0",
        "photo": Path(image.file.name).stem[:20],
    }

    # when
    urls = public_urls(household, story, product, home, index)
    urls += [
        reverse("catalogue:index") + "?q=SENTINEL-NAME",
        reverse("catalogue:index") + "?q=SENTINEL-VILLAGE",
    ]
    pages_seen = {url: client.get(url) for url in urls}

    # then
    assert list(pages_seen[urls[-1]].context["products"]) == []
    assert list(pages_seen[urls[-2]].context["products"]) == []
    for url, response in pages_seen.items():
        html = response.content.decode()
        for fact, sentinel in withheld.items():
            if "?q=" + sentinel[:13] in url:
                continue  # the search box repeats what the visitor typed
            assert sentinel not in html, f"{fact} shown on {url}"


def test_only_the_organisation_s_service_line_is_shown_never_a_household_s_phone(
    client, pages, django_user_model
):
    # given: a household whose protected record has a real mobile number, sold
    # for by an organisation with a service line
    from tests.sellers import helpers
    from tests.storefront.test_service_contact import after_sales_add, service_box

    home, index = pages
    after_sales_add(home)
    organisation = factories.OrganisationFactory(
        name="红领巾社会工作服务中心", service_phone="023-67881234"
    )
    household = factories.household_create(
        organisation=organisation,
        slug="sentinel",
        display_level=DisplayLevel.FULL_STORY,
        record={"phone": "13900001111"},
    )
    story = factories.story_create(index=index, household=household)
    product = factories.product_create(household=household, title="草鱼")
    buyer = django_user_model.objects.create_user(
        username="buyer", password="pw-b-2026"
    )
    order = helpers.place_order((product, 1))
    order.user = buyer
    order.save(update_fields=["user"])
    client.force_login(buyer)

    # when
    urls = [
        *public_urls(household, story, product, home, index),
        "/after-sales/",
        f"/shop/accounts/orders/{order.number}/",
    ]
    pages_seen = {url: client.get(url).content.decode() for url in urls}

    # then
    for url, html in pages_seen.items():
        assert "13900001111" not in html, f"household phone shown on {url}"
        assert "139****1111" not in html, f"masked household phone on {url}"
    for url in (product.get_absolute_url(), urls[-1]):
        assert service_box(pages_seen[url])[1] == ["tel:02367881234", "/after-sales/"]
