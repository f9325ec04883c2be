"""A parcel's notices tell the buyer whom to ask: its organisation's contact and
the after-sales policy by e-mail, the service line alone by SMS."""

import pytest
from django.core import mail

from sellers.fulfilment.services import parcel_mark_shipped
from sellers.models import Parcel, SmsMessage
from storefront.accounts.phones import mainland_mobile
from storefront.accounts.services import order_phone_record
from tests import factories
from tests.sellers import helpers
from tests.storefront.test_service_contact import HONGLING, after_sales_add

pytestmark = pytest.mark.usefixtures("stripe_settings")


@pytest.fixture
def parcel(pages, settings, django_capture_on_commit_callbacks):
    """罗大哥's paid parcel, of an organisation with a service contact; the
    after-sales policy published."""
    settings.WAGTAILADMIN_BASE_URL = "https://bangfu.example"
    home, _index = pages
    after_sales_add(home)
    organisation = factories.OrganisationFactory(**HONGLING)
    fish, _eggs, _bacon = helpers.three_households(organisation)
    helpers.social_worker("a@agency.example", fish.stockrecords.get().partner.household)
    order = helpers.place_order((fish, 2))
    order_phone_record(order=order, phone=mainland_mobile("13812345678"))
    with django_capture_on_commit_callbacks(execute=True):
        helpers.pay(order)
    SmsMessage.objects.all().delete()
    mail.outbox.clear()
    return Parcel.objects.get(order=order)


def test_shipped_notice_carries_the_contact(parcel, django_capture_on_commit_callbacks):
    number = parcel.order.number

    with django_capture_on_commit_callbacks(execute=True):
        parcel_mark_shipped(
            parcel=parcel,
            carrier="顺丰",
            tracking_number="SF123",
            acting_user=parcel.household.partner.users.get(),
        )

    [email] = mail.outbox
    assert email.to == ["buyer@example.com"]
    assert email.body.endswith(
        "\n\n客服: 红领巾社会工作服务中心\n"
        "电话: 023-67881234\n"
        "微信号: hongling_kefu\n"
        "服务时间: 每天 9:00–21:00\n"
        "售后说明: https://bangfu.example/after-sales/\n"
    )
    assert list(SmsMessage.objects.values_list("phone", "text")) == [
        (
            "+8613812345678",
            f"【帮扶集市】您订单{number}的包裹已由顺丰发出，运单号SF123。\n"
            "客服电话：023-67881234",
        )
    ]
