"""Sign-in by mobile number, and the local SMS sink's page for `make run`."""

from axes.helpers import get_client_ip_address
from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from sellers.notifications import sms_message_list

from . import services
from .phones import MainlandMobileField, mainland_mobile

# The number being signed in with stays in the session, never in a URL.
SESSION_PHONE = "bangfu_sign_in_phone"
# The code proved who he is: no password check by an authentication backend.
SIGNED_IN_BY = "django.contrib.auth.backends.ModelBackend"


class PhoneForm(forms.Form):
    phone = MainlandMobileField()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]{6}",
            }
        ),
    )


def _next_url(request) -> str:
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("customer:order-list")


@never_cache
def phone_sign_in(request):
    """A buyer signs in with his mobile number and a code texted to it: no
    password; his past guest orders of that number become his."""
    next_url = _next_url(request)
    if request.user.is_authenticated:
        return redirect(next_url)
    phone = mainland_mobile(request.session.get(SESSION_PHONE))
    phone_form, code_form, error = PhoneForm(), CodeForm(), None
    action = request.POST.get("action") if request.method == "POST" else None
    ip = get_client_ip_address(request) or ""
    try:
        if action == "change":
            request.session.pop(SESSION_PHONE, None)
            return redirect(request.get_full_path())
        if action == "send":
            phone_form = PhoneForm(request.POST)
            if phone_form.is_valid():
                number = phone_form.cleaned_data["phone"]
                services.sms_code_send(phone=number, ip=ip)
                request.session[SESSION_PHONE] = number.as_e164
                return redirect(request.get_full_path())
        elif action == "resend" and phone is not None:
            services.sms_code_send(phone=phone, ip=ip)
            return redirect(request.get_full_path())
        elif action == "verify" and phone is not None:
            code_form = CodeForm(request.POST)
            if code_form.is_valid():
                services.sms_code_verify(
                    phone=phone, code=code_form.cleaned_data["code"]
                )
                user = services.buyer_sign_in_by_phone(phone=phone)
                request.session.pop(SESSION_PHONE, None)
                login(request, user, backend=SIGNED_IN_BY)
                return redirect(next_url)
    except ValidationError as refused:
        error = refused.messages[0]
    return render(
        request,
        "storefront/phone_sign_in.html",
        {
            "phone": phone,
            "phone_form": phone_form,
            "code_form": code_form,
            "error": error,
            "next_url": next_url,
        },
    )


@never_cache
def dev_sms(request):
    """The texts the local SMS sink took, newest first: where the demo buyer
    reads his code. Exists only while DEBUG is on."""
    if not settings.DEBUG:
        raise Http404
    return render(
        request, "storefront/dev_sms.html", {"texts": sms_message_list(limit=50)}
    )
