"""Every public page, the basket and the buyer's e-mails show exactly what a
household's consent allows, and withdrawing it takes everything back at once
(issue 12)."""

import io
import itertools
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.images import ImageFile
from django.test import Client
from django.urls import reverse
from wagtail.images import get_image_model

from sellers.consent.services import consent_withdraw
from sellers.fulfilment.services import parcel_mark_shipped
from sellers.models import SCOPE_NEEDED, ConsentScope, DisplayLevel
from sellers.public import NAMED_LEVELS
from storefront.checkout.receipts import receipt_send
from tests import factories
from tests.consent.helpers import jpeg
from tests.sellers import helpers

NAME_TEXT = "NAME-3e1f"
VILLAGE = "VILLAGE-7a2c"
TOWN = "TOWN-b41d"
LEGAL = "LEGAL-90aa"

SCOPES = sorted(ConsentScope.values)
COMBINATIONS = [
    (level, scope)
    for level in DisplayLevel.values
    for size in range(len(SCOPES) + 1)
    for scope in itertools.combinations(SCOPES, size)
    if SCOPE_NEEDED[level] <= set(scope)
]


def photographed_household(*, level, scope, index):
    household = factories.household_create(
        public_name=NAME_TEXT,
        town=TOWN,
        village=VILLAGE,
        legal_name=LEGAL,
        display_level=level,
        scope=scope if scope or level != DisplayLevel.ANONYMOUS else None,
    )
    image = get_image_model()(title="photo")
    image.file = ImageFile(io.BytesIO(jpeg()), name="pond.jpg")
    image.save()
    household.photo = image
    household.save(update_fields=["photo"])
    product = factories.product_create(household=household, title="清水草鱼")
    story = None
    if ConsentScope.STORY in scope:
        story = factories.story_create(index=index, household=household)
        story.save_revision().publish()
    # Wagtail names renditions after the first 20 characters of the original.
    return household, product, story, Path(image.file.name).stem[:20]


def markers(text: str, photo: str) -> set[str]:
    found = set()
    if NAME_TEXT in text:
        found.add("name")
    if VILLAGE in text or TOWN in text:
        found.add("village")
    if photo in text:
        found.add("photo")
    assert LEGAL not in text
    return found


# What each kind of public page shows of a household when allowed to.
EVERYTHING = {"name", "village", "photo"}
NAME_AND_PLACE = {"name", "village"}
# The public name alone: the household's name, or else "a household of
# <village>" where the village may be shown.
NAME = {"public name"}


def expected(can_show: set[str], allowed: set[str]) -> set[str]:
    if can_show == NAME:
        if "name" in allowed:
            return {"name"}
        return {"village"} & allowed
    return can_show & allowed


def public_pages(home, index, household, product, story, order):
    """(kind, path, what it can show) of every public page kind."""
    pages = [
        ("home", home.url, EVERYTHING if story else set()),
        # The village filter lists every village a household shows.
        ("household index", index.url, EVERYTHING if story else {"village"}),
        ("catalogue", reverse("catalogue:index"), NAME_AND_PLACE),
        ("category", product.categories.get().get_absolute_url(), NAME_AND_PLACE),
        (
            "household listing",
            reverse("catalogue:household", args=[household.slug]),
            EVERYTHING,
        ),
        ("village listing", reverse("catalogue:village", args=[VILLAGE]), None),
        ("product", product.get_absolute_url(), EVERYTHING),
        ("search", reverse("catalogue:index") + "?q=清水草鱼", NAME_AND_PLACE),
        ("impact", reverse("impact"), set()),
    ]
    if story is not None:
        pages.append(("story", story.url, None))
    return pages


def render_buyer_views(order, django_capture_on_commit_callbacks):
    """The e-mails a buyer gets: the receipt, and a parcel's notice (each
    time of another order, as a parcel is shipped once). {kind: text}"""
    mail.outbox.clear()
    receipt_send(order=order)
    with django_capture_on_commit_callbacks(execute=True):
        parcel_mark_shipped(
            parcel=order.parcels.get(),
            carrier="顺丰",
            tracking_number="SF1",
            acting_user=None,
        )
    assert len(mail.outbox) == 2
    return {
        "order e-mail": mail.outbox[0].body + mail.outbox[0].alternatives[0][0],
        "shipped e-mail": mail.outbox[1].subject + mail.outbox[1].body,
    }


def order_status(client, order) -> str:
    path = f"{order.number}/{order.verification_hash()}/"
    return client.get(f"/shop/accounts/order-status/{path}").content.decode()


def allowed_for(level, scope) -> set[str]:
    allowed = set()
    if level in NAMED_LEVELS:
        allowed.add("name")
    if ConsentScope.VILLAGE in scope:
        allowed.add("village")
    if ConsentScope.PHOTOS in scope:
        allowed.add("photo")
    return allowed


@pytest.mark.usefixtures("stripe_settings")
@pytest.mark.parametrize(("level", "scope"), COMBINATIONS)
def test_every_public_page_shows_exactly_what_the_consent_allows(
    pages, level, scope, django_capture_on_commit_callbacks
):
    # given
    home, index = pages
    household, product, story, photo = photographed_household(
        level=level, scope=scope, index=index
    )
    with django_capture_on_commit_callbacks(execute=True):
        orders = [helpers.paid_order((product, 1)) for _ in range(3)]
    allowed = allowed_for(level, scope)
    visitor, shopper = Client(), Client()
    shopper.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})

    def seen(allowed, order):
        shown = {}
        for kind, path, can_show in public_pages(
            home, index, household, product, story, order
        ):
            response = visitor.get(path)
            if can_show is None:  # a page that exists only if it may show
                if kind == "village listing" and "village" not in allowed:
                    assert response.status_code == 404, kind
                    continue
                if kind == "story" and not story.live:
                    assert response.status_code == 404, kind
                    continue
                can_show = NAME_AND_PLACE if kind == "village listing" else EVERYTHING
            assert response.status_code == 200, kind
            shown[kind] = (markers(response.content.decode(), photo), can_show)
        basket = shopper.get(reverse("basket:summary")).content.decode()
        shown["basket"] = (markers(basket, photo), NAME)
        status = order_status(Client(), order)
        shown["order status"] = (markers(status, photo), NAME)
        emails = render_buyer_views(order, django_capture_on_commit_callbacks)
        shown["order e-mail"] = (markers(emails["order e-mail"], photo), NAME_AND_PLACE)
        shown["shipped e-mail"] = (markers(emails["shipped e-mail"], photo), NAME)
        for kind, (found, can_show) in shown.items():
            assert (kind, found) == (kind, expected(can_show, allowed))
        return shown

    # when / then: every page, served fresh and then from the warm cache
    pages_shown = 12 + (story is not None) + ("village" in allowed)
    assert len(seen(allowed, orders[0])) == pages_shown
    assert len(seen(allowed, orders[1])) == pages_shown

    # when: the household withdraws its consent (every cache is warm)
    if household.consents.filter(withdrawn_at=None).exists():
        with django_capture_on_commit_callbacks(execute=True):
            consent_withdraw(household=household, acting_user=None)
        household.refresh_from_db()
        if story is not None:
            story.refresh_from_db()

    # then: nothing of it is shown anywhere any more
    assert len(seen(set(), orders[2])) == 12


def test_search_finds_a_household_by_name_and_village_only_as_consented(client, pages):
    # given: two households selling carp; one shows its name and village
    named = factories.household_create(public_name="罗大哥", village="西新村")
    hidden = factories.household_create(
        public_name="唐奶奶",
        village="东山村",
        display_level=DisplayLevel.ANONYMOUS,
        scope=("story",),
    )
    factories.product_create(household=named, title="草鱼")
    factories.product_create(household=hidden, title="干豇豆")

    def found(query):
        response = client.get(reverse("catalogue:index"), {"q": query})
        return [p.title for p in response.context["products"]]

    # then
    assert found("罗大哥") == ["草鱼"]
    assert found("西新村") == ["草鱼"]
    assert found("唐奶奶") == []
    assert found("东山村") == []
    assert found("干豇豆") == ["干豇豆"]
    assert client.get(reverse("catalogue:village", args=["东山村"])).status_code == 404
