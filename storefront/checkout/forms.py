from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import forms as oscar_forms
from oscar.core.loading import get_model
from phonenumber_field.phonenumber import to_python as phone_number_parse

from storefront.accounts.phones import (
    NOT_A_MAINLAND_MOBILE,
    MainlandMobileField,
    mainland_mobile,
    phone_cn,
)

from . import regions

Country = get_model("address", "Country")


def _choices(divisions):
    return [("", _("Please choose"))] + [(d.code, d.name) for d in divisions]


class ShippingAddressForm(oscar_forms.ShippingAddressForm):
    """A Chinese address: recipient, mobile, province, city, district, street.

    Province, city and district are picked by GB/T 2260 code and stored by
    name: the province in ``state``, the city in ``line4``, the district in
    ``line3`` (a municipality is its own city, so ``line4`` repeats it).
    Stored names keep an old order readable after the table changes.
    """

    province = forms.ChoiceField(
        label=_("Province"),
        error_messages={"invalid_choice": _("Please choose a province from the list.")},
    )
    city = forms.ChoiceField(
        label=_("City"),
        error_messages={
            "invalid_choice": _(
                "This city is not in the chosen province; please choose it again."
            )
        },
    )
    district = forms.ChoiceField(
        label=_("District or county"),
        error_messages={
            "invalid_choice": _(
                "This district is not in the chosen city; please choose it again."
            )
        },
    )

    field_order = [
        "first_name",
        "phone_number",
        "province",
        "city",
        "district",
        "line1",
        "notes",
    ]

    class Meta(oscar_forms.ShippingAddressForm.Meta):
        fields = ["first_name", "phone_number", "line1", "notes"]
        labels = {
            "first_name": _("Recipient"),
            "phone_number": _("Mobile number"),
            "line1": _("Street and number"),
            "notes": _("Delivery notes"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.update(self._codes_of_stored_names(self.initial))
        if self.initial.get("phone_number"):
            # Stored as +86…; shown as the buyer typed it.
            self.initial["phone_number"] = phone_cn(
                phone_number_parse(str(self.initial["phone_number"]))
            )
        province = self._chosen("province")
        city = self._chosen("city")
        cities = regions.city_list(province_code=province)
        self.fields["province"].choices = _choices(regions.province_list())
        self.fields["city"].choices = _choices(cities)
        self.fields["district"].choices = _choices(
            regions.district_list(city_code=city)
            if any(c.code == city for c in cities)
            else ()
        )

    def adjust_country_field(self):
        # Parcels go to mainland China only, whatever else the table lists.
        self.fields.pop("country", None)
        self.instance.country = Country._default_manager.get(iso_3166_1_a2="CN")

    def _chosen(self, name):
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "")
        return self.initial.get(name, "")

    @staticmethod
    def _codes_of_stored_names(initial):
        """The codes of an address the session or address book holds by name."""
        if "province" in initial or not initial.get("state"):
            return {}
        province = regions.division_find(
            divisions=regions.province_list(), name=initial["state"]
        )
        city = province and regions.division_find(
            divisions=regions.city_list(province_code=province.code),
            name=initial.get("line4"),
        )
        district = city and regions.division_find(
            divisions=regions.district_list(city_code=city.code),
            name=initial.get("line3"),
        )
        return {
            name: division.code
            for name, division in (
                ("province", province),
                ("city", city),
                ("district", district),
            )
            if division
        }

    def clean(self):
        cleaned_data = super().clean()
        number = cleaned_data.get("phone_number")
        if not (number and mainland_mobile(number)):
            # One message, whatever Oscar's own phone check said before it.
            self.errors.pop("phone_number", None)
            self.add_error("phone_number", NOT_A_MAINLAND_MOBILE)
        if {"province", "city", "district"} <= cleaned_data.keys():
            for field, attribute in (
                ("province", "state"),
                ("city", "line4"),
                ("district", "line3"),
            ):
                names = dict(self.fields[field].choices)
                setattr(self.instance, attribute, names[cleaned_data[field]])
        return cleaned_data


class GatewayForm(oscar_forms.GatewayForm):
    """Who is buying: a guest gives his mobile number (his e-mail address is
    optional); staff may still sign in with e-mail and password here."""

    phone = MainlandMobileField(required=False)
    username = forms.EmailField(label=_("My e-mail address (optional)"), required=False)

    def clean(self):
        no_email = self.is_guest_checkout() and not self.cleaned_data.get("username")
        if no_email:
            # Else Oscar would look for an account with the empty address.
            self.cleaned_data.pop("username", None)
        cleaned_data = super().clean()
        if no_email:
            cleaned_data["username"] = ""
        if self.is_guest_checkout() and not (
            cleaned_data.get("phone") or cleaned_data.get("username")
        ):
            if "phone" not in self.errors:
                self.add_error("phone", _("Please enter your mobile number."))
        elif not self.is_guest_checkout() and not cleaned_data.get("username"):
            if "username" not in self.errors:
                self.add_error("username", _("Please enter your e-mail address."))
        return cleaned_data
