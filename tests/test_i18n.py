"""Every interface string is translatable and translated into Simplified Chinese."""

import json
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
    """What a buyer reads or hears: text, the attributes shown or spoken, and
    the messages a page's script shows (its JSON data blocks)."""

    SPOKEN = {"placeholder", "title", "alt", "aria-label"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0
        self._json: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style")
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") == "application/json":
            self._json = []
        self.parts += [v for k, v in attrs.items() if k in self.SPOKEN and v]
        if tag == "input" and attrs.get("type") in ("submit", "button"):
            self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")
        if tag == "script" and self._json is not None:
            data = json.loads("".join(self._json))
            if isinstance(data, dict):
                # Their placeholders (%(time)s) are filled in by the script.
                self.parts += [
                    re.sub(r"%\(\w+\)s", " ", v)
                    for v in data.values()
                    if isinstance(v, str)
                ]
            self._json = None

    def handle_data(self, data):
        if self._json is not None:
            self._json.append(data)
        elif not self._hidden:
            self.parts.append(data)


# The buyer's own data, and the payment's source and reference on the receipt.
DATA = re.compile(r"\S+@example\.com|Stripe|pi_[A-Za-z0-9]+")
# Oscar writes aria-label="breadcrumb" outside gettext on its catalogue, product
# and basket pages; translating it means copying those blocks whole.
NOT_GETTEXT = {"breadcrumb"}
# What a Chinese shop shows in Latin letters too: card brands' own marks.
BRAND_MARKS = re.compile(r"\b(?:UnionPay|Visa|Mastercard)\b")


def english_words(html: str) -> set[str]:
    reader = ReadText()
    reader.feed(html)
    text = DATA.sub(" ", " ".join(reader.parts))
    return set(re.findall(r"[A-Za-z]{2,}", text)) - NOT_GETTEXT


def english_texts(html: str, data: tuple[str, ...] = ()) -> list[str]:
    """Each piece of text a buyer reads or hears that still holds English,
    once his own data (`data`: codes, numbers, e-mail) and brand marks are
    left out."""
    reader = ReadText()
    reader.feed(html)
    found = []
    for part in reader.parts:
        text = part
        for datum in data:
            text = text.replace(datum, " ")
        text = BRAND_MARKS.sub(" ", DATA.sub(" ", text))
        if re.search(r"[A-Za-z]{2,}", text):
            found.append(" ".join(part.split()))
    return found


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
    assert helpers.parcel_states(path["order-status"]) == {
        "罗大哥": "待发货",
        "王阿姨": "待发货",
    }
    assert (
        '<p class="form-error" role="alert">没有找到用这个手机号下的这个订单号的订单，'
        "请核对后重试。</p>"
    ) in path["order-not-found"]


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


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what a request leaves for after its commit (the SMS)."""

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def buyer_path(client, commit, pages) -> dict[str, str]:
    """Every page of the buyer's path, from the home page through a purchase
    as a guest with his mobile number to his orders once signed in by SMS
    code: {page: html}."""
    from django.urls import reverse

    from sellers.models import PickupPoint
    from tests import factories
    from tests.storefront.accounts.helpers import last_code
    from tests.storefront.test_service_contact import after_sales_add

    home, index = pages
    after_sales_add(home)
    fish, eggs = helpers.two_households()
    household = fish.stockrecords.get().partner.household
    story = factories.story_create(
        index=index, household=household, summary="一口鱼塘养活一家五口"
    )
    # With a pickup point beside delivery, the buyer is asked how it travels.
    PickupPoint.objects.create(
        organisation=household.organisation,
        name="龙塔街道社区服务站",
        address="新牌坊一路88号",
        opening_hours="9:00–18:00",
    )
    seen = {
        "home": client.get("/"),
        "catalogue": client.get("/shop/catalogue/"),
        "category": client.get(fish.get_categories().get().get_absolute_url()),
        "product": client.get(fish.get_absolute_url()),
        "household-story": client.get(story.url),
        "household": client.get(
            reverse("catalogue:household", kwargs={"household_slug": household.slug})
        ),
        "village": client.get(
            reverse("catalogue:village", kwargs={"village": household.village})
        ),
        "search": client.get("/shop/catalogue/?q=鱼"),
        "after-sales": client.get("/after-sales/"),
        "impact": client.get("/impact/"),
    }
    helpers.add_to_basket(client, fish)
    helpers.add_to_basket(client, eggs)
    seen["basket"] = client.get("/shop/basket/")
    seen["gateway"] = client.get("/shop/checkout/")
    client.post("/shop/checkout/", {"options": "anonymous", "phone": "13812345678"})
    seen["address"] = client.get("/shop/checkout/shipping-address/")
    client.post("/shop/checkout/shipping-address/", helpers.ADDRESS)
    seen["delivery"] = client.get("/shop/checkout/shipping-method/")
    client.post("/shop/checkout/shipping-method/", {"method_code": "parcel-delivery"})
    seen["review"] = client.get("/shop/checkout/payment-details/")
    helpers.place_order(client)
    number = helpers.placed_number(client)
    seen["pay"] = client.get(f"/shop/checkout/orders/{number}/pay/")
    helpers.pay(client)
    seen["thank-you"] = client.get("/shop/checkout/thank-you/")
    seen["sign-in"] = client.get("/accounts/phone/")
    commit(
        lambda: client.post(
            "/accounts/phone/", {"action": "send", "phone": "13812345678"}
        )
    )
    seen["sign-in-code"] = client.get("/accounts/phone/")
    client.post("/accounts/phone/", {"action": "verify", "code": last_code()})
    seen["orders"] = client.get("/shop/accounts/orders/")
    seen["order"] = client.get(f"/shop/accounts/orders/{number}/")
    assert {name: r.status_code for name, r in seen.items()} == dict.fromkeys(seen, 200)
    return {name: response.content.decode() for name, response in seen.items()}


@pytest.mark.usefixtures("stripe_settings")
def test_not_one_english_text_on_the_buyer_s_path(client, commit, pages):
    # given: fish and eggs from two households, a story and the after-sales page
    # when: a buyer browses, buys as a guest by mobile number and signs in by SMS
    path = buyer_path(client, commit, pages)

    # then: every page is Chinese, whatever English is left is listed per page
    from storefront.checkout.models import StripePayment

    number = StripePayment.objects.get().order_number
    english = {
        page: found
        for page, html in path.items()
        if (found := english_texts(html, data=(number, "luo", "wang")))
    }
    assert english == {}, "English on the buyer's path:\n" + "\n".join(
        f"{page}: {found}" for page, found in english.items()
    )
    assert [page for page, html in path.items() if 'lang="zh-hans"' not in html] == []


def checkout_steps(html: str) -> list[str]:
    """The step bar's steps, the buyer's current one marked with ▶."""
    bar = re.search(r'<ol class="navbar-nav checkout-steps">(.*?)</ol>', html, re.S)
    return [
        ("▶" if "aria-current" in attrs else "") + re.sub(r"<[^>]+>|\s", "", item)
        for attrs, item in re.findall(r"<li([^>]*)>(.*?)</li>", bar.group(1), re.S)
    ]


def visible_text(html: str) -> str:
    reader = ReadText()
    reader.feed(html)
    return " ".join(" ".join(reader.parts).split())


@pytest.mark.usefixtures("stripe_settings")
def test_the_buyer_s_path_reads_the_way_a_chinese_shop_writes(client, commit, pages):
    # given / when: a buyer walks the path
    path = buyer_path(client, commit, pages)

    # then: the step bar follows the purchase: placed, then paid, then done
    steps = ["1收货地址", "2配送方式", "3提交订单", "4付款", "5完成"]
    assert checkout_steps(path["address"]) == ["▶1收货地址", *steps[1:]]
    assert checkout_steps(path["delivery"]) == [steps[0], "▶2配送方式", *steps[2:]]
    assert checkout_steps(path["review"]) == [*steps[:2], "▶3提交订单", *steps[3:]]
    assert checkout_steps(path["pay"]) == [*steps[:3], "▶4付款", steps[4]]
    assert checkout_steps(path["thank-you"]) == [*steps[:4], "▶5完成"]
    # and Oscar's machine-made Chinese is reworded
    texts = {page: visible_text(html) for page, html in path.items()}
    assert "配送方式 运费 送货上门（每户一个包裹）" in texts["delivery"]
    assert texts["delivery"].count(" 选择 ") == 2
    assert "登录后才能加入心愿单" in texts["product"]
    assert "结算时可以选择其他配送方式" in texts["basket"]
    assert "¥80.00 · 已付款 包裹: 待发货 · 待发货" in texts["orders"]
    number = path["pay"].split("订单 #", 1)[1].split(" ", 1)[0]
    assert (
        f"订单 {number}：支付成功 付款成功，您的订单号是 {number} 。"
        in texts["thank-you"]
    )
    machine_made = ["变化", "成本", "模式", "选择选项", "登陆", "产品项数目", "视图"]
    tax = ["税"]
    # Oscar's payment box said "no payment was required" of a paid order, and
    # its tracking box repeated the receipt's link
    gone = ["此订单无需付款", "追踪订单", "您可以跟踪订单状态"]
    assert {
        page: [word for word in machine_made + tax + gone if word in text]
        for page, text in texts.items()
    } == dict.fromkeys(texts, [])
