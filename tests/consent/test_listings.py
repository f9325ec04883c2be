"""A listing naming its household is refused (issue 12)."""

from django.urls import reverse

from tests import factories
from tests.sellers import helpers


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
