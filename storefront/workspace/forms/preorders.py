"""Forms of the harvest screens: offer a product, record the catch, delay,
weigh a parcel."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class OfferForm(forms.Form):
    """A product of the caseload offered for pre-order."""

    product = forms.TypedChoiceField(label=_("Product"), coerce=int)
    window_start = forms.DateField(
        label=_("Harvest from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    window_end = forms.DateField(
        label=_("Harvest until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    price_per_jin = forms.DecimalField(
        label=_("Price per jin (¥)"), min_value=Decimal("0.01"), decimal_places=2
    )
    jin_per_piece = forms.DecimalField(
        label=_("Estimated jin per piece"), min_value=Decimal("0.01"), decimal_places=2
    )
    capacity = forms.IntegerField(label=_("Pieces offered"), min_value=1)
    per_order_limit = forms.IntegerField(
        label=_("Pieces per order at most"), min_value=1
    )

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [(p.pk, p.get_title()) for p in products]


class CatchForm(forms.Form):
    pieces = forms.IntegerField(label=_("Pieces caught"), min_value=0)


class DelayForm(forms.Form):
    window_start = forms.DateField(
        label=_("New harvest from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    window_end = forms.DateField(
        label=_("New harvest until"), widget=forms.DateInput(attrs={"type": "date"})
    )


class WeighForm(forms.Form):
    """One real weight (jin) per pre-ordered line of a parcel."""

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        for line in lines:
            self.fields[f"line_{line.pk}"] = forms.DecimalField(
                label=_("%(title)s × %(quantity)s: real weight (jin)")
                % {"title": line.title, "quantity": line.quantity},
                min_value=Decimal("0.01"),
                decimal_places=2,
            )

    def weights(self) -> dict[int, Decimal]:
        return {
            int(name.removeprefix("line_")): value
            for name, value in self.cleaned_data.items()
        }
