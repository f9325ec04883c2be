"""A household's consent governs every public place it shows, and withdrawing
it takes everything back at once (issue 12)."""

import io
import itertools
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.test import Client, RequestFactory
from django.urls import reverse
from PIL import Image
from wagtail.images import get_image_model

from sellers.consent.services import consent_withdraw
from sellers.fulfilment.services import parcel_mark_shipped
from sellers.households.services import household_create
from sellers.models import SCOPE_NEEDED, ConsentScope, DisplayLevel, Household
from sellers.public import NAMED_LEVELS
from storefront.checkout.views import PaymentDetailsView
from storefront.models import HouseholdStoryPage
from tests import factories
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


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "green").save(buffer, "JPEG")
    return buffer.getvalue()


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
    view = PaymentDetailsView()
    view.request = RequestFactory().get("/")
    view.request.user = AnonymousUser()
    view.send_order_placed_email(order)
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
    client.post(
        f"/shop/accounts/order-status-form/{path}", {"email": "buyer@example.com"}
    )
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


def test_a_new_household_gets_a_neutral_random_code(db):
    # when
    households = [
        household_create(
            organisation=factories.OrganisationFactory(),
            nickname="tang-beans",
            legal_name="唐某珍",
            public_name="唐奶奶",
            district="渝北区",
            town="统景镇",
            village="西新村",
        )
        for _ in range(2)
    ]

    # then
    for household in households:
        assert re.fullmatch(r"h[23456789abcdefghjkmnpqrstuvwxyz]{7}", household.slug)
        assert household.partner.name == household.slug
        assert household.nickname == "tang-beans"
        assert household.display_level == DisplayLevel.ANONYMOUS
        assert (household.shows_village, household.shows_photo) == (False, False)
    assert households[0].slug != households[1].slug


def test_lowering_the_level_takes_the_story_down_and_raising_keeps_it(
    pages, django_capture_on_commit_callbacks
):
    # given: a live story at the full-story level
    _home, index = pages
    household = factories.household_create(display_level=DisplayLevel.FULL_STORY)
    story = factories.story_create(index=index, household=household)
    story.save_revision().publish()

    # when: a new consent adds nothing and drops the photos
    with django_capture_on_commit_callbacks(execute=True):
        factories.consent_create(
            household,
            level=DisplayLevel.FULL_STORY,
            scope=("name", "story", "village"),
        )

    # then
    story.refresh_from_db()
    household.refresh_from_db()
    assert (story.live, household.shows_photo) == (False, False)

    # when: it is published again, and then consent grows to include photos
    story.save_revision().publish()
    factories.consent_create(household, level=DisplayLevel.FULL_STORY)

    # then
    story.refresh_from_db()
    household.refresh_from_db()
    assert (story.live, household.shows_photo) == (True, True)
    assert [
        (event.action, event.changes)
        for event in household.audit_events.filter(action="consent_recorded").order_by(
            "id"
        )
    ][-2:] == [
        (
            "consent_recorded",
            {
                "display_level": ["full_story", "full_story"],
                "scope": ["name,photos,story,village", "name,story,village"],
            },
        ),
        (
            "consent_recorded",
            {
                "display_level": ["full_story", "full_story"],
                "scope": ["name,story,village", "name,photos,story,village"],
            },
        ),
    ]


def test_a_consent_missing_what_its_level_needs_is_refused_by_the_service(db):
    household = factories.household_create(display_level=DisplayLevel.ANONYMOUS)

    with pytest.raises(ValidationError) as error:
        factories.consent_create(
            household, level=DisplayLevel.GIVEN_NAME, scope=("story",)
        )

    assert error.value.messages == [
        "这个公开程度需要农户同意：农户的名字、农户所在的村。"
    ]
    household.refresh_from_db()
    assert household.display_level == DisplayLevel.ANONYMOUS
    assert household.consents.count() == 0


def test_a_story_naming_what_is_withheld_cannot_go_live(pages):
    # given: a household that shows its village but not its name
    _home, index = pages
    household = factories.household_create(
        public_name="陈家", display_level=DisplayLevel.VILLAGE
    )

    # when: every way of publishing saves the live page through clean()
    with pytest.raises(ValidationError) as error:
        factories.story_create(
            index=index,
            household=household,
            body=[("paragraph", "<p>陈家种了三亩菜地。</p>")],
        )

    # then
    assert error.value.messages == [
        "故事里写了农户未同意公开的内容（“陈家”）：请删去后再发布。"
    ]
    assert not HouseholdStoryPage.objects.filter(household=household).exists()


def test_a_listing_naming_the_household_is_refused(client, db):
    # given
    household = factories.household_create(
        slug="tang", public_name="唐奶奶", village="西新村"
    )
    worker = helpers.social_worker("w@agency.example", household)
    client.force_login(worker)
    factories.product_create(household=household, title="萝卜")  # the category
    category = household.partner.stockrecords.get().product.categories.get()

    # when
    response = client.post(
        reverse("listing:create", args=["tang"]),
        {
            "title": "干豇豆（唐奶奶）",
            "category": category.pk,
            "unit": "袋",
            "price": "18.00",
            "available": "10",
            "description": "西新村自产",
        },
    )

    # then
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title"] == [
        "请不要写农户的名字和村名（“唐奶奶”）：商店会在商品旁边按农户同意的程度显示它们。"
    ]
    assert errors["description"] == [
        "请不要写农户的名字和村名（“西新村”）：商店会在商品旁边按农户同意的程度显示它们。"
    ]
    assert household.partner.stockrecords.count() == 1


def test_display_level_cannot_be_changed_in_wagtail_or_django_admin(client, db):
    # given
    from django.contrib.auth import get_user_model

    household = factories.household_create(display_level=DisplayLevel.ANONYMOUS)
    admin = get_user_model().objects.create_superuser(
        username="root", email="root@bangfu.example", password="pw"
    )
    client.force_login(admin)
    edit = reverse("households:edit", args=[household.pk])
    form = client.get(edit)
    assert form.status_code == 200

    # when
    client.post(
        edit,
        {
            "organisation": household.organisation_id,
            "slug": "tang-beans",
            "nickname": "唐",
            "display_level": DisplayLevel.FULL_STORY,
            "public_name": household.public_name,
            "district": household.district,
            "town": household.town,
            "village": household.village,
            "introduction": "",
            "ships_itself": "on",
            "is_active": "on",
        },
    )
    client.post(
        reverse("admin:sellers_household_change", args=[household.pk]),
        {"display_level": DisplayLevel.FULL_STORY, "slug": "tang-beans"},
    )

    # then
    household = Household.objects.get(pk=household.pk)
    assert (household.nickname, household.slug, household.display_level) == (
        "唐",
        household.slug,
        DisplayLevel.ANONYMOUS,
    )
    assert household.slug != "tang-beans"


PUBLIC_TEMPLATES = [
    path
    for path in Path("templates").rglob("*")
    if path.is_file()
    and not any(
        part in path.as_posix()
        for part in (
            # Staff pages, except the packing slip that travels in the parcel.
            "templates/sellers/workspace/parcel",
            "templates/sellers/workspace/payout",
            "templates/sellers/workspace/statement",
            "templates/sellers/workspace/household",
            "templates/sellers/workspace/caseloads",
            "templates/sellers/workspace/consent",
            "templates/sellers/bureau/",
            "templates/catalog/listing/",
            "templates/sellers/notices/parcel_new_",
        )
    )
]
PUBLIC_CODE = [
    *Path("storefront").rglob("*.py"),
    *Path("catalog").rglob("*.py"),
]
DIRECT_READ = re.compile(
    r"household\w*\.(public_name|photo|village|town|display_name)\b"
    r"|\.household\.(public_name|photo|village|town)\b"
)


def test_nothing_public_reads_the_household_profile_around_the_presenter():
    # Staff-only code (the listing workspace, imports, the demo loader and
    # migrations) may; public code goes through sellers.public.
    staff_only = {
        "storefront/workspace/views/listing.py",
        "catalog/imports.py",
        "storefront/management/commands/load_demo.py",
    }
    offenders = [
        f"{path}:{number}"
        for path in [*PUBLIC_TEMPLATES, *PUBLIC_CODE]
        if path.exists()
        and "migrations" not in path.parts
        and path.as_posix() not in staff_only
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if DIRECT_READ.search(line)
    ]

    assert {
        "templates/includes/household_card.html",
        "templates/includes/product_card.html",
        "templates/storefront/household_story_page.html",
        "templates/sellers/notices/parcel_shipped_body.txt",
        "templates/oscar/communication/emails/commtype_order_placed_body.txt",
        "templates/sellers/workspace/packing_slip.html",
    } <= {path.as_posix() for path in PUBLIC_TEMPLATES}
    assert offenders == []


def test_the_migration_takes_names_out_of_codes_titles_and_urls(client, pages):
    # given: a household as the first wave registered it, its name in its
    # slug, its product's title, description and URL, and an order line
    import importlib
    from urllib.parse import unquote

    from django.apps import apps

    migration = importlib.import_module("sellers.migrations.0011_consent_everywhere")
    _home, index = pages
    household = factories.household_create(
        slug="tang-beans", public_name="唐奶奶", legal_name="唐某珍"
    )
    product = factories.product_create(household=household, title="干豇豆（唐奶奶）")
    product.description = "西新村农户自产的干豇豆。"
    product.save()
    old_product_url = product.get_absolute_url()
    story = factories.story_create(index=index, household=household)
    story.save_revision().publish()
    order = helpers.place_order((product, 1))
    # and a household that shows its village only, whose story (published
    # before the story check existed) names it
    chen = factories.household_create(slug="chen-veg", public_name="陈家")
    chen_story = factories.story_create(
        index=index,
        household=chen,
        body=[("paragraph", "<p>陈家种着三亩坡地。</p>")],
    )
    Household.objects.filter(pk=chen.pk).update(display_level=DisplayLevel.VILLAGE)
    chen.consents.update(display_level=DisplayLevel.VILLAGE)

    # when
    migration.forwards(apps, None)

    # then
    household.refresh_from_db()
    product.refresh_from_db()
    story.refresh_from_db()
    code = household.slug
    assert re.fullmatch(r"h[23456789abcdefghjkmnpqrstuvwxyz]{7}", code)
    assert (household.nickname, household.partner.name) == ("tang-beans", code)
    assert (product.title, product.description, product.slug) == (
        "干豇豆",
        "农户自产的干豇豆。",
        "干豇豆",
    )
    assert order.lines.get().title == "干豇豆"
    assert unquote(old_product_url) == f"/shop/catalogue/干豇豆唐奶奶_{product.pk}/"
    response = client.get(old_product_url)
    assert (response.status_code, response["Location"]) == (
        301,
        f"/shop/catalogue/%E5%B9%B2%E8%B1%87%E8%B1%86_{product.pk}/",
    )
    assert client.get("/households/tang-beans/").status_code == 404
    assert story.url == f"/households/{code}/"
    assert client.get(story.url).status_code == 200
    assert story.get_latest_revision().content["slug"] == code
    chen_story.refresh_from_db()
    assert (story.live, chen_story.live) == (True, False)
    assert client.get(chen_story.url).status_code == 404
