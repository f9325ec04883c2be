"""Forms of an organisation's households: protected record, consent, caseloads."""

import re

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sellers.models import (
    HOUSEHOLD_RECORD_FIELDS,
    ConsentScope,
    DisplayLevel,
    HouseholdRecord,
)


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

    # Which scopes a display level needs is the service's rule
    # (sellers.consent.services.consent_record): its refusal lands on "scope".
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
        return data


class CaseloadForm(forms.Form):
    """A household and a social worker; that he works for the household's
    organisation is caseload_assign's rule."""

    household = forms.ModelChoiceField(label=_("Household"), queryset=None)
    social_worker = forms.ModelChoiceField(label=_("Social worker"), queryset=None)

    def __init__(self, *args, households, social_workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["social_worker"].queryset = social_workers
        self.fields["social_worker"].label_from_instance = lambda user: (
            user.get_full_name() or user.email
        )
