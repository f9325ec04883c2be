from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CampaignChannel, ParcelStatus, PayoutMethod


class ParcelFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + list(ParcelStatus.choices),
    )
    order = forms.CharField(label=_("Order number"), required=False, max_length=128)


class ShipForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=40)
    tracking_number = forms.CharField(
        label=_("Tracking number"), max_length=40, required=False
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can it not be delivered?"),
        max_length=200,
        help_text=_(
            "For the agency's records only: the buyer is told that the household "
            "cannot deliver, never why."
        ),
    )


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


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    channel = forms.ChoiceField(label=_("Channel"), choices=CampaignChannel.choices)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on"):
            if data["ends_on"] < data["starts_on"]:
                raise forms.ValidationError(
                    _("The campaign cannot end before it starts.")
                )
        return data
