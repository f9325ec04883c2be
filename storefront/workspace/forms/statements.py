"""The payout form of a household's statement."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sellers.models import PayoutMethod


class PayoutForm(forms.Form):
    # One per form shown: posting the same form twice records one payout.
    request_token = forms.UUIDField(widget=forms.HiddenInput)
    amount = forms.DecimalField(
        label=_("Amount (¥)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    method = forms.ChoiceField(label=_("Paid by"), choices=PayoutMethod.choices)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=80,
        help_text=_("Bank or WeChat transaction number, or the receipt number."),
    )
    paid_on = forms.DateField(
        label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    proof = forms.FileField(
        label=_("Receipt (photo or PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return paid_on

    def clean_proof(self):
        proof = self.cleaned_data["proof"]
        if proof.size > settings.BANGFU_PAYOUT_PROOF_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return proof
