"""The carriers households post with, and the buyer's tracking link."""

import pytest

from sellers.fulfilment.carriers import carrier_names, tracking_url


@pytest.mark.parametrize(
    ("carrier", "code"),
    [
        ("顺丰速运", "shunfeng"),
        ("顺丰冷链", "shunfeng"),
        ("SF", "shunfeng"),
        ("中国邮政", "youzhengguonei"),
        ("中国邮政EMS", "ems"),
        ("EMS", "ems"),
        ("京东物流", "jd"),
        ("中通快递", "zhongtong"),
        ("圆通", "yuantong"),
        ("韵达快递", "yunda"),
        ("申通快递", "shentong"),
        ("极兔速递", "jtexpress"),
        ("J&T", "jtexpress"),
    ],
)
def test_a_known_carrier_links_to_its_tracking_page(carrier, code):
    assert tracking_url(carrier=carrier, tracking_number=" SF 123 ") == (
        f"https://www.kuaidi100.com/chaxun?com={code}&nu=SF+123"
    )


@pytest.mark.parametrize(
    ("carrier", "number"),
    [("德邦物流", "DB1"), ("村里的三轮车", "1"), ("", "SF1"), ("顺丰", "  ")],
)
def test_an_unknown_carrier_or_no_number_gets_no_link(carrier, number):
    assert tracking_url(carrier=carrier, tracking_number=number) == ""


def test_the_ship_form_suggests_the_common_carriers():
    assert carrier_names() == [
        "顺丰速运",
        "EMS",
        "中国邮政",
        "京东物流",
        "中通快递",
        "圆通速递",
        "韵达快递",
        "申通快递",
        "极兔速递",
    ]
