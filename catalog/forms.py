"""The listing form: a product as a social worker lists it in the workspace
(storefront.workspace) or in a row of a spreadsheet import."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from sellers import uploads
from sellers.public import product_text_terms, text_names

from . import selectors
from .models import FishState


class ListingForm(forms.Form):
    title = forms.CharField(label=_("Product name"), max_length=255)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=selectors.produce_categories(), empty_label=None
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=10,
        widget=forms.TextInput(attrs={"list": "units", "autocomplete": "off"}),
        help_text=_("斤, 只, 盒 … what one item of the price is."),
    )
    price = forms.DecimalField(
        label=_("Price per unit (¥)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    available = forms.IntegerField(
        label=_("Available to sell"),
        min_value=0,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    harvest_date = forms.DateField(
        label=_("Harvest date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    delivery_promise = forms.CharField(
        label=_("Delivery promise"),
        required=False,
        max_length=60,
        help_text=_(
            "When and how this product ships, e.g. 现捕现发，顺丰冷链，48小时内发货. "
            "Leave empty to use the household's."
        ),
    )
    fish_state = forms.ChoiceField(
        label=_("Fish: live or chilled"),
        required=False,
        choices=[("", _("Not a fish")), *FishState.choices],
    )
    fish_weight = forms.DecimalField(
        label=_("Fish: weight per fish (斤, about)"),
        required=False,
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("0.1"),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*", "capture": "environment"}
        ),
        help_text=_("Take it on the spot; its location data is removed."),
    )

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household

    def _no_names(self, field: str) -> str:
        # The household is shown beside its product as its consent allows:
        # a name in the product's own text would outlive a withdrawal.
        text = self.cleaned_data.get(field, "")
        found = text_names(text, product_text_terms(self.household))
        if found:
            raise forms.ValidationError(
                _(
                    "Leave out the household's name and village (“%(words)s”): "
                    "the store shows them beside the product, as far as the "
                    "household agreed."
                )
                % {"words": "”、“".join(found)}
            )
        return text

    def clean_title(self):
        return self._no_names("title")

    def clean_description(self):
        return self._no_names("description")

    def clean_delivery_promise(self):
        return self._no_names("delivery_promise")

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            uploads.photo_check(photo)
        return photo
