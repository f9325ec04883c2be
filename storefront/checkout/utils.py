from oscar.apps.checkout import utils


class CheckoutSessionData(utils.CheckoutSessionData):
    """Oscar's checkout session, which also keeps the guest's mobile number."""

    def set_guest_phone(self, phone: str) -> None:
        self._set("guest", "phone", phone)

    def get_guest_phone(self) -> str | None:
        return self._get("guest", "phone")
