"""The data of bench/reports.py: households up to 2,000, two products each, and
two years of orders, bulk-written as checkout and capture write them.

Imported after django.setup() (bench/reports.py --inner). The same seed gives
the same data: every step draws from the one random generator in a fixed order.
"""

import datetime
import sys
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from sellers.models import (
    AssistanceCategory,
    Campaign,
    CampaignOrder,
    EntryKind,
    Household,
    HouseholdRecord,
    LedgerEntry,
    Organisation,
    Parcel,
    ParcelLine,
    ParcelStatus,
)
from storefront.checkout.statuses import OrderStatus

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
Order = get_model("order", "Order")
Line = get_model("order", "Line")

HOUSEHOLDS = 2000
DAYS = 730
CHUNK = 5000
TOWNS = ["统景镇", "木耳镇", "兴隆镇", "大盛镇", "茨竹镇", "古路镇"]
CHANNELS = ["wechat_group", "wechat_article", "douyin_video", "market_stall"]


def generate(lines_wanted: int, rng, end: datetime.date) -> dict:
    """Orders over the two years before `end` until there are `lines_wanted`
    order lines; what was made, counted."""
    organisation = Organisation.objects.order_by("pk").first()
    households = households_add(organisation, rng)
    products_add(households, rng)
    offers = offers_by_household()
    campaigns = campaigns_add(organisation, end)
    start = timezone.make_aware(
        datetime.datetime.combine(end - datetime.timedelta(days=DAYS), datetime.time())
    )
    times = order_times(lines_wanted, rng)
    household_ids = list(offers)
    # Orders in time order, so that each household's ledger runs 1, 2, 3…
    # with its balance.
    heads = {pk: (0, Decimal(0)) for pk in offers}
    made = {"orders": 0, "lines": 0, "parcels": 0, "refunds": 0}
    number = 0
    while made["lines"] < lines_wanted:
        chunk = times[number : number + CHUNK]
        if not chunk:
            break
        orders, used, lines = orders_build(
            [start + datetime.timedelta(seconds=offset) for offset in chunk],
            first_number=number + 1,
            offers=offers,
            household_ids=household_ids,
            room=lines_wanted - made["lines"],
            rng=rng,
        )
        number += used
        made["lines"] += lines
        Order.objects.bulk_create([order for order, _basket in orders])
        parcels, links = parcels_build(orders, campaigns, rng)
        order_lines_write(orders, parcels)
        parcel_lines, entries, refunds = ledger_build(parcels, heads)
        ParcelLine.objects.bulk_create(parcel_lines, batch_size=2000)
        with transaction.atomic():
            LedgerEntry.objects.bulk_create(entries, batch_size=2000)
        CampaignOrder.objects.bulk_create(links, batch_size=2000)
        made["orders"] += len(orders)
        made["parcels"] += len(parcels)
        made["refunds"] += refunds
        print(f"  {made['lines']:,} lines", file=sys.stderr)
    return made


def households_add(organisation, rng) -> list:
    """Households up to 2,000, shared among four organisations, with protected
    records (members, assistance category)."""
    others = [
        Organisation.objects.get_or_create(
            slug=f"bench-org-{n}", defaults={"name": f"基准社工机构{n}"}
        )[0]
        for n in range(3)
    ]
    have = Household.objects.count()
    partners = Partner.objects.bulk_create(
        Partner(name=f"基准农户{n}", code=f"bench-p{n}")
        for n in range(have, HOUSEHOLDS)
    )
    households = Household.objects.bulk_create(
        Household(
            partner=partner,
            organisation=[organisation, *others][n % 4],
            slug=f"bench-h{n}",
            district="渝北区",
            town=TOWNS[n % len(TOWNS)],
            village=f"{TOWNS[n % len(TOWNS)][:2]}{n % 25}村",
        )
        for n, partner in enumerate(partners)
    )
    categories = list(AssistanceCategory.values)
    HouseholdRecord.objects.bulk_create(
        HouseholdRecord(
            household=h,
            legal_name="测试",
            members=rng.randint(1, 6),
            assistance_category=rng.choice(categories),
        )
        for h in households
    )
    return households


def products_add(households: list, rng) -> None:
    """Two products per new household, in the demo's categories and class."""
    template = Product.objects.filter(stockrecords__isnull=False).order_by("pk").first()
    category_ids = list(
        ProductCategory.objects.values_list("category_id", flat=True).distinct()
    )
    products = Product.objects.bulk_create(
        Product(
            title=f"基准商品{h.pk}-{k}",
            slug=f"bench-r{h.pk}-{k}",
            product_class_id=template.product_class_id,
            is_public=True,
        )
        for h in households
        for k in range(2)
    )
    ProductCategory.objects.bulk_create(
        ProductCategory(product=p, category_id=rng.choice(category_ids))
        for p in products
    )
    StockRecord.objects.bulk_create(
        StockRecord(
            product=p,
            partner_id=households[i // 2].partner_id,
            partner_sku=f"bench-r{p.pk}",
            price_currency="CNY",
            price=Decimal(rng.randrange(800, 9000)) / 100,
            num_in_stock=10**6,
        )
        for i, p in enumerate(products)
    )


def offers_by_household() -> dict[int, list]:
    """Each household's stock records, by household id."""
    offers: dict[int, list] = {}
    for record in StockRecord.objects.select_related("partner__household"):
        household = getattr(record.partner, "household", None)
        if household is not None:
            offers.setdefault(household.pk, []).append(record)
    return offers


def campaigns_add(organisation, end: datetime.date) -> list:
    """20 campaigns running over the two years, on the four channels."""
    officer = get_user_model().objects.filter(is_superuser=True).first()
    return Campaign.objects.bulk_create(
        Campaign(
            organisation=organisation,
            name=f"基准推广{n}",
            channel=CHANNELS[n % 4],
            code=f"bench{n:03d}",
            starts_on=end - datetime.timedelta(days=760),
            ends_on=end,
            created_by=officer,
        )
        for n in range(20)
    )


def order_times(lines_wanted: int, rng) -> list[int]:
    """Seconds into the two years: about 2.33 lines an order (1.75 households
    of 1.33 lines), spread evenly for that many orders, jittered."""
    seconds = DAYS * 86400
    expected = int(lines_wanted / 2.33) + 1
    step = seconds / expected
    return [
        min(seconds - 1, int(i * step + rng.random() * step))
        for i in range(expected * 2)
    ]


def basket_draw(offers: dict, household_ids: list, rng) -> list[tuple]:
    """(household id, stock record, quantity) of one order: 1–3 households,
    1–2 of their products each."""
    basket = []
    for household in rng.sample(household_ids, rng.choice((1, 1, 2, 3))):
        for record in rng.sample(offers[household], rng.choice((1, 1, 2))):
            basket.append((household, record, rng.choice((1, 1, 2, 3))))
    return basket


def orders_build(moments, *, first_number, offers, household_ids, room, rng):
    """Unsaved orders placed at `moments`, each with its basket, until `room`
    lines are used; also how many moments were used and how many lines."""
    orders, used, lines = [], 0, 0
    for placed in moments:
        used += 1
        basket = basket_draw(offers, household_ids, rng)
        basket = basket[: room - lines]
        if not basket:
            break
        lines += len(basket)
        order = Order(
            number=f"B{first_number + used - 1:08d}",
            currency="CNY",
            total_incl_tax=0,
            total_excl_tax=0,
            shipping_incl_tax=0,
            shipping_excl_tax=0,
            status=OrderStatus.PAID,
            guest_email=f"buyer{rng.randrange(40000)}@example.com",
            date_placed=placed,
        )
        orders.append((order, basket))
    return orders, used, lines


def parcels_build(orders, campaigns, rng):
    """Each order's lines grouped in one unsaved parcel per household (2 % of
    them cancelled and refunded), the order's total, and one order in ten
    linked to a campaign. Parcels come as (parcel, its lines, cancelled)."""
    parcels, links = [], []
    for order, basket in orders:
        per_household: dict[int, list] = {}
        for household, record, quantity in basket:
            per_household.setdefault(household, []).append(
                _line(order, record, quantity)
            )
        total = Decimal(0)
        for household, its_lines in per_household.items():
            goods = sum(line.line_price_incl_tax for line in its_lines)
            delivery = Decimal(0) if goods >= 99 else Decimal(10)
            total += goods + delivery
            cancelled = rng.random() < 0.02
            parcel = Parcel(
                order=order,
                household_id=household,
                goods_total=goods,
                delivery_charge=delivery,
                status=ParcelStatus.CANCELLED if cancelled else ParcelStatus.DELIVERED,
                refunded=goods + delivery if cancelled else 0,
            )
            parcels.append((parcel, its_lines, cancelled))
        order.total_incl_tax = order.total_excl_tax = total
        if rng.random() < 0.1:
            links.append(CampaignOrder(order=order, campaign=rng.choice(campaigns)))
    return parcels, links


def _line(order, record, quantity: int):
    price = record.price * quantity
    return Line(
        order=order,
        partner_id=record.partner_id,
        partner_name=record.partner.name,
        partner_sku=record.partner_sku,
        stockrecord=record,
        product_id=record.product_id,
        title="基准商品",
        quantity=quantity,
        line_price_incl_tax=price,
        line_price_excl_tax=price,
        line_price_before_discounts_incl_tax=price,
        line_price_before_discounts_excl_tax=price,
        unit_price_incl_tax=record.price,
        unit_price_excl_tax=record.price,
        num_allocated=quantity,
    )


def order_lines_write(orders, parcels) -> None:
    """The orders' totals, their lines and their parcels, in bulk."""
    Order.objects.bulk_update(
        [order for order, _basket in orders], ["total_incl_tax", "total_excl_tax"]
    )
    Line.objects.bulk_create(
        [line for _parcel, its_lines, _cancelled in parcels for line in its_lines],
        batch_size=2000,
    )
    Parcel.objects.bulk_create([p for p, *_rest in parcels], batch_size=2000)


def ledger_build(parcels, heads: dict):
    """Parcel lines and ledger entries of saved parcels: a sale credit five
    minutes after the order, a refund debit the next day for a cancelled one.
    `heads` (household id → last seq and balance) moves on; also the number of
    refunds."""
    parcel_lines, entries, refunds = [], [], []
    for parcel, its_lines, cancelled in parcels:
        placed = parcel.order.date_placed
        parcel_lines += [ParcelLine(parcel=parcel, line=line) for line in its_lines]
        share = parcel.goods_total + parcel.delivery_charge
        entries.append(_entry(heads, parcel, EntryKind.SALE, share, placed, minutes=5))
        if cancelled:
            refunds.append((parcel, share, placed))
    for parcel, share, placed in refunds:
        entries.append(_entry(heads, parcel, EntryKind.REFUND, -share, placed, days=1))
    return parcel_lines, entries, len(refunds)


def _entry(heads, parcel, kind, amount, placed, **after):
    seq, balance = heads[parcel.household_id]
    heads[parcel.household_id] = (seq + 1, balance + amount)
    return LedgerEntry(
        household_id=parcel.household_id,
        seq=seq + 1,
        kind=kind,
        amount=amount,
        balance=balance + amount,
        parcel=parcel,
        created_at=placed + datetime.timedelta(**after),
    )
