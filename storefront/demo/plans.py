"""A sales plan per demo household, written through the plan services as its
social worker would: the season runs from the first day of the sales
history (four months back) to the end of the month after next, so the
workspace and the bureau's report show plans part-way, some behind."""

import datetime
from decimal import Decimal

from sellers.plans.services import plan_create
from sellers.reporting.periods import months_back

from . import data

# The fish household of the seed story: two thousand fish out of the pond at
# the year's end, ¥5,000 hoped for.
FISH = ("luo-pond", "草鱼、鲫鱼、花鲢", Decimal("2000"), "条", Decimal("5000"))
# Others: twice each listing's stock over the season, the target what that
# would fetch at the listed price (to the hundred yuan).
SEASON_STOCK = 2


def _month_after(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def plan_dates(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = months_back(today.replace(day=1), 4)
    end = _month_after(_month_after(_month_after(today.replace(day=1))))
    return start, end - datetime.timedelta(days=1)


def plans_load(*, households: list, workers: list, today: datetime.date) -> int:
    """One plan for each (household, its row of data.HOUSEHOLDS), written
    by the given social worker; returns how many."""
    start, end = plan_dates(today)
    harvest = (max(start, end - datetime.timedelta(days=60)), end)
    for (household, row), worker in zip(households, workers, strict=True):
        nickname, offers = row[0], row[6]
        channels = ["微信群", "社区团购"]
        if nickname == FISH[0]:
            _nick, produce, quantity, unit, target = FISH
            items = [{"produce": produce, "quantity": quantity, "unit": unit}]
            channels.append("抖音")
        else:
            products = {
                record.product.title: record.product
                for record in household.partner.stockrecords.select_related("product")
            }
            items, target = [], Decimal(0)
            for kind, stock in offers:
                _category, unit, price, _drawing = data.PRODUCE[kind]
                quantity = Decimal(stock * SEASON_STOCK)
                items.append(
                    {"product": products[kind], "quantity": quantity, "unit": unit}
                )
                target += quantity * price
            target = max((target / 100).quantize(Decimal(1)) * 100, Decimal(100))
        for item in items:
            item["harvest_from"], item["harvest_until"] = harvest
        plan_create(
            household=household,
            acting_user=worker,
            season=f"{start:%Y年%m月}–{end:%Y年%m月}",
            starts_on=start,
            ends_on=end,
            target_income=target,
            channels=channels,
            notes="社工每月和农户一起看一次进度。",
            items=items,
        )
    return len(households)
