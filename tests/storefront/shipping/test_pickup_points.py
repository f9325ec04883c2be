"""The community pickup points a buyer may choose: cached with the public
pages, so that the basket and checkout pages do not ask for them each time,
and retired with them when one opens or closes."""

from sellers.models import PickupPoint
from tests.storefront.checkout import helpers


def shipping_method_page(client) -> str:
    response = client.get("/shop/checkout/shipping-method/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_or_closed_pickup_point_shows_on_the_next_page(
    client, organisation, django_capture_on_commit_callbacks
):
    # given: a buyer at the choice of delivery, one pickup point open
    fish, eggs = helpers.two_households()
    with django_capture_on_commit_callbacks(execute=True):
        old = PickupPoint.objects.create(
            organisation=organisation,
            name="龙塔街道社区服务站",
            address="新牌坊一路88号",
        )
    helpers.add_to_basket(client, fish)
    client.post(
        "/shop/checkout/", {"username": "b@example.com", "options": "anonymous"}
    )
    assert (
        client.post("/shop/checkout/shipping-address/", helpers.ADDRESS).status_code
        == 302
    )
    assert "龙塔街道社区服务站" in shipping_method_page(client)  # now cached

    # when: it closes and another opens
    with django_capture_on_commit_callbacks(execute=True):
        old.is_active = False
        old.save()
        PickupPoint.objects.create(
            organisation=organisation, name="回兴街道便民点", address="双湖路1号"
        )

    # then
    html = shipping_method_page(client)
    assert ("龙塔街道社区服务站" in html, "回兴街道便民点" in html) == (False, True)
