import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    HOUSEHOLD_RECORD_FIELDS,
    SCOPE_NEEDED,
    CampaignChannel,
    ConsentScope,
    DisplayLevel,
    HouseholdRecord,
    ParcelStatus,
    PayoutMethod,
    Settlement,
)


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


class SettleForm(forms.Form):
    """A parcel that has left: a reason, and how the refund is settled."""

    reason = forms.CharField(label=_("What went wrong?"), max_length=200)
    settlement = forms.ChoiceField(
        label=_("How is it settled?"),
        choices=Settlement.choices,
        widget=forms.RadioSelect,
    )
    amount = forms.DecimalField(
        label=_("Part to refund (¥)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        help_text=_("Only when the buyer keeps the parcel."),
    )

    def clean(self):
        data = super().clean()
        if data.get("settlement") == Settlement.PARTIAL and not data.get("amount"):
            self.add_error("amount", _("Enter the part to refund."))
        return data


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


class HouseholdRecordForm(forms.ModelForm):
    # Not protected, but never public: how staff tell households apart.
    nickname = forms.CharField(
        label=_("Staff nickname"),
        max_length=40,
        required=False,
        help_text=_(
            "How the social workers tell this household apart in the workspace "
            "(statements, listings, caseloads); never shown to the public."
        ),
    )
    field_order = ["nickname"]

    class Meta:
        model = HouseholdRecord
        fields = HOUSEHOLD_RECORD_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip().upper()
        if value and not re.fullmatch(r"\d{17}[\dX]", value):
            raise forms.ValidationError(
                _("An ID number has 18 characters: 17 digits and a digit or X.")
            )
        return value

    def clean_phone(self):
        value = re.sub(r"[\s-]", "", self.cleaned_data["phone"])
        if value and not re.fullmatch(r"(\+?86)?1[3-9]\d{9}|0\d{2,3}\d{7,8}", value):
            raise forms.ValidationError(_("Enter a mobile or landline number."))
        return value


class ConsentForm(forms.Form):
    display_level = forms.ChoiceField(
        label=_("What the household agreed to show"), choices=DisplayLevel.choices
    )
    scope = forms.MultipleChoiceField(
        label=_("Agreed to appear"),
        choices=ConsentScope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    given_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    signed_form = forms.FileField(
        label=_("Signed form (photo or PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )
    witness = forms.CharField(label=_("Witness"), max_length=60)
    minors_appear = forms.BooleanField(
        label=_("Children under 18 appear in the story or photos"), required=False
    )
    guardian_name = forms.CharField(label=_("Guardian"), max_length=60, required=False)
    guardian_form = forms.FileField(
        label=_("Guardian's signed form"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return given_on

    def clean(self):
        data = super().clean()
        for name in ("signed_form", "guardian_form"):
            scan = data.get(name)
            if scan and scan.size > settings.BANGFU_PAYOUT_PROOF_MAX_BYTES:
                self.add_error(name, _("The file is larger than 10 MB."))
        if data.get("minors_appear"):
            if not data.get("guardian_name"):
                self.add_error(
                    "guardian_name", _("Children appear: name their guardian.")
                )
            if not data.get("guardian_form"):
                self.add_error(
                    "guardian_form",
                    _("Children appear: add the guardian's signed form."),
                )
        level = data.get("display_level")
        scope = set(data.get("scope") or [])
        needed = SCOPE_NEEDED.get(level, set())
        if needed - scope:
            self.add_error(
                "scope",
                _("This display level needs the household's agreement to: %(items)s.")
                % {
                    "items": "、".join(
                        str(item.label)
                        for item in ConsentScope
                        if item in needed - scope
                    )
                },
            )
        return data


class CaseloadForm(forms.Form):
    household = forms.ModelChoiceField(label=_("Household"), queryset=None)
    social_worker = forms.ModelChoiceField(label=_("Social worker"), queryset=None)

    def __init__(self, *args, households, social_workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["social_worker"].queryset = social_workers
        self.fields["social_worker"].label_from_instance = lambda user: (
            user.get_full_name() or user.email
        )

    def clean(self):
        data = super().clean()
        household, worker = data.get("household"), data.get("social_worker")
        if household and worker:
            if not worker.memberships.filter(
                organisation=household.organisation, role="social_worker"
            ).exists():
                raise forms.ValidationError(
                    _(
                        "This social worker does not work for the household's "
                        "organisation."
                    )
                )
        return data
