"""The listing screen edits what a buyer reads before paying: the household's
delivery promise, a product's own, and its fish facts; each change audited."""

import pytest
from django.urls import reverse
from oscar.apps.catalogue.categories import create_from_breadcrumbs

from sellers.models import AuditAction, AuditEvent, Household
from tests.sellers.helpers import two_caseloads

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseloads():
    return two_caseloads()


def listing_post(**overrides):
    data = {
        "title": "草鱼",
        "category": str(create_from_breadcrumbs("鲜鱼").pk),
        "unit": "条",
        "price": "15.00",
        "available": "100",
        "harvest_date": "",
        "description": "",
        "delivery_promise": "",
        "fish_state": "",
        "fish_weight": "",
    }
    data.update(overrides)
    return data


def test_social_worker_sets_the_households_promise(client, caseloads):
    _products, (luo, _wang, _chen), (worker_a, _b) = caseloads
    client.force_login(worker_a)

    response = client.post(
        reverse("listing:promise", args=["luo"]),
        {"delivery_promise": " 现捕现发，顺丰冷链，48小时内发货 "},
    )

    assert response.status_code == 302
    assert Household.objects.get(pk=luo.pk).delivery_promise == (
        "现捕现发，顺丰冷链，48小时内发货"
    )
    event = AuditEvent.objects.get(action=AuditAction.DELIVERY_PROMISE_CHANGED)
    assert (event.actor, event.household, event.changes) == (
        worker_a,
        luo,
        {"delivery_promise": ["", "现捕现发，顺丰冷链，48小时内发货"]},
    )
    page = client.get(reverse("listing:household", args=["luo"]))
    assert page.context["promise_form"].initial == {
        "delivery_promise": "现捕现发，顺丰冷链，48小时内发货"
    }


def test_saving_the_same_promise_again_records_nothing(client, caseloads):
    _products, (luo, _wang, _chen), (worker_a, _b) = caseloads
    Household.objects.filter(pk=luo.pk).update(delivery_promise="48小时内发货")
    client.force_login(worker_a)

    client.post(
        reverse("listing:promise", args=["luo"]), {"delivery_promise": "48小时内发货"}
    )

    assert not AuditEvent.objects.filter(
        action=AuditAction.DELIVERY_PROMISE_CHANGED
    ).exists()


def test_another_caseloads_household_promise_is_a_404(client, caseloads):
    _products, (_luo, _wang, chen), (worker_a, _b) = caseloads
    client.force_login(worker_a)

    response = client.post(
        reverse("listing:promise", args=["chen"]), {"delivery_promise": "明天发货"}
    )

    assert response.status_code == 404
    assert Household.objects.get(pk=chen.pk).delivery_promise == ""


def test_a_too_long_promise_is_refused(client, caseloads):
    _products, (luo, _wang, _chen), (worker_a, _b) = caseloads
    client.force_login(worker_a)

    response = client.post(
        reverse("listing:promise", args=["luo"]), {"delivery_promise": "快" * 61}
    )

    assert response.status_code == 200
    assert response.context["promise_form"].errors["delivery_promise"] == [
        "确保该变量包含不超过 60 字符 (目前字符数 61)。"
    ]
    assert Household.objects.get(pk=luo.pk).delivery_promise == ""


def test_social_worker_sets_a_products_promise_and_fish_facts(client, caseloads):
    (fish, _eggs, _bacon), (luo, _wang, _chen), (worker_a, _b) = caseloads
    client.force_login(worker_a)

    response = client.post(
        reverse("listing:edit", args=[fish.pk]),
        listing_post(
            delivery_promise="当天捕捞，顺丰冷链",
            fish_state="live",
            fish_weight="1.5",
        ),
    )

    assert response.status_code == 302
    fish.refresh_from_db()
    fish.attr.invalidate()
    assert (
        fish.attr.delivery_promise,
        fish.attr.fish_state,
        fish.attr.fish_weight,
    ) == ("当天捕捞，顺丰冷链", "live", 1.5)
    event = AuditEvent.objects.get(action=AuditAction.PRODUCT_CHANGED)
    assert (event.actor, event.household) == (worker_a, luo)
    assert {
        field: event.changes[field]
        for field in ("delivery_promise", "fish_state", "fish_weight")
    } == {
        "delivery_promise": [None, "当天捕捞，顺丰冷链"],
        "fish_state": [None, "live"],
        "fish_weight": [None, "1.5"],
    }
    page = client.get(reverse("listing:edit", args=[fish.pk]))
    initial = page.context["form"].initial
    assert (
        initial["delivery_promise"],
        initial["fish_state"],
        initial["fish_weight"],
    ) == ("当天捕捞，顺丰冷链", "live", 1.5)


def test_clearing_the_fish_facts_removes_them_and_is_audited(client, caseloads):
    (fish, _eggs, _bacon), _households, (worker_a, _b) = caseloads
    client.force_login(worker_a)
    client.post(
        reverse("listing:edit", args=[fish.pk]),
        listing_post(fish_state="chilled", fish_weight="2"),
    )

    client.post(reverse("listing:edit", args=[fish.pk]), listing_post())

    fish.attr.invalidate()
    assert not hasattr(fish.attr, "fish_state")
    assert not hasattr(fish.attr, "fish_weight")
    last = AuditEvent.objects.filter(action=AuditAction.PRODUCT_CHANGED).first()
    assert last.changes == {
        "fish_state": ["chilled", None],
        "fish_weight": ["2.0", None],
    }


def test_a_promise_naming_the_household_is_refused(client, caseloads):
    (fish, _eggs, _bacon), _households, (worker_a, _b) = caseloads
    client.force_login(worker_a)

    response = client.post(
        reverse("listing:edit", args=[fish.pk]),
        listing_post(delivery_promise="罗大哥亲自打包"),
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["delivery_promise"]
