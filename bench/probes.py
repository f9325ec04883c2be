"""What the benchmarks ask of a prepared database, run in its environment
(bench/harness.py's `prepare`) as `python -m bench.probes COMMAND`; each prints
JSON on its last line.

    urls                   the pages of bench/load.py: {name: path}
    shopper                three products in stock, of three households
    queries COOKIES URL... [status, queries] of each URL for a visitor with the
                           cookies (JSON: {name: value}; {} is a cookie-less
                           visitor, each request from a fresh client)
    basket COOKIES         [lines, households] of the basket the cookies name
    products               two products of different households, stock made ample
    paid                   {status: orders} of the orders placed
"""

import argparse
import json

import django


def page_urls() -> dict[str, str]:
    from django.urls import reverse
    from oscar.core.loading import get_model

    from storefront.models import HouseholdStoryPage

    category = get_model("catalogue", "Category").objects.get(name="鲜鱼")
    product = (
        get_model("catalogue", "Product")
        .objects.filter(stockrecords__num_in_stock__gt=0)
        .order_by("id")
        .first()
    )
    story = (
        HouseholdStoryPage.objects.live()
        .select_related("household")
        .order_by("path")
        .first()
    )
    household = story.household
    return {
        "home": "/",
        "catalogue": reverse("catalogue:index"),
        "category": category.get_absolute_url(),
        "household": reverse("catalogue:household", args=[household.slug]),
        "village": reverse("catalogue:village", args=[household.village]),
        "search": reverse("catalogue:index") + "?q=%E8%8D%89%E9%B1%BC",  # 草鱼
        "product": product.get_absolute_url(),
        "story": story.url,
        "basket": reverse("basket:summary"),
    }


def query_counts(cookies: dict, urls: list[str]) -> dict[str, tuple[int, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def client():
        made = Client(HTTP_HOST="127.0.0.1")
        for name, value in cookies.items():
            made.cookies[name] = value
        return made

    shopper = client()
    counts = {}
    for url in urls:
        # The first request warms this process's caches (page cache,
        # thumbnails); the second is counted, as wrk's steady state.
        (shopper if cookies else client()).get(url)
        with CaptureQueriesContext(connection) as captured:
            status = (shopper if cookies else client()).get(url).status_code
        counts[url] = (status, len(captured.captured_queries))
    return counts


def basket_contents(cookies: dict) -> tuple[int, int]:
    """How many lines, of how many households, the shopper's basket holds."""
    from django.conf import settings
    from django.core.signing import Signer
    from oscar.core.loading import get_model

    value = cookies.get(settings.OSCAR_BASKET_COOKIE_OPEN, "")
    basket_id = int(Signer().unsign(value)) if value else 0
    lines = get_model("basket", "Line").objects.filter(basket_id=basket_id)
    households = {line.stockrecord.partner_id for line in lines}
    return len(lines), len(households)


def shopper_products(count: int = 3) -> list[int]:
    """`count` products in stock, each of another household (by product id)."""
    from oscar.core.loading import get_model

    records = (
        get_model("partner", "StockRecord")
        .objects.filter(num_in_stock__gt=5, product__is_public=True)
        .order_by("id")
        .values_list("product_id", "partner_id")
    )
    seen, ids = set(), []
    for product_id, partner_id in records:
        if partner_id not in seen:
            seen.add(partner_id)
            ids.append(product_id)
        if len(ids) == count:
            break
    return ids


def order_products() -> list[int]:
    from oscar.core.loading import get_model

    StockRecord = get_model("partner", "StockRecord")
    StockRecord.objects.update(num_in_stock=100000, num_allocated=0)
    return shopper_products(2)


def orders_by_status() -> dict[str, int]:
    from django.db.models import Count
    from oscar.core.loading import get_model

    rows = (
        get_model("order", "Order")
        .objects.exclude(number__startswith="DEMO-")
        .values_list("status")
        .annotate(count=Count("id"))
    )
    return dict(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "command",
        choices=["urls", "shopper", "queries", "basket", "products", "paid"],
    )
    parser.add_argument("args", nargs="*")
    args = parser.parse_args(argv)
    django.setup()
    if args.command == "urls":
        result = page_urls()
    elif args.command == "shopper":
        result = shopper_products()
    elif args.command == "queries":
        result = query_counts(json.loads(args.args[0]), args.args[1:])
    elif args.command == "basket":
        result = basket_contents(json.loads(args.args[0]))
    elif args.command == "products":
        result = order_products()
    else:
        result = orders_by_status()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
