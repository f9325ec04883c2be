"""At the fish pond: a social worker on a phone lists a product with a photo."""

import pytest
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model
from PIL import Image

from tests.browser.conftest import serious_violations
from tests.sellers import helpers

Product = get_model("catalogue", "Product")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_data", "stripe_settings"),
]


def test_a_social_worker_lists_a_product_with_a_photo_from_his_phone(
    live_server, phone, tmp_path
):
    # given: 罗大哥 in worker A's caseload, and a photo with its GPS position
    fish, _eggs, _bacon = helpers.three_households()
    create_from_breadcrumbs("鲜鱼")
    luo = fish.stockrecords.get().partner.household
    helpers.social_worker("a@agency.example", luo)
    photo = tmp_path / "IMG_2026_罗某银鱼塘.jpg"
    photo.write_bytes(helpers.photo_with_gps(orientation=6))
    base = live_server.url
    csp_violations = []
    phone.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )

    # when: he signs in, opens his household and lists a product
    phone.goto(base + "/shop/accounts/login/?next=/workspace/listing/")
    phone.locator("#id_login-username").fill("a@agency.example")
    phone.locator("#id_login-password").fill("pw-social-2026")
    phone.locator("button[name=login_submit]").click()
    phone.wait_for_url(base + "/workspace/listing/")
    phone.get_by_role("link", name="罗大哥").click()
    phone.get_by_role("link", name="上架商品").click()
    assert serious_violations(phone) == []
    phone.get_by_label("商品名称").fill("鲜活鲫鱼")
    phone.get_by_label("分类").select_option(label="鲜鱼")
    phone.get_by_label("单位").fill("斤")
    phone.get_by_label("单价（元）").fill("22.50")
    phone.get_by_label("可售数量").fill("30")
    phone.get_by_label("采收日期").fill("2026-11-28")
    phone.get_by_label("照片").set_input_files(str(photo))
    phone.get_by_role("button", name="上架").click()

    # then: it is on sale, upright, without its GPS position, on his list
    phone.get_by_text("“鲜活鲫鱼”已上架。").wait_for()
    assert "鲜活鲫鱼" in phone.locator(".listing").inner_text()
    assert serious_violations(phone) == []
    product = Product.objects.get(title="鲜活鲫鱼")
    assert str(product.stockrecords.get().price) == "22.50"
    with Image.open(product.images.get().original.path) as stored:
        assert stored.size == (30, 40)
        assert stored.getexif() == {}
    # and a buyer sees it in the catalogue
    phone.goto(base + product.get_absolute_url())
    assert "鲜活鲫鱼" in phone.locator("h1").inner_text()
    assert csp_violations == []
