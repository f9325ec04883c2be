"""Every read of the sellers domain that a page needs goes through a function here."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from oscar.core.loading import get_model

from .models import (
    AuditEvent,
    Campaign,
    Consent,
    EntryKind,
    Household,
    IncomeDay,
    LedgerEntry,
    MemberRole,
    Membership,
    OrderCell,
    Organisation,
    Parcel,
    ParcelEvent,
    ParcelStatus,
    Payout,
    PickupPoint,
    SalesCell,
    Settlement,
    Span,
)
from .reports import money

Line = get_model("order", "Line")
Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")


def _line_products() -> Prefetch:
    # A parcel's lines name their products' units (斤, 盒): fetch those with the
    # lines, or each line costs a query for its product and one for its attributes.
    return Prefetch(
        "lines__product", queryset=Product.objects.prefetch_attribute_values()
    )


def household_list(*, town: str | None = None, village: str | None = None) -> QuerySet:
    """Active households for public pages, optionally in one town or village."""
    households = Household.objects.active().select_related("photo")
    if town:
        households = households.filter(town=town)
    if village:
        households = households.filter(village=village)
    return households


def household_places() -> list[tuple[str, list[str]]]:
    """Towns with their villages that have active households showing their
    village, for the public filters."""
    places: dict[str, list[str]] = {}
    rows = (
        Household.objects.active()
        .filter(shows_village=True)
        .order_by("town", "village")
        .values_list("town", "village")
        .distinct()
    )
    for town, village in rows:
        places.setdefault(town, []).append(village)
    return list(places.items())


def household_for_partner_ids(*, partner_ids) -> dict[int, Household]:
    """Public households keyed by partner id, for product cards and pages."""
    households = Household.objects.filter(
        partner_id__in=set(partner_ids)
    ).select_related("photo")
    return {h.partner_id: h for h in households}


def pickup_point_list() -> list:
    """Open community pickup points, for checkout."""
    return list(PickupPoint.objects.filter(is_active=True))


def basket_parcels(*, basket, charges: dict) -> list[dict]:
    """The basket as the parcels it will become: household, lines, goods, delivery."""
    lines = list(basket.all_lines())
    households = household_for_partner_ids(
        partner_ids=[line.stockrecord.partner_id for line in lines]
    )
    parcels: dict[int, dict] = {}
    for line in lines:
        partner_id = line.stockrecord.partner_id
        parcel = parcels.setdefault(
            partner_id,
            {
                "household": households.get(partner_id),
                "lines": [],
                "goods": Decimal("0.00"),
                "delivery": charges.get(partner_id, Decimal("0.00")),
            },
        )
        parcel["lines"].append(line)
        parcel["goods"] += line.line_price_incl_tax_incl_discounts
    for parcel in parcels.values():
        parcel["total"] = parcel["goods"] + parcel["delivery"]
    return list(parcels.values())


def order_household_shares(*, order) -> QuerySet:
    """An order's parcels with their households and story pages: the impact receipt."""
    return order.parcels.select_related(
        "household", "household__story_page"
    ).prefetch_related("lines", _line_products())


def household_caseload(*, user) -> QuerySet:
    """The households a user may work for: his caseload as a social worker, all of
    his organisation's as its administrator, every one as a superuser."""
    if not user.is_authenticated or not user.is_active:
        return Household.objects.none()
    if user.is_superuser:
        return Household.objects.all()
    return Household.objects.filter(
        Q(partner__users=user)
        | Q(
            organisation__memberships__user=user,
            organisation__memberships__role=MemberRole.ADMINISTRATOR,
        )
    ).distinct()


def _paid_parcels(*, user) -> QuerySet:
    # A parcel reaches the workspace once its order's money is captured (the
    # sale is credited): an authorised order may still be cancelled.
    return Parcel.objects.filter(
        household__in=household_caseload(user=user),
        ledger_entries__kind=EntryKind.SALE,
    )


def parcel_list(*, user, status: str | None = None, order_number: str = "") -> QuerySet:
    """Parcels of the user's caseload, newest first, optionally in one state."""
    parcels = _paid_parcels(user=user).select_related(
        "household", "order", "order__shipping_address"
    )
    if status:
        parcels = parcels.filter(status=status)
    if order_number:
        parcels = parcels.filter(order__number=order_number)
    return parcels.order_by("-order__date_placed", "-id")


def parcel_counts(*, user) -> dict[str, int]:
    """How many of the user's parcels are in each state."""
    rows = _paid_parcels(user=user).values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(ParcelStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def parcel_get(*, user, pk: int) -> Parcel:
    """One parcel of the user's caseload (DoesNotExist for anybody else's)."""
    return (
        parcel_list(user=user)
        .prefetch_related("lines", _line_products(), "events__actor")
        .get(pk=pk)
    )


def household_for_login(*, user) -> Household | None:
    """The household a household login belongs to, if the user is one."""
    if not user.is_authenticated:
        return None
    return Household.objects.filter(account=user, is_active=True).first()


def statement_households(*, user) -> QuerySet:
    """Households whose statements the user may read: caseload or its own login."""
    own = household_for_login(user=user)
    if own is not None:
        return Household.objects.filter(pk=own.pk)
    return household_caseload(user=user)


def ledger_balance(*, household: Household) -> Decimal:
    """What the household is owed now (nothing if it was paid more than it
    earned)."""
    return ledger_summary(household=household)["owed"]


class _LedgerNewestFirst:
    """A household's ledger, newest first, sliced by entry numbers.

    Entries are numbered 1…n without gaps, so the k-th newest is number
    n − k + 1: a page is an index range, however long the ledger is (no
    COUNT, no OFFSET).
    """

    def __init__(self, household: Household, total: int):
        self.household, self.total = household, total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list:
        top, bottom = self.total - window.start, self.total - window.stop
        return list(
            LedgerEntry.objects.filter(
                household=self.household, seq__gt=bottom, seq__lte=top
            )
            .select_related("parcel__order", "payout")
            .order_by("-seq")
        )


def ledger_page(*, household: Household, number, size: int = 50):
    """One page of the household's statement, newest first (a Django Page)."""
    last = _ledger_last(household)
    total = last.seq if last else 0
    return Paginator(_LedgerNewestFirst(household, total), size).get_page(number)


def _ledger_last(household: Household) -> LedgerEntry | None:
    return LedgerEntry.objects.filter(household=household).order_by("-seq").first()


def ledger_rows(*, household: Household) -> QuerySet:
    """The household's ledger, oldest first, as plain rows for exports."""
    return (
        LedgerEntry.objects.filter(household=household)
        .order_by("seq")
        .values_list(
            "seq",
            "created_at",
            "kind",
            "parcel__order__number",
            "memo",
            "amount",
            "balance",
        )
    )


def ledger_summary(*, household: Household) -> dict[str, Decimal]:
    """Earned (sales − refunds ± corrections), paid out, and owed: read off the
    last entry, which carries the running balance and payouts."""
    last = _ledger_last(household)
    balance = last.balance if last else Decimal("0.00")
    paid_out = last.payouts_total if last else Decimal("0.00")
    # A refund after a payout leaves the household paid more than it earned:
    # a figure of its own, never a negative amount owed.
    return {
        "earned": balance + paid_out,
        "paid_out": paid_out,
        "owed": max(balance, Decimal("0.00")),
        "overpaid": max(-balance, Decimal("0.00")),
    }


def payout_get(*, user, pk: int) -> Payout:
    """A payout of a household whose statement the user may read."""
    return Payout.objects.get(pk=pk, household__in=statement_households(user=user))


def household_parcels_to_pack(*, household: Household) -> QuerySet:
    """The household's paid parcels still to pack, with their lines."""
    return (
        Parcel.objects.filter(
            household=household,
            status=ParcelStatus.TO_PACK,
            ledger_entries__kind=EntryKind.SALE,
        )
        .select_related("order")
        .prefetch_related("lines", _line_products())
        .order_by("order__date_placed")
    )


@dataclass
class LedgerReconciliation:
    problems: list[str] = field(default_factory=list)
    households_checked: int = 0
    entries_checked: int = 0


def _by_household(rows) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for household_id, amount in rows:
        totals[household_id] += money(amount)
    return totals


def ledger_reconcile(
    *, paid_order_numbers, stripe_refunds: dict[str, Decimal]
) -> LedgerReconciliation:
    """The ledger against the order records and the payment provider, per household.

    `paid_order_numbers` (a query set or a set) are the orders whose payment
    the provider captured;
    `stripe_refunds` the amounts it refunded per reference ("parcel-<id>").
    Checks: each household's entries are numbered 1…n with balances that add
    up; sales = the paid orders' line amounts (+ delivery where the household
    ships) by household; refunds = the shares of cancelled parcels (but
    those whose loss the agency bore); at the provider, each parcel refunded
    what it records (a cancelled one its total, in one refund or with parts
    refunded before) and nothing else; payouts = the payouts recorded; every
    paid order's parcels add up to the order's total.
    """
    report = LedgerReconciliation()
    problem = report.problems.append
    zero = Decimal("0.00")

    # 1. The chain: 1, 2, 3… with balance = previous balance + amount, and
    # payouts so far = previous + this payout.
    previous: tuple[int, int, Decimal, Decimal] | None = None
    entries = LedgerEntry.objects.order_by("household_id", "seq").values_list(
        "household_id", "seq", "kind", "amount", "balance", "payouts_total"
    )
    for household_id, seq, kind, amount, balance, paid in entries.iterator(
        chunk_size=5000
    ):
        report.entries_checked += 1
        payout = -amount if kind == EntryKind.PAYOUT else Decimal("0.00")
        expected = (1, amount, payout)
        if previous and previous[0] == household_id:
            expected = (previous[1] + 1, previous[2] + amount, previous[3] + payout)
        if (seq, balance, paid) != expected:
            problem(
                f"household {household_id}: entry {seq} breaks the chain "
                f"(expected no. {expected[0]}, balance {expected[1]}, paid out "
                f"{expected[2]}; found balance {balance}, paid out {paid})"
            )
        previous = (household_id, seq, balance, paid)

    # 2. Sales against paid order lines (and delivery the household keeps).
    paid_lines = Line.objects.filter(order__number__in=paid_order_numbers)
    line_totals = _by_household(
        paid_lines.values("partner_id")
        .annotate(total=Sum("line_price_incl_tax"))
        .values_list("partner_id", "total")
    )
    paid_parcels = Parcel.objects.filter(order__number__in=paid_order_numbers)
    delivery_kept = _by_household(
        paid_parcels.filter(household_ships=True)
        .values("household_id")
        .annotate(total=Sum("delivery_charge"))
        .values_list("household_id", "total")
    )
    households = dict(Household.objects.values_list("id", "partner_id"))
    report.households_checked = len(households)
    kinds = (
        LedgerEntry.objects.values("household_id", "kind")
        .annotate(total=Sum("amount"))
        .values_list("household_id", "kind", "total")
    )
    ledger: dict[tuple[int, str], Decimal] = {
        (household_id, kind): money(total) for household_id, kind, total in kinds
    }
    cancelled = paid_parcels.filter(status=ParcelStatus.CANCELLED)
    absorbed = set(
        ParcelEvent.objects.filter(
            parcel__in=cancelled,
            status=ParcelStatus.CANCELLED,
            settlement=Settlement.ABSORBED,
        ).values_list("parcel_id", flat=True)
    )
    refunded_shares = _by_household(
        (parcel.household_id, parcel.household_share)
        for parcel in cancelled
        if parcel.pk not in absorbed
    )
    payouts = _by_household(
        Payout.objects.values("household_id")
        .annotate(total=Sum("amount"))
        .values_list("household_id", "total")
    )
    for household_id, partner_id in sorted(households.items()):
        expected = {
            EntryKind.SALE: line_totals.get(partner_id, zero)
            + delivery_kept.get(household_id, zero),
            EntryKind.REFUND: -refunded_shares.get(household_id, zero),
            EntryKind.PAYOUT: -payouts.get(household_id, zero),
        }
        for kind, amount in expected.items():
            found = ledger.get((household_id, kind), zero)
            if found != amount:
                problem(
                    f"household {household_id}: {kind} entries total {found}, "
                    f"the records say {amount}"
                )

    # 3. Refunds at the provider: each parcel (references "parcel-<id>" and
    # "parcel-<id>-part-<n>") refunded what it records, a cancelled one its
    # total; no refund for a parcel that records none.
    at_provider: dict[str, Decimal] = defaultdict(lambda: zero)
    for reference, amount in stripe_refunds.items():
        at_provider["-".join(reference.split("-")[:2])] += amount
    refunded_parcels = {
        f"parcel-{p.pk}": p
        for p in paid_parcels.filter(
            Q(status=ParcelStatus.CANCELLED) | Q(refunded__gt=0)
        ).select_related("order")
    }
    for reference, parcel in refunded_parcels.items():
        should = parcel.total if parcel.status == ParcelStatus.CANCELLED else None
        if at_provider[reference] != parcel.refunded or should not in (
            None,
            parcel.refunded,
        ):
            problem(
                f"parcel {parcel.pk} (order {parcel.order.number}): refunded "
                f"{at_provider[reference]} at the provider and {parcel.refunded} "
                f"recorded, its total is {parcel.total}"
            )
    for reference in sorted(set(at_provider) - set(refunded_parcels)):
        problem(f"refund {reference} at the provider has no refunded paid parcel")

    # 4. Every paid order is split into parcels without a fen lost.
    orders = (
        Order.objects.filter(number__in=paid_order_numbers)
        .annotate(
            parcels_total=Sum("parcels__goods_total") + Sum("parcels__delivery_charge")
        )
        .values_list("number", "total_incl_tax", "parcels_total")
    )
    for number, total, parcels_total in orders:
        parcels_total = money(parcels_total)
        if parcels_total != total:
            problem(f"order {number}: parcels add up to {parcels_total}, not {total}")

    # 5. The day and month sums the reports read agree with the ledger, and
    # the sales cells and order counts with them.
    # Parcels sold: credited less refunded in full (as units are).
    sale_counts = dict(
        LedgerEntry.objects.filter(kind__in=(EntryKind.SALE, EntryKind.REFUND))
        .values("household_id")
        .annotate(
            n=Count("id", filter=Q(kind=EntryKind.SALE))
            - Count("id", filter=Q(kind=EntryKind.REFUND))
        )
        .values_list("household_id", "n")
    )
    for span, word in (
        (Span.DAY, "daily"),
        (Span.MONTH, "monthly"),
        (Span.YEAR, "yearly"),
    ):
        summed = (
            IncomeDay.objects.filter(span=span)
            .values("household_id")
            .annotate(
                sales=Sum("sales"),
                refunds=Sum("refunds"),
                corrections=Sum("corrections"),
                payouts=Sum("payouts"),
                parcels=Sum("parcels"),
            )
        )
        days = {row["household_id"]: row for row in summed}
        cells = {
            row["household_id"]: row
            for row in SalesCell.objects.filter(span=span)
            .values("household_id")
            .annotate(sales=Sum("sales"), refunds=Sum("refunds"))
        }
        for household_id in sorted(households):
            row = days.get(household_id, {})
            expected = {
                "sales": ledger.get((household_id, EntryKind.SALE), zero),
                "refunds": -ledger.get((household_id, EntryKind.REFUND), zero),
                "corrections": ledger.get((household_id, EntryKind.CORRECTION), zero),
                "payouts": -ledger.get((household_id, EntryKind.PAYOUT), zero),
                "parcels": sale_counts.get(household_id, 0),
            }
            for name, amount in expected.items():
                found = row.get(name) or 0
                found = found if name == "parcels" else money(found)
                if found != amount:
                    problem(
                        f"household {household_id}: {word} {name} total {found}, "
                        f"the ledger says {amount}"
                    )
            for name in ("sales", "refunds"):
                found = money(cells.get(household_id, {}).get(name))
                if found != expected[name]:
                    problem(
                        f"household {household_id}: {word} {name} by category "
                        f"{found}, the ledger says {expected[name]}"
                    )
        paid_orders = (
            LedgerEntry.objects.filter(kind=EntryKind.SALE)
            .values("parcel__order_id")
            .distinct()
            .count()
        )
        counted = OrderCell.objects.filter(span=span).aggregate(
            n=Sum("orders"), sales=Sum("sales"), refunds=Sum("refunds")
        )
        if (counted["n"] or 0) != paid_orders:
            problem(
                f"{word} orders {counted['n'] or 0}, the ledger credits {paid_orders}"
            )
        for name, kind, sign in (
            ("sales", EntryKind.SALE, 1),
            ("refunds", EntryKind.REFUND, -1),
        ):
            expected = sign * sum(
                (v for (_h, k), v in ledger.items() if k == kind), zero
            )
            if money(counted[name]) != expected:
                problem(
                    f"{word} {name} by buyer {money(counted[name])}, "
                    f"the ledger says {expected}"
                )
    return report


def organisation_list_for_member(*, user) -> QuerySet:
    """The organisations the user works in, in any role."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).distinct()


def campaign_list(*, user) -> QuerySet:
    """Campaigns of the user's organisations, with their orders and takings."""
    return (
        Campaign.objects.filter(
            organisation__in=organisation_list_for_member(user=user)
        )
        .annotate(
            order_count=Count("orders"),
            takings=Sum("orders__order__total_incl_tax"),
        )
        .order_by("-starts_on", "-id")
    )


def campaign_get(*, user, pk: int) -> Campaign:
    """A campaign of one of the user's organisations (DoesNotExist otherwise)."""
    return campaign_list(user=user).get(pk=pk)


def campaign_get_running(*, code: str, day=None) -> Campaign | None:
    """The campaign of a code if it runs on the day (today by default)."""
    day = day or timezone.localdate()
    return Campaign.objects.filter(
        code=code, starts_on__lte=day, ends_on__gte=day
    ).first()


def organisations_where(*, user, roles) -> QuerySet:
    """The organisations in which the user holds one of `roles`."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=roles
    ).distinct()


AUDIT_READERS = (MemberRole.REVIEWER, MemberRole.ADMINISTRATOR)


def audit_event_list(*, user, household: Household | None = None) -> QuerySet:
    """The audit trail of the organisations the user reviews or administers."""
    events = AuditEvent.objects.filter(
        organisation__in=organisations_where(user=user, roles=AUDIT_READERS)
    ).select_related("actor", "household", "organisation")
    if household is not None:
        events = events.filter(household=household)
    return events


def consent_list(*, household: Household) -> QuerySet:
    """A household's consents, the one in force (if any) first."""
    return Consent.objects.filter(household=household).select_related(
        "recorded_by", "withdrawn_by"
    )


def consent_in_force(*, household: Household) -> Consent | None:
    return Consent.objects.filter(household=household, withdrawn_at=None).first()


def caseload_table(*, user) -> list[tuple[Household, list]]:
    """Households of the organisations the user administers, each with the
    social workers it is assigned to."""
    households = (
        Household.objects.filter(
            organisation__in=organisations_where(
                user=user, roles=[MemberRole.ADMINISTRATOR]
            )
        )
        .select_related("partner", "organisation")
        .prefetch_related("partner__users")
    )
    return [
        (household, list(household.partner.users.all())) for household in households
    ]


def social_worker_list(*, organisations) -> QuerySet:
    """Active social workers of the organisations."""
    User = Membership.user.field.related_model
    return (
        User.objects.filter(
            memberships__organisation__in=organisations,
            memberships__role=MemberRole.SOCIAL_WORKER,
            is_active=True,
        )
        .distinct()
        .order_by("email")
    )


def user_reviews(*, user, organisation_id: int) -> bool:
    """Whether the user is a reviewer of the organisation."""
    return Membership.objects.filter(
        user=user, organisation_id=organisation_id, role=MemberRole.REVIEWER
    ).exists()
