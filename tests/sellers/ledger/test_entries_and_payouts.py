"""The income ledger: append-only, numbered, with balances that always add up."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from PIL import Image

from sellers.ledger.selectors import ledger_balance
from sellers.ledger.services import (
    PayoutExceedsBalance,
    ledger_append,
    ledger_correct,
    payout_record,
)
from sellers.models import EntryKind, LedgerEntry, Payout, PayoutMethod
from tests import factories
from tests.sellers import helpers


@pytest.fixture
def household(db):
    return factories.household_create(slug="luo", public_name="罗大哥")


@pytest.fixture
def worker(household):
    return helpers.social_worker("a@agency.example", household)


def credit(household, amount):
    """A sale credit as capture writes it (the parcel is a stand-in)."""
    return ledger_append(
        household=household,
        kind=EntryKind.SALE,
        amount=Decimal(amount),
        parcel=parcel_for(household),
        memo="sale",
    )


def parcel_for(household):
    product = factories.product_create(household=household)
    return helpers.place_order((product, 1)).parcels.get()


def test_entries_are_numbered_with_running_balances(household, worker):
    # when
    credit(household, "25.00")
    credit(household, "55.00")
    helpers.payout(
        household, "60.00", worker, reference="WX20261129001", method="wechat"
    )

    # then
    rows = list(
        LedgerEntry.objects.filter(household=household).values_list(
            "seq", "kind", "amount", "balance"
        )
    )
    assert rows == [
        (1, "sale", Decimal("25.00"), Decimal("25.00")),
        (2, "sale", Decimal("55.00"), Decimal("80.00")),
        (3, "payout", Decimal("-60.00"), Decimal("20.00")),
    ]
    assert ledger_balance(household=household) == Decimal("20.00")


def test_an_entry_cannot_be_edited_or_deleted_in_any_way(household):
    # given
    entry = credit(household, "25.00")

    # when / then: instance save and delete, query set update/delete/bulk_update
    entry.amount = Decimal("2500.00")
    with pytest.raises(models.ProtectedError):
        entry.save()
    with pytest.raises(models.ProtectedError):
        entry.delete()
    with pytest.raises(models.ProtectedError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1.00"))
    with pytest.raises(models.ProtectedError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(models.ProtectedError):
        LedgerEntry.objects.bulk_update([entry], ["amount"])
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("25.00")


def test_a_payout_cannot_be_edited_or_deleted(household, worker):
    credit(household, "80.00")
    payout = payout_record(
        household=household,
        amount=Decimal("80.00"),
        method=PayoutMethod.CASH,
        reference="现金收据 001",
        paid_on=timezone.localdate(),
        proof=helpers.upload(b"%PDF-1.4 receipt", "r.pdf", "application/pdf"),
        acting_user=worker,
    )

    payout.amount = Decimal("1.00")
    with pytest.raises(models.ProtectedError):
        payout.save()
    with pytest.raises(models.ProtectedError):
        Payout.objects.all().delete()
    assert Payout.objects.get().amount == Decimal("80.00")


def test_a_correction_is_a_new_entry_pointing_at_the_one_it_corrects(household, worker):
    # given: a sale credited ¥5 too much
    wrong = credit(household, "30.00")

    # when
    fix = ledger_correct(
        entry=wrong, amount=Decimal("-5.00"), memo="价格录错", acting_user=worker
    )

    # then
    assert (fix.seq, fix.kind, fix.amount, fix.balance, fix.corrects_id) == (
        2,
        EntryKind.CORRECTION,
        Decimal("-5.00"),
        Decimal("25.00"),
        wrong.pk,
    )
    assert LedgerEntry.objects.get(pk=wrong.pk).amount == Decimal("30.00")


def test_the_same_number_twice_is_refused_by_the_database(household):
    entry = credit(household, "10.00")

    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            household=household,
            seq=entry.seq,
            kind=EntryKind.SALE,
            amount=Decimal("10.00"),
            balance=Decimal("20.00"),
            parcel=parcel_for(household),
        )


def test_a_parcel_is_credited_at_most_once_by_the_database(household):
    entry = credit(household, "10.00")

    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            household=household,
            seq=2,
            kind=EntryKind.SALE,
            amount=Decimal("10.00"),
            balance=Decimal("20.00"),
            parcel=entry.parcel,
        )


def test_a_payout_above_the_balance_is_refused_and_nothing_is_stored(household, worker):
    # given
    credit(household, "80.00")

    # when
    with pytest.raises(PayoutExceedsBalance) as error:
        helpers.payout(household, "80.01", worker, reference="B1", method="bank")

    # then
    assert error.value.messages == ["付款 ¥80.01 超过了应付给这户的 ¥80.00，没有记录。"]
    assert Payout.objects.count() == 0
    assert LedgerEntry.objects.count() == 1


def test_a_payout_receipt_is_stored_without_exif_or_gps_under_a_random_name(
    household, worker, settings
):
    # given
    credit(household, "80.00")
    original = helpers.photo_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)

    # when
    payout = helpers.payout(
        household,
        "50.00",
        worker,
        reference="B2",
        method="bank",
        proof=helpers.upload(original),
    )

    # then
    stored = payout.proof.read()
    assert dict(Image.open(io.BytesIO(stored)).getexif()) == {}
    assert b"PhoneMaker" not in stored
    assert "罗某银" not in payout.proof.name
    assert payout.proof.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))


@pytest.mark.parametrize(
    "data,message",
    [
        (b"not an image at all", "无法读取这个文件，请上传 JPEG、PNG 或 WebP 图片。"),
        (b"", "无法读取这个文件，请上传 JPEG、PNG 或 WebP 图片。"),
    ],
)
def test_a_receipt_that_is_no_image_or_pdf_is_refused(household, worker, data, message):
    credit(household, "80.00")

    with pytest.raises(ValidationError) as error:
        helpers.payout(
            household,
            "10.00",
            worker,
            reference="C1",
            method="cash",
            proof=helpers.upload(data),
        )

    assert error.value.messages == [message]
    assert (Payout.objects.count(), LedgerEntry.objects.count()) == (0, 1)


def test_a_decompression_bomb_is_refused_before_it_is_decoded(household, worker):
    # given: a 10,000 × 10,000 PNG (100 megapixels) that compresses to ~100 kB
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")
    credit(household, "80.00")

    with pytest.raises(ValidationError) as error:
        helpers.payout(
            household,
            "10.00",
            worker,
            reference="C2",
            method="cash",
            proof=helpers.upload(out.getvalue(), "bomb.png", "image/png"),
        )

    assert error.value.messages == ["图片太大（最多 5000 万像素）。"]
