"""The product page loads the site's stylesheet and one small script, none of
Oscar's stylesheet, jQuery or Bootstrap, and its photos sized and as WebP."""

import re

from oscar.core.loading import get_model

from tests import factories
from tests.sellers.helpers import photo_with_gps, upload

ProductImage = get_model("catalogue", "ProductImage")


def test_the_product_page_loads_only_the_sites_stylesheet_and_script(client, db):
    fish = factories.product_create(household=factories.household_create())

    html = client.get(fish.get_absolute_url()).content.decode()

    assert re.findall(r'<link rel="stylesheet"[^>]*href="([^"]+)"', html) == [
        "/static/storefront/css/site.css"
    ]
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/storefront/js/shop.js" defer>'
    ]
    assert '<body class="lean">' in html


def test_the_product_photo_is_sized_offered_as_webp_and_fetched_first(client, db):
    # given: a product with two 40 × 30 photos
    fish = factories.product_create(household=factories.household_create())
    for _ in range(2):
        ProductImage.objects.create(product=fish, original=upload(photo_with_gps()))

    # when
    html = client.get(fish.get_absolute_url()).content.decode()

    # then
    gallery = html[html.index('id="product_gallery"') :]
    sources = re.findall(r'<source srcset="([^"]+)" type="image/webp">', gallery)
    images = re.findall(r"<img ([^>]+)>", gallery)[:2]
    assert [s.endswith(".webp") for s in sources] == [True, True]
    assert [re.sub(r'src="[^"]+" ', "", image) for image in images] == [
        'width="40" height="30" alt="草鱼" fetchpriority="high" decoding="async"',
        'width="40" height="30" alt="草鱼" loading="lazy" decoding="async"',
    ]
