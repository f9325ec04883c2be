"""Oscar's dashboard sends a social worker to the workspace's parcels and
shows him no whole order."""

import pytest

from tests.sellers import helpers

pytestmark = pytest.mark.usefixtures("stripe_settings")


def test_the_dashboard_sends_a_social_worker_to_his_parcels_only(client, shop):
    # given
    client.force_login(shop["a"])
    order = shop["order"]

    # when / then
    assert client.get("/shop/dashboard/orders/")["Location"] == "/workspace/parcels/"
    detail = client.get(f"/shop/dashboard/orders/{order.number}/")
    assert detail.status_code == 302
    assert detail["Location"] == f"/workspace/parcels/?order={order.number}"
    staff_only = (
        f"/shop/dashboard/orders/{order.number}/lines/{order.lines.first().pk}/",
        f"/shop/dashboard/orders/{order.number}/shipping-address/",
        "/shop/dashboard/orders/statistics/",
    )
    assert [client.get(url).status_code for url in staff_only] == [403, 403, 403]
    posted = client.post(
        f"/shop/dashboard/orders/{order.number}/",
        {"order_action": "change_order_status", "new_status": "cancelled"},
    )
    assert posted.status_code == 403
    order.refresh_from_db()
    assert order.status == "paid"


def test_the_dashboard_hides_an_order_without_his_households(client, shop):
    # given: an order of 陈叔 only
    bacon = shop["parcels"]["chen"].lines.first().product
    only_b = helpers.paid_order((bacon, 1))
    client.force_login(shop["a"])

    assert client.get(f"/shop/dashboard/orders/{only_b.number}/").status_code == 404


def test_the_dashboard_home_shows_a_social_worker_no_whole_order_figures(
    client, shop, django_user_model
):
    client.force_login(shop["a"])

    response = client.get("/shop/dashboard/")

    assert response.status_code == 302
    assert response["Location"] == "/workspace/parcels/"
    # administrators still get Oscar's dashboard and whole orders
    staff = django_user_model.objects.create_superuser(
        username="staff", email="staff@example.com", password="x-pass-2026"
    )
    client.force_login(staff)
    assert client.get("/shop/dashboard/").status_code == 200
    assert client.get("/shop/dashboard/orders/").status_code == 200
    order_page = client.get(f"/shop/dashboard/orders/{shop['order'].number}/")
    assert order_page.status_code == 200
    assert (
        "陈叔" in order_page.content.decode() or "chen" in order_page.content.decode()
    )
