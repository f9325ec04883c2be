"""What the benchmarks ask of a prepared database, run in its environment
(bench/load.py's `prepare`) as `python -m bench.probes COMMAND`; each prints
JSON on its last line.

    urls               a category, a product in stock and a live story page
    queries URL...     [status, queries] of each URL as a visitor with a session
    products           two products of different households, stock made ample
"""

import argparse
import json

import django


def page_urls() -> list[str]:
    from oscar.core.loading import get_model

    from storefront.models import HouseholdStoryPage

    category = get_model("catalogue", "Category").objects.get(name="鲜鱼")
    product = (
        get_model("catalogue", "Product")
        .objects.filter(stockrecords__num_in_stock__gt=0)
        .order_by("id")
        .first()
    )
    story = HouseholdStoryPage.objects.live().order_by("path").first()
    return [category.get_absolute_url(), product.get_absolute_url(), story.url]


def query_counts(urls: list[str]) -> dict[str, tuple[int, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    # A personal page: never from the page cache.
    client.cookies["sessionid"] = "bench"
    counts = {}
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            status = client.get(url).status_code
        counts[url] = (status, len(captured.captured_queries))
    return counts


def order_products() -> list[int]:
    from oscar.core.loading import get_model

    StockRecord = get_model("partner", "StockRecord")
    StockRecord.objects.update(num_in_stock=100000, num_allocated=0)
    seen, ids = set(), []
    records = StockRecord.objects.order_by("id").values_list("product_id", "partner_id")
    for product_id, partner_id in records:
        if partner_id not in seen:
            seen.add(partner_id)
            ids.append(product_id)
        if len(ids) == 2:
            break
    return ids


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["urls", "queries", "products"])
    parser.add_argument("urls", nargs="*")
    args = parser.parse_args(argv)
    django.setup()
    if args.command == "urls":
        result = page_urls()
    elif args.command == "queries":
        result = query_counts(args.urls)
    else:
        result = order_products()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
