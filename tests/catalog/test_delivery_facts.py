"""What a buyer reads on a product card and page before paying: when and how
it ships, the fish (live or chilled, weight per fish), what delivery costs;
prices include tax, so no tax rows."""

import re
from decimal import Decimal

import pytest

from sellers.models import Household
from tests import factories


def texts(html: str, css_class: str) -> list[str]:
    """The text of each element carrying this class, whitespace collapsed."""
    pattern = rf'class="[^"]*\b{css_class}\b[^"]*"[^>]*>(.*?)</'
    return [" ".join(t.split()) for t in re.findall(pattern, html, flags=re.S)]


def pages(client, product) -> tuple[str, str]:
    """The product's page and the catalogue (its card), as HTML."""
    return (
        client.get(product.get_absolute_url()).content.decode(),
        client.get("/shop/catalogue/").content.decode(),
    )


@pytest.fixture
def luo(db):
    household = factories.household_create(slug="luo", public_name="罗大哥")
    Household.objects.filter(pk=household.pk).update(
        delivery_promise="现捕现发，顺丰冷链，48小时内发货"
    )
    household.refresh_from_db()
    return household


def test_card_and_page_show_the_households_promise(client, luo):
    fish = factories.product_create(household=luo)

    page, listing = pages(client, fish)

    assert texts(page, "delivery-promise") == ["现捕现发，顺丰冷链，48小时内发货"]
    assert texts(listing, "delivery-promise") == ["现捕现发，顺丰冷链，48小时内发货"]


def test_a_products_own_promise_overrides_its_households(client, luo):
    factories.product_create(household=luo, title="草鱼")
    bacon = factories.product_create(
        household=luo, title="腊肉", delivery_promise="柴火熏制，下单后三天内发货"
    )

    page, listing = pages(client, bacon)

    assert texts(page, "delivery-promise") == ["柴火熏制，下单后三天内发货"]
    assert texts(listing, "delivery-promise") == [
        "柴火熏制，下单后三天内发货",
        "现捕现发，顺丰冷链，48小时内发货",
    ]


def test_without_any_promise_nothing_is_promised(client, db):
    household = factories.household_create(slug="wang")
    eggs = factories.product_create(household=household, title="土鸡蛋", unit="盒")

    page, listing = pages(client, eggs)

    assert texts(page, "delivery-promise") == []
    assert texts(listing, "delivery-promise") == []


def test_card_and_page_say_live_or_chilled_and_the_weight_per_fish(client, luo):
    factories.product_create(
        household=luo,
        title="鲜活草鱼",
        unit="条",
        fish_state="live",
        fish_weight=Decimal("1.5"),
    )
    chilled = factories.product_create(
        household=luo, title="冰鲜鲫鱼", fish_state="chilled", fish_weight=Decimal("2")
    )

    page, listing = pages(client, chilled)

    assert texts(page, "fish-facts") == ["冰鲜，约2斤/条"]
    assert texts(listing, "fish-facts") == ["冰鲜，约2斤/条", "活鱼，约1.5斤/条"]
    assert texts(listing, "product-card__unit") == ["/ 斤", "/ 条"]
    # Said once, beside the price, not again in the product's table.
    assert "每条约重" not in page
    assert "活鱼或冰鲜" not in page


@pytest.mark.parametrize(
    ("fee", "threshold", "line"),
    [
        ("10.00", "99.00", "每户包裹运费¥10，满¥99包邮"),
        ("12.50", "150.00", "每户包裹运费¥12.50，满¥150包邮"),
        ("0.00", "99.00", "全部包邮"),
    ],
)
def test_card_and_page_say_what_delivery_costs_from_the_settings(
    client, luo, settings, fee, threshold, line
):
    settings.BANGFU_PARCEL_DELIVERY_FEE = Decimal(fee)
    settings.BANGFU_FREE_DELIVERY_THRESHOLD = Decimal(threshold)
    fish = factories.product_create(household=luo)

    page, listing = pages(client, fish)

    assert texts(page, "delivery-terms") == [line]
    assert texts(listing, "delivery-terms") == [line]


def test_the_product_page_has_no_tax_rows(client, luo):
    fish = factories.product_create(household=luo, price=Decimal("38.00"))

    page, _listing = pages(client, fish)

    assert '<p class="price_color">¥38.00<span' in page
    assert "税" not in page
