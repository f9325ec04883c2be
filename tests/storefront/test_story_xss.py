"""What a social worker types renders as text: a corpus of script injections
entered through Wagtail's story editor and the listing workspace is inert on
the public pages."""

import json
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from storefront import stories
from storefront.models import HouseholdStoryPage
from tests import factories
from tests.sellers.helpers import two_caseloads

Product = get_model("catalogue", "Product")
pytestmark = pytest.mark.django_db

CORPUS = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "<iframe src='javascript:alert(1)'></iframe>",
    '<a href="javascript:alert(1)">点我</a>',
    "<body onload=alert(1)>",
    "<object data='data:text/html,<script>alert(1)</script>'></object>",
    "{{ request.user.password }}{% debug %}",
    "';alert(String.fromCharCode(88,83,83))//",
]
DANGEROUS_URLS = ("javascript:", "data:text/html", "vbscript:")


class ActiveContent(HTMLParser):
    """Everything in a page that a browser would run."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append((tag, name, value))
            if name in ("href", "src", "data", "action", "formaction") and value:
                if value.strip().lower().startswith(DANGEROUS_URLS):
                    self.found.append((tag, name, value))
        if tag in ("iframe", "object", "embed", "base"):
            self.found.append((tag, "element", ""))
        if tag == "script":
            # Ours carry a source or the request's nonce; data blocks run nothing.
            if not (
                attrs.get("src")
                or attrs.get("nonce")
                or attrs.get("type") == "application/json"
            ):
                self._script = tag

    def handle_data(self, data):
        if self._script and data.strip():
            self.found.append(("script", "inline", data.strip()))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def active_content(html: str):
    parser = ActiveContent()
    parser.feed(html)
    return parser.found


def contentstate(text: str, url: str) -> str:
    """A Draftail paragraph as the editor posts it, with a link entity."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "k1",
                    "type": "unstyled",
                    "depth": 0,
                    "text": text,
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": 3, "key": 0}],
                    "data": {},
                }
            ],
            "entityMap": {
                "0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}
            },
        }
    )


def test_story_written_in_wagtail_with_injections_renders_inert(client, pages):
    _home, index = pages
    _products, (luo, _wang, _chen), (worker_a, _b) = two_caseloads()
    factories.consent_create(luo)
    page = stories.story_page_get_or_create(household=luo, acting_user=worker_a)
    client.force_login(worker_a)
    paragraphs = [
        ("paragraph", contentstate(payload, url))
        for payload, url in zip(
            CORPUS,
            [
                "javascript:alert(1)",
                "JaVaScRiPt:alert(1)",
                " javascript:alert(1)",
                "data:text/html,<script>alert(1)</script>",
                "vbscript:msgbox(1)",
                'https://example.com/" onmouseover="alert(1)',
                "javascript&colon;alert(1)",
                "https://example.com/ok",
                "java\tscript:alert(1)",
            ],
            strict=True,
        )
    ]
    form = nested_form_data(
        {
            "title": CORPUS[0],
            "slug": "luo",
            "summary": CORPUS[1],
            "body": streamfield(
                [*paragraphs, ("heading", CORPUS[2]), ("quote", CORPUS[3])]
            ),
            "comments": inline_formset([]),
        }
    )

    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), form)

    assert response.status_code == 302, response.content.decode()[:2000]
    page = HouseholdStoryPage.objects.get(pk=page.pk)
    page.get_latest_revision().publish(skip_permission_checks=True)
    html = client.get("/households/luo/").content.decode()
    assert "alert" in html  # the words are shown, as text
    assert active_content(html) == []
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in html


def test_listing_with_injections_renders_inert(client, pages):
    create_from_breadcrumbs("鲜鱼")
    _products, _households, (worker_a, _b) = two_caseloads()
    client.force_login(worker_a)
    for number, payload in enumerate(CORPUS):
        client.post(
            reverse("listing:create", args=["luo"]),
            {
                "title": f"{payload}{number}",
                "category": create_from_breadcrumbs("鲜鱼").pk,
                "unit": payload[:10],
                "price": "10",
                "available": "5",
                "description": payload,
            },
        )
    client.logout()
    assert Product.objects.filter(title__startswith="<script>").count() == 1

    pages_html = [client.get("/shop/catalogue/").content.decode()] + [
        client.get(product.get_absolute_url()).content.decode()
        for product in Product.objects.filter(description__in=CORPUS)
    ]

    assert len(pages_html) == 1 + len(CORPUS)
    for html in pages_html:
        assert active_content(html) == []


def test_staff_html_descriptions_keep_their_formatting_but_lose_scripts(client, db):
    product = factories.product_create(household=factories.household_create())
    product.description = (
        "<p><strong>塘鱼</strong><script>alert(1)</script>"
        '<a href="javascript:alert(1)" onclick="alert(1)">看</a>'
        '<a href="https://example.com/">来源</a></p>'
    )
    product.save()

    html = client.get(product.get_absolute_url()).content.decode()

    assert (
        '<div class="product-description"><p><strong>塘鱼</strong>'
        '<a rel="noopener noreferrer">看</a>'
        '<a href="https://example.com/" rel="noopener noreferrer">来源</a></p></div>'
    ) in html
    assert active_content(html) == []


def test_plain_descriptions_keep_their_line_breaks(client, db):
    product = factories.product_create(household=factories.household_create())
    product.description = "今早现捞\n<每斤>约 3 条"
    product.save()

    html = client.get(product.get_absolute_url()).content.decode()

    assert "今早现捞<br>&lt;每斤&gt;约 3 条" in html
