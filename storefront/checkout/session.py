from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import exceptions, session


class CheckoutSessionMixin(session.CheckoutSessionMixin):
    """Oscar's checkout steps, where a guest is known by his mobile number (his
    e-mail address is optional) and the number goes with the order."""

    def check_user_email_is_captured(self, request):
        if request.user.is_authenticated or self._guest_contact():
            return
        raise exceptions.FailedPreCondition(
            url=reverse("checkout:index"),
            message=_("Please sign in or enter your mobile number."),
        )

    def _guest_contact(self) -> bool:
        return bool(
            self.checkout_session.get_guest_phone()
            or self.checkout_session.get_guest_email()
        )

    def build_submission(self, **kwargs):
        submission = super().build_submission(**kwargs)
        order_kwargs = submission["order_kwargs"]
        user = submission["user"]
        if user.is_authenticated:
            phone = user.phone
        else:
            phone = self.checkout_session.get_guest_phone()
            # Oscar's order keeps "" for a guest who gave no e-mail address.
            order_kwargs["guest_email"] = order_kwargs.get("guest_email") or ""
        # Taken off again by OrderPlacementMixin.place_order, which keeps it.
        order_kwargs["buyer_phone"] = str(phone) if phone else None
        return submission
