"""Forms of the listing screens that are not the listing itself (whose form,
catalog.forms.ListingForm, the spreadsheet import checks rows with too)."""

from django import forms
from django.utils.translation import gettext_lazy as _

# Offered as the unit of a product; any other word may be typed.
UNITS = ["斤", "公斤", "只", "个", "盒", "袋", "箱", "瓶", "把", "条"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class DeliveryPromiseForm(forms.Form):
    delivery_promise = forms.CharField(
        label=_("Delivery promise of this household's products"),
        required=False,
        max_length=60,
        help_text=_(
            "When and how its parcels leave, e.g. 现捕现发，顺丰冷链，48小时内发货; "
            "a product may say otherwise."
        ),
    )
