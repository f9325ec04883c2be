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
