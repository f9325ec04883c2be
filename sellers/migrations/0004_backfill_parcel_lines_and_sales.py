from django.db import migrations


def backfill(apps, schema_editor):
    """Parcels placed before parcels had lines and before the ledger existed:
    give them their lines, and credit those of paid orders once."""
    Parcel = apps.get_model("sellers", "Parcel")
    ParcelLine = apps.get_model("sellers", "ParcelLine")
    LedgerEntry = apps.get_model("sellers", "LedgerEntry")
    Line = apps.get_model("order", "Line")
    for parcel in Parcel.objects.select_related("household", "order").order_by("id"):
        lines = Line.objects.filter(
            order_id=parcel.order_id, partner_id=parcel.household.partner_id
        )
        ParcelLine.objects.bulk_create(
            ParcelLine(parcel=parcel, line=line)
            for line in lines
            if not ParcelLine.objects.filter(line=line).exists()
        )
        if parcel.order.status != "paid":
            continue
        if LedgerEntry.objects.filter(parcel=parcel, kind="sale").exists():
            continue
        last = (
            LedgerEntry.objects.filter(household_id=parcel.household_id)
            .order_by("-seq")
            .first()
        )
        share = parcel.goods_total + (
            parcel.delivery_charge if parcel.household_ships else 0
        )
        LedgerEntry.objects.create(
            household_id=parcel.household_id,
            seq=(last.seq if last else 0) + 1,
            kind="sale",
            amount=share,
            balance=(last.balance if last else 0) + share,
            parcel=parcel,
            memo=f"Order {parcel.order.number}",
            created_at=parcel.order.date_placed,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sellers", "0003_ledger_parcel_lines_payouts"),
        ("order", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
