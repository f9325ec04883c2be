"""A guest's own order page: found by order number and mobile number, or
opened by the signed link in his notices."""

from axes.helpers import get_client_ip_address
from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from . import lookup
from .phones import MainlandMobileField


class OrderLookupForm(forms.Form):
    number = forms.CharField(label=_("Order number"), max_length=128)
    phone = MainlandMobileField(label=_("Mobile number you ordered with"))


@never_cache
def order_lookup(request):
    """A guest types his order's number and his mobile number, and sees it."""
    form, error = OrderLookupForm(), None
    if request.method == "POST":
        form = OrderLookupForm(request.POST)
        if form.is_valid():
            try:
                order = lookup.order_lookup(
                    number=form.cleaned_data["number"],
                    phone=form.cleaned_data["phone"],
                    ip=get_client_ip_address(request) or "",
                )
            except ValidationError as refused:
                error = refused.messages[0]
            else:
                return redirect(lookup.signed_order_path(order))
    return render(
        request, "storefront/order_lookup.html", {"form": form, "error": error}
    )


@never_cache
def order_status(request, order_number: str, hash: str):
    """The order as its buyer follows it, opened by its signed link (the old
    Oscar address, so links in notices already sent still work)."""
    order = lookup.order_get_signed(number=order_number, signature=hash)
    if order is None:
        raise Http404
    return render(request, "oscar/customer/anon_order.html", {"order": order})


def order_status_form(request, order_number: str, hash: str):
    """Oscar's old e-mail step: the signed link needs none any more."""
    return redirect("order-status", order_number=order_number, hash=hash)
