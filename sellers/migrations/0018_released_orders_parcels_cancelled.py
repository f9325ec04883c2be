from decimal import Decimal

from django.conf import settings
from django.db import migrations
from django.utils import timezone, translation
from django.utils.translation import gettext


def cancel_released_parcels(apps, schema_editor):
    """Orders released unpaid before their parcels went with them: cancel
    those parcels as order_parcels_release does now (no refund, no ledger
    entry, nobody told). A parcel ever credited is left alone."""
    Parcel = apps.get_model("sellers", "Parcel")
    ParcelEvent = apps.get_model("sellers", "ParcelEvent")
    with translation.override(settings.LANGUAGE_CODE):
        reason = gettext("Not paid in time")
    parcels = list(
        Parcel.objects.filter(order__status="cancelled", status="to_pack")
        .exclude(ledger_entries__kind="sale")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    Parcel.objects.filter(pk__in=parcels).update(
        status="cancelled", cancel_reason=reason, updated_at=now
    )
    ParcelEvent.objects.bulk_create(
        ParcelEvent(
            parcel_id=pk,
            status="cancelled",
            note=reason,
            refunded=Decimal("0.00"),
            created_at=now,
        )
        for pk in parcels
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sellers", "0017_organisation_service_contact"),
        ("order", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(cancel_released_parcels, migrations.RunPython.noop)
    ]
