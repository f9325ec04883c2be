"""Oscar's bulk actions write with queryset.update(), which sends no signal:
posting one retires the cached pages, the guest's basket page among them."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.test import Client

from tests.storefront.checkout import helpers
from tests.storefront.test_basket_page_cache import lines_shown, page


def test_a_bulk_price_change_shows_on_a_cached_basket_page(
    client, db, django_capture_on_commit_callbacks
):
    # given: a guest's basket page cached with two fish at ¥15
    fish, _eggs = helpers.two_households()
    helpers.add_to_basket(client, fish, quantity=2)
    page(client)
    page(client)
    staff = Client()
    staff.force_login(
        get_user_model().objects.create_superuser("staff", "s@example.com", "x")
    )

    # when: staff set ¥18 for the fish through Oscar's bulk price action
    chosen = staff.post(
        "/shop/dashboard/catalogue/",
        {"action": "set_product_price", "selected_product": [fish.pk]},
    )
    partner = fish.stockrecords.get().partner_id
    with django_capture_on_commit_callbacks(execute=True):
        done = staff.post(
            chosen["Location"],
            {
                "selected_products": [fish.pk],
                "new_price": "18.00",
                "partners": [partner],
            },
        )

    # then: the price changed, and the guest's page shows it
    html, _queries = page(client)
    assert (chosen.status_code, done.status_code) == (302, 302)
    assert fish.stockrecords.get().price == Decimal("18.00")
    assert lines_shown(html) == ["¥18.00 / 斤 × 2 斤 = ¥36.00"]
