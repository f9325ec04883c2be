"""The campaign form of an organisation's campaigns."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sellers.models import CampaignChannel


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
