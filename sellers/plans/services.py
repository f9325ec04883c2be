"""Writing a household's sales plans: checked, versioned and audited."""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from sellers.models import AuditAction, Campaign, Household, SalesPlan, SalesPlanItem

from ..audit import audit_record, changes_between

PLAN_FIELDS = ("season", "starts_on", "ends_on", "target_income", "notes")
ITEM_FIELDS = (
    "product",
    "produce",
    "quantity",
    "unit",
    "harvest_from",
    "harvest_until",
)
CHANNEL_SEPARATORS = re.compile(r"[、,，/;；\n\r]+")


def channels_parse(text: str) -> list[str]:
    """Channels as a social worker writes them (微信群、抖音，社区团购) as a list,
    each once, in order."""
    names = (name.strip() for name in CHANNEL_SEPARATORS.split(text or ""))
    return list(dict.fromkeys(name for name in names if name))


def _overlapping(
    household: Household, starts_on, ends_on, exclude: int | None
) -> SalesPlan | None:
    plans = SalesPlan.objects.filter(
        household=household, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if exclude is not None:
        plans = plans.exclude(pk=exclude)
    return plans.order_by("starts_on").first()


def _plan_check(
    *,
    household: Household,
    starts_on: datetime.date,
    ends_on: datetime.date,
    target_income: Decimal,
    campaigns,
    exclude: int | None = None,
) -> None:
    errors: dict[str, list] = {}
    if ends_on <= starts_on:
        errors["ends_on"] = [_("The plan must end after it starts.")]
    if target_income is None or target_income <= 0:
        errors["target_income"] = [_("The target income must be more than ¥0.")]
    if not errors:
        other = _overlapping(household, starts_on, ends_on, exclude)
        if other is not None:
            errors["starts_on"] = [
                _(
                    "This household already has a plan from %(start)s to %(end)s "
                    "(%(season)s): one household's plans may not overlap."
                )
                % {
                    "start": other.starts_on,
                    "end": other.ends_on,
                    "season": other.season,
                }
            ]
    if any(c.organisation_id != household.organisation_id for c in campaigns):
        errors["campaigns"] = [
            _("Only campaigns of the household's own organisation can be used.")
        ]
    if errors:
        raise ValidationError(errors)


def _items_check(*, household: Household, items: list[dict]) -> None:
    StockRecord = get_model("partner", "StockRecord")
    products = [item["product"] for item in items if item.get("product")]
    own = set(
        StockRecord.objects.filter(
            partner_id=household.partner_id, product__in=products
        ).values_list("product_id", flat=True)
    )
    errors = []
    for item in items:
        product = item.get("product")
        if product is None and not (item.get("produce") or "").strip():
            errors.append(_("Choose a product or write the produce's name."))
        if product is not None and product.pk not in own:
            errors.append(
                _("“%(product)s” is not one of this household's products.")
                % {"product": product.title}
            )
        if item.get("quantity") is None or item["quantity"] <= 0:
            errors.append(_("The expected quantity must be more than 0."))
        if not (item.get("unit") or "").strip():
            errors.append(_("Give the unit (斤, 条, 只, 枚…)."))
        start, end = item.get("harvest_from"), item.get("harvest_until")
        if start and end and end < start:
            errors.append(_("The harvest cannot end before it starts."))
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))


def _quantity_text(quantity) -> str:
    """2000.00 → 2000, 2.50 → 2.5: the same quantity reads the same."""
    text = f"{Decimal(quantity).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _item_text(item: dict) -> str:
    product = item.get("product")
    name = (item.get("produce") or "").strip() or (product.title if product else "")
    window = ""
    if item.get("harvest_from") or item.get("harvest_until"):
        window = f" {item.get('harvest_from') or ''}–{item.get('harvest_until') or ''}"
    quantity = _quantity_text(item["quantity"])
    return f"{name} {quantity}{item['unit'].strip()}{window}"


def _snapshot(fields: dict, campaigns, channels: list[str], items: list[dict]) -> dict:
    """The plan as the audit trail compares it: every field as text."""
    return {
        **{name: fields[name] for name in PLAN_FIELDS},
        "campaigns": "、".join(sorted(c.name for c in campaigns)),
        "channels": "、".join(channels),
        # Not "items": a template reading changes.items would get this.
        "produce": "；".join(_item_text(item) for item in items),
    }


def _plan_snapshot(plan: SalesPlan) -> dict:
    items = [
        {name: getattr(item, name) for name in ITEM_FIELDS}
        for item in plan.items.select_related("product")
    ]
    return _snapshot(
        {name: getattr(plan, name) for name in PLAN_FIELDS},
        list(plan.campaigns.all()),
        plan.channels,
        items,
    )


def _items_write(plan: SalesPlan, items: list[dict]) -> None:
    plan.items.all().delete()
    SalesPlanItem.objects.bulk_create(
        SalesPlanItem(
            plan=plan,
            product=item.get("product"),
            produce=(item.get("produce") or "").strip(),
            quantity=item["quantity"],
            unit=item["unit"].strip(),
            harvest_from=item.get("harvest_from"),
            harvest_until=item.get("harvest_until"),
        )
        for item in items
    )


def _household_locked(household: Household) -> Household:
    # Two plans written at once for one household must not both pass the
    # overlap check.
    return Household.objects.select_for_update().get(pk=household.pk)


@transaction.atomic
def plan_create(
    *,
    household: Household,
    acting_user,
    season: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    target_income: Decimal,
    campaigns: list[Campaign] = (),
    channels: list[str] = (),
    notes: str = "",
    items: list[dict] = (),
) -> SalesPlan:
    """Write a household's plan for a season (its organisation's), and say so
    in the audit trail."""
    household = _household_locked(household)
    campaigns, channels, items = list(campaigns), list(channels), list(items)
    _plan_check(
        household=household,
        starts_on=starts_on,
        ends_on=ends_on,
        target_income=target_income,
        campaigns=campaigns,
    )
    _items_check(household=household, items=items)
    plan = SalesPlan.objects.create(
        organisation_id=household.organisation_id,
        household=household,
        season=season.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        target_income=target_income,
        channels=channels,
        notes=notes.strip(),
        created_by=acting_user,
        updated_by=acting_user,
    )
    plan.campaigns.set(campaigns)
    _items_write(plan, items)
    audit_record(
        actor=acting_user,
        household=household,
        action=AuditAction.PLAN_CREATED,
        subject=plan.season,
        changes=changes_between({}, _plan_snapshot(plan)),
    )
    return plan


@transaction.atomic
def plan_update(
    *,
    plan: SalesPlan,
    acting_user,
    season: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    target_income: Decimal,
    campaigns: list[Campaign] = (),
    channels: list[str] = (),
    notes: str = "",
    items: list[dict] = (),
) -> SalesPlan:
    """Change a plan: a new version if anything changed, with what changed
    (old and new) in the audit trail; nothing otherwise."""
    household = _household_locked(plan.household)
    plan = SalesPlan.objects.select_for_update().get(pk=plan.pk)
    campaigns, channels, items = list(campaigns), list(channels), list(items)
    _plan_check(
        household=household,
        starts_on=starts_on,
        ends_on=ends_on,
        target_income=target_income,
        campaigns=campaigns,
        exclude=plan.pk,
    )
    _items_check(household=household, items=items)
    fields = {
        "season": season.strip(),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "target_income": Decimal(target_income).quantize(Decimal("0.01")),
        "notes": notes.strip(),
    }
    before = _plan_snapshot(plan)
    changed = changes_between(before, _snapshot(fields, campaigns, channels, items))
    if not changed:
        return plan
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.channels = channels
    plan.updated_by = acting_user
    plan.version += 1
    plan.save()
    plan.campaigns.set(campaigns)
    _items_write(plan, items)
    audit_record(
        actor=acting_user,
        household=household,
        action=AuditAction.PLAN_CHANGED,
        subject=f"{plan.season} v{plan.version}",
        changes=changed,
    )
    return plan
