"""Test data built through the same services and Oscar factories the app uses."""

import itertools
from datetime import date
from decimal import Decimal

import factory
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model
from wagtail.models import Page, Site

from catalog import services as catalog_services
from sellers.consent.services import consent_record
from sellers.households import services as household_services
from sellers.models import DisplayLevel, Household, Organisation
from storefront.models import HomePage, HouseholdIndexPage, HouseholdStoryPage

Partner = get_model("partner", "Partner")

_numbers = itertools.count(1)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"社工机构{n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")
    district = "渝北区"


def household_create(
    *,
    organisation=None,
    slug: str | None = None,
    public_name: str = "罗大哥",
    display_level: str = DisplayLevel.GIVEN_NAME,
    town: str = "统景镇",
    village: str = "西新村",
    legal_name: str = "罗某银",
    record: dict | None = None,
    introduction: str = "",
    scope=None,
):
    """A household registered through the service, with its protected record
    and, unless it is anonymous, a consent to its display level (recorded
    through the consent service, the only way a level is set).

    The service gives every household a random public code; a test that
    names a `slug` gets that code instead (and as nickname), so that its URLs
    and expected tables stay readable. The names given here are no
    household's name."""
    number = next(_numbers)
    household = household_services.household_create(
        organisation=organisation or OrganisationFactory(),
        nickname=slug or f"household-{number}",
        legal_name=legal_name,
        public_name=public_name,
        district="渝北区",
        town=town,
        village=village,
        introduction=introduction,
        record=record,
    )
    if slug:
        Household.objects.filter(pk=household.pk).update(slug=slug)
        Partner.objects.filter(pk=household.partner_id).update(name=slug, code=slug)
        household.refresh_from_db()
        household.partner.refresh_from_db()
    if display_level != DisplayLevel.ANONYMOUS or scope is not None:
        consent_create(household, level=display_level, scope=scope)
        household.refresh_from_db()
    return household


def default_scope(level: str) -> tuple[str, ...]:
    if level == DisplayLevel.ANONYMOUS:
        return ("story",)
    if level == DisplayLevel.VILLAGE:
        return ("story", "village", "photos")
    return ("story", "village", "name", "photos")


def product_create(
    *,
    household,
    title: str = "草鱼",
    price: Decimal = Decimal("15.00"),
    num_in_stock: int = 100,
    unit: str = "斤",
    category: str | None = "鲜鱼",
    is_public: bool = True,
    available_from: date | None = None,
    **extras,
):
    """One household's offering, made through the catalogue's service;
    `extras`: its delivery promise and fish facts (catalog LISTING_EXTRAS)."""
    return catalog_services.product_create(
        household=household,
        title=title,
        category=create_from_breadcrumbs(category) if category else None,
        unit=unit,
        price=price,
        available=num_in_stock,
        harvest_date=available_from,
        is_public=is_public,
        **extras,
    )


def page_tree():
    """Home page and households index replacing Wagtail's welcome page."""
    root = Page.get_first_root_node()
    welcome = Page.objects.filter(depth=2, slug="home").first()
    if welcome is not None:
        welcome.slug = "wagtail-welcome"
        welcome.save(update_fields=["slug"])
    home = root.add_child(instance=HomePage(title="帮扶集市", slug="home"))
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    if welcome is not None:
        welcome.delete()
    index = home.add_child(
        instance=HouseholdIndexPage(title="农户故事", slug="households")
    )
    return home, index


def consent_create(household, *, by=None, level=None, scope=None):
    """The household's signed consent, recorded through the service."""
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile

    by = (
        by
        or get_user_model().objects.get_or_create(
            username="consent-recorder", defaults={"email": "recorder@agency.example"}
        )[0]
    )
    level = level or household.display_level
    return consent_record(
        household=household,
        acting_user=by,
        display_level=level,
        scope=list(default_scope(level) if scope is None else scope),
        given_on=date(2026, 11, 1),
        signed_form=ContentFile(b"%PDF-1.4\n% signed\n", name="form.pdf"),
        witness="村主任",
        minors_appear=False,
    )


def story_create(
    *,
    index,
    household,
    title: str | None = None,
    body=None,
    consent=True,
    summary: str = "summary",
):
    """A live story page; the household's consent is recorded first (a story
    cannot go live without it) unless consent=False."""
    if consent and household.consents.filter(withdrawn_at=None).first() is None:
        consent_create(household)
    story = HouseholdStoryPage(
        title=title or f"{household.public.name}的故事",
        slug=household.slug,
        household=household,
        summary=summary,
        body=body or [],
    )
    index.add_child(instance=story)
    return story
