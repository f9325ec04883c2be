import re

from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import forms as oscar_forms

MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")


class ShippingAddressForm(oscar_forms.ShippingAddressForm):
    """A Chinese address: province, city, district, street, recipient, mobile."""

    class Meta(oscar_forms.ShippingAddressForm.Meta):
        fields = [
            "state",
            "line4",
            "line3",
            "line1",
            "first_name",
            "phone_number",
            "notes",
        ]
        labels = {
            "state": _("Province"),
            "line4": _("City"),
            "line3": _("District or county"),
            "line1": _("Street and number"),
            "first_name": _("Recipient"),
            "phone_number": _("Mobile number"),
            "notes": _("Delivery notes"),
        }

    def clean(self):
        cleaned_data = super().clean()
        number = cleaned_data.get("phone_number")
        if not (
            number
            and getattr(number, "country_code", None) == 86
            and MAINLAND_MOBILE.match(str(number.national_number))
        ):
            # One message, whatever Oscar's own phone check said before it.
            self.errors.pop("phone_number", None)
            self.add_error(
                "phone_number",
                _("Please enter a mainland China mobile number, e.g. 13912345678."),
            )
        return cleaned_data
