"""Forms of the parcel screens: filter, ship, cancel, settle."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from sellers.fulfilment.carriers import carrier_names
from sellers.models import ParcelStatus, Settlement


class ParcelFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + list(ParcelStatus.choices),
    )
    order = forms.CharField(label=_("Order number"), required=False, max_length=128)


class ShipForm(forms.Form):
    """The carrier is free text: the common ones are offered as suggestions
    (the template's datalist), and those get a tracking link for the buyer."""

    carrier = forms.CharField(
        label=_("Carrier"),
        max_length=40,
        widget=forms.TextInput(attrs={"list": "carrier-suggestions"}),
        help_text=_("Pick a common carrier or type another."),
    )
    tracking_number = forms.CharField(
        label=_("Tracking number"), max_length=40, required=False
    )

    @property
    def carrier_suggestions(self) -> list[str]:
        return carrier_names()


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
