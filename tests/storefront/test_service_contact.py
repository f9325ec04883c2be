"""Whom the buyer asks: each organisation's service contact on the product page,
the receipt, its e-mail and the order page, and the after-sales policy beside it."""

import importlib
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from wagtail.models import Page

from sellers.models import Organisation
from storefront.models import AfterSalesPage
from tests import factories
from tests.sellers import helpers as order_helpers
from tests.storefront.checkout import helpers

User = get_user_model()

HONGLING = {
    "name": "红领巾社会工作服务中心",
    "service_phone": "023-67881234",
    "service_wechat": "hongling_kefu",
    "service_hours": "每天 9:00–21:00",
}
XINGFU = {
    "name": "幸福社工站",
    "service_phone": "+86 139 0000 2222",
    "service_wechat": "",
    "service_hours": "",
}
HONGLING_BOX = [
    "红领巾社会工作服务中心",
    "电话",
    "023-67881234",
    "微信号",
    "hongling_kefu",
    "服务时间",
    "每天 9:00–21:00",
]
HONGLING_TEXT = (
    "客服: 红领巾社会工作服务中心\n"
    "电话: 023-67881234\n"
    "微信号: hongling_kefu\n"
    "服务时间: 每天 9:00–21:00\n"
)


class ServiceBox(HTMLParser):
    """The text and links of the page's customer-service box."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.texts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "aside" and attrs.get("class") == "service-contact":
            self.depth = 1
        elif self.depth:
            self.depth += tag != "br"
            if tag == "a":
                self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and data.strip():
            self.texts.append(data.strip())


def service_box(html: str) -> tuple[list[str], list[str]]:
    box = ServiceBox()
    box.feed(html)
    return box.texts, box.links


def after_sales_add(home) -> AfterSalesPage:
    page = AfterSalesPage(
        title="售后说明",
        slug="after-sales",
        body=[("paragraph", "<p>签收后24小时内拍照联系客服。</p>")],
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def policy(pages):
    home, _index = pages
    return after_sales_add(home)


def product_of(organisation, slug, title="草鱼"):
    household = factories.household_create(organisation=organisation, slug=slug)
    return factories.product_create(household=household, title=title)


def test_product_page_shows_its_organisation_s_contact_and_the_policy(client, policy):
    # given
    fish = product_of(factories.OrganisationFactory(**HONGLING), "luo")

    # when
    html = client.get(fish.get_absolute_url()).content.decode()

    # then
    assert service_box(html) == (
        ["客服", *HONGLING_BOX, "售后说明"],
        ["tel:02367881234", "/after-sales/"],
    )


def test_an_organisation_without_a_contact_shows_only_the_policy(client, policy):
    fish = product_of(factories.OrganisationFactory(), "luo")

    html = client.get(fish.get_absolute_url()).content.decode()

    assert service_box(html) == (["客服", "售后说明"], ["/after-sales/"])


def test_no_box_without_contact_or_policy(client, pages):
    fish = product_of(factories.OrganisationFactory(), "luo")

    html = client.get(fish.get_absolute_url()).content.decode()

    assert service_box(html) == ([], [])
    assert "service-contact" not in html


def test_a_changed_contact_reaches_the_cached_product_page(
    client, policy, django_capture_on_commit_callbacks
):
    # given: the page is in the page cache
    organisation = factories.OrganisationFactory(**HONGLING)
    fish = product_of(organisation, "luo")
    client.get(fish.get_absolute_url())
    client.get(fish.get_absolute_url())

    # when
    organisation.service_phone = "023-67889999"
    with django_capture_on_commit_callbacks(execute=True):
        organisation.save()
    html = client.get(fish.get_absolute_url()).content.decode()

    # then
    assert service_box(html)[1] == ["tel:02367889999", "/after-sales/"]


@pytest.mark.usefixtures("stripe_settings")
def test_receipt_page_and_order_placed_email_show_each_organisation_once(
    client, policy, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://bangfu.example"
    # given: three products of two organisations
    hongling = factories.OrganisationFactory(**HONGLING)
    xingfu = factories.OrganisationFactory(**XINGFU)
    fish = product_of(hongling, "luo", "草鱼")
    eggs = product_of(hongling, "wang", "土鸡蛋")
    bacon = product_of(xingfu, "chen", "腊肉")
    helpers.checkout_to_payment(client, fish, eggs, bacon)

    # when
    helpers.buy(client)
    html = client.get("/shop/checkout/thank-you/").content.decode()
    [email] = mail.outbox

    # then
    both = (
        ["客服", *HONGLING_BOX, "幸福社工站", "电话", "+86 139 0000 2222", "售后说明"],
        ["tel:02367881234", "tel:+8613900002222", "/after-sales/"],
    )
    assert service_box(html) == both
    email_html = email.alternatives[0][0]
    assert service_box(email_html) == (
        both[0],
        [*both[1][:2], "https://bangfu.example/after-sales/"],
    )
    assert email.body.endswith(
        "\n\n"
        + HONGLING_TEXT
        + "\n客服: 幸福社工站\n电话: +86 139 0000 2222\n"
        + "售后说明: https://bangfu.example/after-sales/\n"
    )


def test_order_page_shows_the_contact_and_the_policy(client, policy):
    # given: a signed-in buyer's order of two households of one organisation
    hongling = factories.OrganisationFactory(**HONGLING)
    fish = product_of(hongling, "luo", "草鱼")
    eggs = product_of(hongling, "wang", "土鸡蛋")
    buyer = User.objects.create_user(username="buyer", password="pw-buyer-2026")
    order = order_helpers.place_order((fish, 1), (eggs, 2))
    order.user = buyer
    order.save(update_fields=["user"])
    client.force_login(buyer)

    # when
    html = client.get(f"/shop/accounts/orders/{order.number}/").content.decode()

    # then
    assert service_box(html) == (
        ["客服", *HONGLING_BOX, "售后说明"],
        ["tel:02367881234", "/after-sales/"],
    )


def test_footer_links_the_policy_which_opens(client, policy, pages):
    home, _index = pages

    html = client.get(home.url).content.decode()
    page = client.get("/after-sales/")

    assert ' · <a href="/after-sales/">售后说明</a>' in html
    assert page.status_code == 200
    assert "签收后24小时内拍照联系客服。" in page.content.decode()


def test_footer_has_no_policy_link_until_it_is_published(client, pages):
    home, _index = pages

    html = client.get(home.url).content.decode()

    assert "售后说明" not in html


def test_an_editor_changes_the_policy_in_wagtail(client, policy):
    # given: one of Wagtail's editors
    editor = User.objects.create_user(username="editor", password="pw-editor-2026")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    edit_url = f"/cms/pages/{policy.pk}/edit/"

    # when
    form = client.get(edit_url)
    response = client.post(
        edit_url,
        {
            "title": "售后说明",
            "slug": "after-sales",
            "body-count": "1",
            "body-0-type": "paragraph",
            "body-0-deleted": "",
            "body-0-order": "0",
            "body-0-value": '{"blocks": [{"key": "a1", "type": "unstyled", '
            '"text": "坏果请在24小时内拍照。", "depth": 0, '
            '"inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}',
        },
    )

    # then: his draft waits for a moderator
    assert form.status_code == 200
    assert response.status_code == 302
    draft = AfterSalesPage.objects.get().get_latest_revision_as_object()
    assert (
        str(draft.body[0].value) == '<p data-block-key="a1">坏果请在24小时内拍照。</p>'
    )


def test_migration_puts_the_default_policy_under_the_home_page(client, pages):
    # given: a database that had its home page before the policy existed
    home, index = pages
    migration = importlib.import_module(
        "storefront.migrations.0007_after_sales_page_default"
    )

    # when
    migration.add_page(apps, None)
    migration.add_page(apps, None)  # again: still one

    # then
    page = AfterSalesPage.objects.get()
    assert page.get_parent().specific == home
    assert [p.slug for p in home.get_children()] == ["households", "after-sales"]
    assert Page.objects.get(pk=home.pk).numchild == 2
    html = client.get("/after-sales/").content.decode()
    assert "<h1>售后说明：退换货与坏果包赔</h1>" in html
    assert "请在签收后24小时内拍照" in html
    assert AfterSalesPage.objects.get().url == "/after-sales/"
    assert Organisation.objects.count() == 0
