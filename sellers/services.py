"""Every write to the sellers domain goes through a function here."""

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify
from oscar.core.loading import get_model

from .models import (
    DisplayLevel,
    Household,
    HouseholdRecord,
    MemberRole,
    Membership,
    Organisation,
    Parcel,
)

Partner = get_model("partner", "Partner")


@transaction.atomic
def household_create(
    *,
    organisation: Organisation,
    slug: str,
    legal_name: str,
    district: str,
    town: str,
    village: str,
    public_name: str = "",
    display_level: str = DisplayLevel.ANONYMOUS,
    introduction: str = "",
    record: dict | None = None,
) -> Household:
    """Register a household with its Oscar partner and its protected record."""
    # The partner's name shows in Oscar's dashboard and on order lines, so it
    # carries the slug, never the legal name.
    partner = Partner.objects.create(name=slug, code=slugify(slug, allow_unicode=True))
    household = Household.objects.create(
        partner=partner,
        organisation=organisation,
        slug=slug,
        public_name=public_name,
        display_level=display_level,
        district=district,
        town=town,
        village=village,
        introduction=introduction,
    )
    HouseholdRecord.objects.create(
        household=household, legal_name=legal_name, **(record or {})
    )
    return household


def household_deactivate(*, household: Household) -> Household:
    """Take a household off the storefront; its history stays."""
    household.is_active = False
    household.save(update_fields=["is_active"])
    return household


@transaction.atomic
def caseload_assign(*, household: Household, social_worker) -> None:
    """Give a social worker a household: he may then list and ship for it."""
    Membership.objects.get_or_create(
        user=social_worker,
        organisation=household.organisation,
        role=MemberRole.SOCIAL_WORKER,
    )
    household.partner.users.add(social_worker)


@transaction.atomic
def order_route_to_households(
    *, order, delivery_charge: Callable[[Decimal], Decimal]
) -> list[Parcel]:
    """Split a placed order into one parcel per household, with its delivery charge.

    `delivery_charge` gives a parcel's charge from its goods total, as the
    order's shipping method charged it.
    """
    goods: dict[int, Decimal] = defaultdict(Decimal)
    for line in order.lines.all():
        goods[line.partner_id] += line.line_price_incl_tax
    households = Household.objects.in_bulk(list(goods), field_name="partner_id")
    missing = set(goods) - set(households)
    if missing:
        raise ValueError(f"Order {order.number}: partners {missing} are no households")
    charges = _split_delivery(
        {p: delivery_charge(total) for p, total in goods.items()},
        paid=order.shipping_incl_tax,
    )
    return Parcel.objects.bulk_create(
        Parcel(
            order=order,
            household=households[partner_id],
            goods_total=total,
            delivery_charge=charges[partner_id],
        )
        for partner_id, total in goods.items()
    )


def _split_delivery(
    nominal: dict[int, Decimal], *, paid: Decimal
) -> dict[int, Decimal]:
    """Parcel charges that add up to what the buyer paid for delivery.

    They are the nominal charges unless an offer discounted delivery; then the
    paid amount is shared in proportion to them, the last fen to the last.
    """
    total = sum(nominal.values(), Decimal("0.00"))
    if total == paid or not nominal:
        return nominal
    shares, given = {}, Decimal("0.00")
    parcels = list(nominal)
    for partner_id in parcels[:-1]:
        share = (
            (paid * nominal[partner_id] / total).quantize(Decimal("0.01"))
            if total
            else Decimal("0.00")
        )
        shares[partner_id] = share
        given += share
    shares[parcels[-1]] = paid - given
    return shares
