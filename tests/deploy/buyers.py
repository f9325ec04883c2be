"""A person at a browser, over HTTPS through nginx: forms with their CSRF
token, retries after a node died under the request, as a buyer taps again."""

import re
import time

import requests

from tests.storefront.checkout.helpers import ADDRESS

RETRIED = (502, 503, 504)


class Browser:
    """One person's cookies; each request goes to the node (or balancer) at `base`."""

    def __init__(self, session: requests.Session):
        self.session = session
        self.failures = 0

    def get(self, base: str, path: str) -> requests.Response:
        return self._send("get", base, path)

    def post(self, base: str, path: str, data: dict, files=None) -> requests.Response:
        token = self.session.cookies.get("csrftoken") or self._token(base)
        return self._send(
            "post",
            base,
            path,
            data={**data, "csrfmiddlewaretoken": token},
            files=files,
            # What a browser sends with a form: Django checks them over HTTPS.
            headers={"Origin": base, "Referer": base + path, "X-CSRFToken": token},
        )

    def _token(self, base: str) -> str:
        html = self.get(base, "/shop/catalogue/").text
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def _send(self, method, base, path, tries=8, **kwargs) -> requests.Response:
        """The answer; a dropped connection or a gateway error (the node under
        the request died) is tried again, as a person taps again."""
        lost = None
        for attempt in range(tries):
            try:
                # requests lets REQUESTS_CA_BUNDLE override session.verify.
                response = self.session.request(
                    method,
                    base + path,
                    allow_redirects=False,
                    timeout=30,
                    verify=self.session.verify,
                    **kwargs,
                )
            except requests.ConnectionError as error:
                response, lost = None, error
            if response is not None and response.status_code not in RETRIED:
                return response
            self.failures += 1
            time.sleep(0.2 * (attempt + 1))
        last = f"{response.status_code} {response.text[:300]}" if response else lost
        raise AssertionError(f"{method} {path}: {last} after {tries} tries")


def sign_in(browser: Browser, user) -> None:
    """The user's session, as signing in leaves it: made here, it is in the
    Redis the nodes share (the test suite hashes passwords with MD5, which
    production settings do not accept, so the form cannot be used)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    browser.session.cookies.set(settings.SESSION_COOKIE_NAME, cookie)


def checkout_steps(browser: Browser, bases, products, email: str) -> str | None:
    """Basket to the placed order, each step on the next of `bases`; the order
    number from the pay page it leads to, or None if that answer was lost."""
    base = iter(bases * 8).__next__
    for product in products:
        added = browser.post(base(), f"/shop/basket/add/{product.pk}/", {"quantity": 1})
        assert added.status_code == 302, added.text[:500]
    browser.post(base(), "/shop/checkout/", {"username": email, "options": "anonymous"})
    address = browser.post(base(), "/shop/checkout/shipping-address/", ADDRESS)
    assert address.status_code == 302, address.text[:500]
    browser.post(
        base(), "/shop/checkout/shipping-method/", {"method_code": "parcel-delivery"}
    )
    review = browser.get(base(), "/shop/checkout/payment-details/")
    assert review.status_code == 200, review.text[:500]
    placed = browser.post(base(), "/shop/checkout/preview/", {"action": "place_order"})
    match = re.search(
        r"/shop/checkout/orders/([^/]+)/pay/", placed.headers.get("Location", "")
    )
    return match.group(1) if match else None


def pay(browser: Browser, base: str, number: str, card: str) -> dict:
    """The pay page's card payment: the JSON the page reads."""
    answer = browser.post(
        base,
        f"/shop/checkout/orders/{number}/pay/intent/",
        {"method": "card", "payment_method": card},
    )
    assert answer.status_code == 200, answer.text[:500]
    return answer.json()
