"""The consent migration takes names out of codes, titles and URLs (issue 12)."""

import re

from sellers.models import DisplayLevel, Household
from tests import factories
from tests.sellers import helpers


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
