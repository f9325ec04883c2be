"""The demo store's sales plans: one per household, sensible from the seed."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from sellers.models import Household, SalesPlan
from storefront.demo import data
from storefront.demo.plans import plan_dates

pytestmark = pytest.mark.django_db


def test_every_demo_household_has_a_plan_and_the_fish_pond_its_two_thousand_fish():
    # when
    call_command("load_demo", stdout=StringIO())

    # then
    plans = SalesPlan.objects.select_related("household").prefetch_related("items")
    assert plans.count() == len(data.HOUSEHOLDS) == Household.objects.count()
    fish = plans.get(household__nickname="luo-pond")
    assert fish.target_income == Decimal("5000.00")
    assert [(i.produce, i.quantity, i.unit) for i in fish.items.all()] == [
        ("草鱼、鲫鱼、花鲢", Decimal("2000.00"), "条")
    ]
    assert (fish.starts_on, fish.ends_on) == plan_dates(timezone.localdate())
    eggs = plans.get(household__nickname=data.HOUSEHOLDS[1][0])
    assert all(item.product is not None for item in eggs.items.all())


def test_the_demo_season_starts_with_the_history_and_ends_after_next_month():
    assert plan_dates(datetime.date(2026, 12, 6)) == (
        datetime.date(2026, 8, 1),
        datetime.date(2027, 2, 28),
    )
