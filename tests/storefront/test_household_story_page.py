from decimal import Decimal

import pytest

from tests import factories


@pytest.fixture
def luo(pages, organisation):
    _home, index = pages
    household = factories.household_create(
        organisation=organisation, slug="luo-pond", public_name="罗大哥"
    )
    story = factories.story_create(index=index, household=household)
    return household, story


def test_story_lists_the_households_live_products_with_price_and_stock(client, luo):
    # given
    household, story = luo
    factories.product_create(
        household=household, title="草鱼", price=Decimal("15.00"), num_in_stock=120
    )
    factories.product_create(
        household=household, title="鲫鱼", price=Decimal("18.50"), num_in_stock=7
    )
    factories.product_create(household=household, title="下架的花鲢", is_public=False)
    other = factories.household_create(slug="wang-hens", public_name="王阿姨")
    factories.product_create(household=other, title="土鸡蛋")

    # when
    response = client.get(story.url)

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert [p.title for p in response.context["products"]] == ["鲫鱼", "草鱼"]
    assert "¥15.00" in html and "¥18.50" in html
    assert "还剩 120 斤" in html and "还剩 7 斤" in html
    assert "下架的花鲢" not in html
    assert "土鸡蛋" not in html


def test_sold_out_product_shows_sold_out_and_no_buy_button(client, luo):
    household, story = luo
    product = factories.product_create(household=household, num_in_stock=0)

    html = client.get(story.url).content.decode()

    assert "已售完" in html
    assert f'action="/shop/basket/add/{product.pk}/"' not in html


def test_product_page_shows_the_household_card_linking_to_its_story(client, luo):
    # given
    household, story = luo
    product = factories.product_create(household=household, title="草鱼")

    # when
    response = client.get(product.get_absolute_url())

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["household"] == household
    assert f'href="{story.url}"' in html
    assert "罗大哥" in html
    assert 'href="/shop/catalogue/household/luo-pond/"' in html


def test_product_page_without_live_story_has_no_story_link(client, luo):
    household, story = luo
    story.unpublish()
    product = factories.product_create(household=household)

    response = client.get(product.get_absolute_url())

    assert response.context["story_page"] is None
    assert "读读这户人家的故事" not in response.content.decode()


def test_story_of_deactivated_household_is_not_listed(client, pages, luo):
    # given
    _home, index = pages
    household, story = luo
    from sellers.households.services import household_deactivate

    household_deactivate(household=household)

    # when
    response = client.get(index.url)

    # then
    assert list(response.context["stories"]) == []
