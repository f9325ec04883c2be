"""PaymentMethods of type wechat_pay and alipay, and card brands by number.

localstripe knows only cards; its PaymentMethod, Card and Charge learn the
wallets and Stripe's brand names here (see `patches.install`).
"""

import secrets

from localstripe.resources import Card, Charge, PaymentMethod, StripeObject

from .errors import error, refuse_unknown

WALLETS = ("wechat_pay", "alipay")
METHOD_TYPES = ("card", *WALLETS)

# (prefixes, PaymentMethod brand, legacy Card brand); the first match wins.
BRANDS = (
    (("4",), "visa", "Visa"),
    (("51", "52", "53", "54", "55", "22", "23", "24", "25", "26", "27"), "mastercard",
     "MasterCard"),
    (("62", "81"), "unionpay", "UnionPay"),
    (("35",), "jcb", "JCB"),
    (("6011", "644", "645", "646", "647", "648", "649", "65"), "discover", "Discover"),
    (("300", "301", "302", "303", "304", "305", "36", "38", "39"), "diners",
     "Diners Club"),
)  # fmt: skip


def card_brand(number: str, *, legacy: bool = False) -> str:
    """Stripe's brand for a card number (legacy Card objects spell it differently)."""
    for prefixes, brand, legacy_brand in BRANDS:
        if number.startswith(prefixes):
            return legacy_brand if legacy else brand
    return "Unknown" if legacy else "unknown"


# PaymentMethod: type=wechat_pay | alipay beside localstripe's card/sepa_debit.

_payment_method_init = PaymentMethod.__init__


def payment_method_init(
    self,
    type=None,
    billing_details=None,
    metadata=None,
    wechat_pay=None,
    alipay=None,
    **kwargs,
):
    if type not in WALLETS:
        if wechat_pay is not None or alipay is not None:
            raise error("Bad request")
        _payment_method_init(
            self,
            type=type,
            billing_details=billing_details,
            metadata=metadata,
            **kwargs,
        )
        if self.type == "card":
            self.card["brand"] = card_brand(self._card_number)
        return
    refuse_unknown(kwargs)
    if billing_details is not None and not isinstance(billing_details, dict):
        raise error("Invalid billing_details", param="billing_details")
    # All exceptions must be raised before this point (it stores the object).
    StripeObject.__init__(self)
    self.type = type
    self.billing_details = billing_details or {}
    setattr(self, type, {})
    self.customer = None
    self.metadata = metadata or {}


_card_init = Card.__init__


def card_init(self, source=None, **kwargs):
    _card_init(self, source=source, **kwargs)
    self.brand = card_brand(self._card_number, legacy=True)


def payment_method_details(method) -> dict:
    """The charge's `payment_method_details` for a PaymentMethod or legacy Card."""
    number = getattr(method, "_card_number", None)
    if method.type == "card" and number:
        card = (
            vars(method) if isinstance(method, Card) else method.card
        )  # a legacy Card (from a token) keeps its details at the top level
        return {
            "type": "card",
            "card": {
                "brand": card_brand(number),
                "country": card["country"],
                "exp_month": card["exp_month"],
                "exp_year": card["exp_year"],
                "fingerprint": card["fingerprint"],
                "funding": card["funding"],
                "last4": number[-4:],
            },
        }
    transaction = "42" + "".join(secrets.choice("0123456789") for _ in range(26))
    if method.type == "wechat_pay":
        details = {
            "fingerprint": None,
            "location": None,
            "reader": None,
            "transaction_id": transaction,
        }
    elif method.type == "alipay":
        details = {"buyer_id": None, "fingerprint": None, "transaction_id": transaction}
    else:
        details = {}
    return {"type": method.type, method.type: details}


_charge_init = Charge.__init__


def charge_init(self, *args, **kwargs):
    _charge_init(self, *args, **kwargs)
    self.payment_method_details = payment_method_details(
        PaymentMethod._api_retrieve(self.payment_method)
    )
