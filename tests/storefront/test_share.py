"""Product and story pages carry a QR code of their address and share metadata."""

import re

import segno
from django.utils.html import escape

from tests import factories


def qr_of(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4)


def meta(html: str, name: str) -> str:
    match = re.search(rf'<meta property="{name}" content="([^"]*)">', html)
    return match.group(1) if match else ""


def test_a_product_page_can_be_shared_in_wechat(client, pages):
    household = factories.household_create(slug="luo", public_name="罗大哥")
    fish = factories.product_create(household=household, title="草鱼")

    html = client.get(fish.get_absolute_url()).content.decode()

    url = f"http://testserver{fish.get_absolute_url()}"
    assert qr_of(url) in html
    assert meta(html, "og:title") == "草鱼"
    assert meta(html, "og:description") == escape("罗大哥 · 西新村")
    assert meta(html, "og:url") == url
    assert meta(html, "og:type") == "product"


def test_a_story_page_can_be_shared_in_wechat(client, pages):
    _home, index = pages
    household = factories.household_create(slug="wang", public_name="王阿姨")
    story = factories.story_create(index=index, household=household, title="王阿姨的鸡")

    html = client.get(story.url).content.decode()

    url = f"http://testserver{story.url}"
    assert qr_of(url) in html
    assert meta(html, "og:title") == "王阿姨的鸡"
    assert meta(html, "og:url") == url
    assert meta(html, "og:type") == "article"
