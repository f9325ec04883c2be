"""Every interface string is translatable and translated into Simplified Chinese."""

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command

from tests.storefront.checkout import helpers

ZH_PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
OSCAR_PO = (
    Path(settings.BASE_DIR)
    / "locale"
    / "oscar"
    / "zh_Hans"
    / "LC_MESSAGES"
    / "django.po"
)


def untranslated(path: Path) -> list[str]:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="zh_Hans")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = (
            message.string if isinstance(message.string, tuple) else (message.string,)
        )
        if message.fuzzy or not all(strings):
            missing.append(message.id)
    return missing


@pytest.mark.parametrize("path", [ZH_PO, OSCAR_PO], ids=["ours", "oscar-completion"])
def test_every_message_in_the_catalogue_is_translated(path):
    assert untranslated(path) == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_catalogue_holds_every_string_of_the_source(tmp_path, settings, monkeypatch):
    # given: a copy of the sources and of the committed catalogue
    source = tmp_path / "src"
    for package in ("storefront", "catalog", "sellers", "templates"):
        shutil.copytree(Path(settings.BASE_DIR) / package, source / package)
    target = source / "locale" / "zh_Hans" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(ZH_PO, target / "django.po")
    settings.LOCALE_PATHS = [source / "locale"]
    monkeypatch.chdir(source)

    # when: the strings are extracted again
    call_command("makemessages", locale=["zh_Hans"], no_obsolete=True, verbosity=0)

    # then: no string is missing a translation
    assert untranslated(target / "django.po") == []


def test_pages_default_to_simplified_chinese(client, pages):
    html = client.get("/").content.decode()

    assert '<html lang="zh-hans">' in html
    assert "跳到正文" in html
    assert "帮扶集市" in html


def test_oscar_pages_speak_chinese_too(client, db):
    html = client.get("/shop/basket/").content.decode()

    assert '<html lang="zh-hans">' in html
    assert "购物车" in html


def test_visitor_can_switch_to_english(client, pages):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/"}, follow=True
    )

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "Bangfu Market" in html


def test_prices_are_in_yuan_in_both_languages(client, db):
    from tests import factories

    household = factories.household_create(slug="luo")
    product = factories.product_create(household=household)

    zh = client.get(product.get_absolute_url()).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    en = client.get(product.get_absolute_url()).content.decode()

    assert "¥15.00" in zh
    assert "¥15.00" in en
    assert "CN¥" not in en


class ReadText(HTMLParser):
    """What a buyer reads or hears: text, and the attributes shown or spoken."""

    SPOKEN = {"placeholder", "title", "alt", "aria-label"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style")
        attrs = dict(attrs)
        self.parts += [v for k, v in attrs.items() if k in self.SPOKEN and v]
        if tag == "input" and attrs.get("type") in ("submit", "button"):
            self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


# The buyer's own data, and the payment's source and reference on the receipt.
DATA = re.compile(r"\S+@example\.com|Stripe|pi_[A-Za-z0-9]+")
# Oscar writes aria-label="breadcrumb" outside gettext on its catalogue, product
# and basket pages; translating it means copying those blocks whole.
NOT_GETTEXT = {"breadcrumb"}


def english_words(html: str) -> set[str]:
    reader = ReadText()
    reader.feed(html)
    text = DATA.sub(" ", " ".join(reader.parts))
    return set(re.findall(r"[A-Za-z]{2,}", text)) - NOT_GETTEXT


@pytest.mark.usefixtures("stripe_settings")
def test_every_page_of_the_guest_buyer_s_path_speaks_chinese(client, pages):
    # given: fish and eggs from two households
    fish, eggs = helpers.two_households()

    # when: a guest buys them and follows his order from the e-mail's link
    path = helpers.guest_buyer_path(client, fish, eggs)

    # then: not one English word on any page, and the order's status in words
    assert {page: english_words(html) for page, html in path.items()} == {
        page: set() for page in path
    }
    assert all('<html lang="zh-hans">' in html for html in path.values())
    assert '<dd class="order-status">已付款</dd>' in path["order-status"]
    assert "没有找到用这个电子邮件地址下的这张订单" in path["order-not-found"]


@pytest.mark.usefixtures("stripe_settings")
def test_a_signed_in_buyer_s_orders_speak_chinese_without_tax_columns(client, pages):
    from django.contrib.auth import get_user_model

    from storefront.checkout.models import StripePayment

    # given: a buyer with an account pays for fish and eggs
    fish, eggs = helpers.two_households()
    buyer = get_user_model().objects.create_user(
        username="buyer", email="buyer@example.com", password="x"
    )
    client.force_login(buyer)
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.buy(client)
    number = StripePayment.objects.get().order_number

    # when
    orders = client.get("/shop/accounts/orders/")
    detail = client.get(f"/shop/accounts/orders/{number}/")

    # then
    assert (orders.status_code, detail.status_code) == (200, 200)
    html = detail.content.decode()
    assert english_words(html) == set()
    assert '<dd class="order-status">已付款</dd>' in html
    assert "含税" not in html
    assert "再次购买所有商品" in html
