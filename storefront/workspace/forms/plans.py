"""The sales plan form and its produce rows (an inline formset)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from sellers.models import Campaign
from sellers.plans.services import channels_parse

from .listing import UNITS

Product = get_model("catalogue", "Product")

DATE = {"type": "date"}
# Offered as units of a plan's produce beside the listing's; any word may be typed.
PLAN_UNITS = list(dict.fromkeys(["斤", "条", "只", "枚", *UNITS]))


class PlanForm(forms.Form):
    season = forms.CharField(
        label=_("Season"),
        max_length=60,
        help_text=_("For example 2026年冬季出塘."),
    )
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs=DATE)
    )
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs=DATE))
    target_income = forms.DecimalField(
        label=_("Target income (¥)"), max_digits=12, decimal_places=2
    )
    campaigns = forms.ModelMultipleChoiceField(
        label=_("Campaigns"),
        queryset=Campaign.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    channels = forms.CharField(
        label=_("Other channels"),
        required=False,
        max_length=300,
        help_text=_("Separated by 、 or commas: 微信群、抖音、社区团购."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea)

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaigns"].queryset = Campaign.objects.filter(
            organisation_id=household.organisation_id
        )

    def clean_channels(self):
        return channels_parse(self.cleaned_data["channels"])


class PlanItemForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.none(), required=False
    )
    produce = forms.CharField(
        label=_("Or produce not listed yet"), max_length=80, required=False
    )
    quantity = forms.DecimalField(
        label=_("Expected quantity"), max_digits=10, decimal_places=2
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=10,
        widget=forms.TextInput(attrs={"list": "plan-units"}),
    )
    harvest_from = forms.DateField(
        label=_("Harvest from"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    harvest_until = forms.DateField(
        label=_("Harvest until"), required=False, widget=forms.DateInput(attrs=DATE)
    )

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(
            stockrecords__partner_id=household.partner_id
        ).order_by("title")


PlanItemFormSet = forms.formset_factory(PlanItemForm, extra=2, can_delete=True)


def plan_items(formset) -> list[dict]:
    """The produce rows filled in and not deleted, for the plan services."""
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
