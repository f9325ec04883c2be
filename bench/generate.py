"""Fill a database with N households and M products, on top of the demo store.

    DJANGO_SETTINGS_MODULE=storefront.settings.dev \
        python bench/generate.py --households 200 --products 2000

Products are written with bulk_create (with their stock records, attribute
values and categories) so that 2,000 of them take seconds, not minutes.
"""

import argparse
import os
import random
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=200)
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storefront.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("load_demo", verbosity=0)
    with transaction.atomic():
        generate(args.households, args.products, random.Random(args.seed))
    # Statistics as autovacuum leaves them after a bulk load in production.
    # This machine's PostgreSQL runs without autovacuum: unanalysed, the
    # planner takes the 2,000 products for one row each and nests its loops
    # (a listing's count and page took 23 ms instead of 6).
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
        )


def generate(household_count: int, product_count: int, rng: random.Random) -> None:
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.utils import timezone
    from oscar.apps.catalogue.categories import create_from_breadcrumbs
    from oscar.core.loading import get_model

    from sellers.consent.services import consent_record
    from sellers.households.services import household_create
    from sellers.models import DisplayLevel, Household, Organisation
    from storefront.demo import data
    from storefront.models import HouseholdIndexPage, HouseholdStoryPage

    product_model = get_model("catalogue", "Product")
    product_class = get_model("catalogue", "ProductClass").objects.get(slug="produce")
    attribute = {
        a.code: a
        for a in get_model("catalogue", "ProductAttribute").objects.filter(
            product_class=product_class
        )
    }
    attribute_value = get_model("catalogue", "ProductAttributeValue")
    product_category = get_model("catalogue", "ProductCategory")
    stock_record = get_model("partner", "StockRecord")
    categories = {name: create_from_breadcrumbs(name) for name in data.CATEGORIES}

    organisation = Organisation.objects.get(slug=data.ORGANISATION["slug"])
    recorder = get_user_model().objects.get(email="social@bangfu.example")
    index = HouseholdIndexPage.objects.get()
    towns = ["统景镇", "木耳镇", "兴隆镇", "大盛镇", "茨竹镇"]
    households = list(Household.objects.all())
    for number in range(len(households), household_count):
        town = towns[number % len(towns)]
        household = household_create(
            organisation=organisation,
            nickname=f"bench-{number}",
            legal_name=f"测试{number}",
            public_name=f"农户{number}",
            district=data.DISTRICT,
            town=town,
            village=f"{town[:2]}{number % 20}村",
            introduction="基准测试农户",
        )
        # A story goes live only with the household's consent.
        consent_record(
            household=household,
            acting_user=recorder,
            display_level=DisplayLevel.GIVEN_NAME,
            scope=["story", "village", "name"],
            given_on=timezone.localdate(),
            signed_form=ContentFile(b"%PDF-1.4\n% bench\n", name="consent.pdf"),
            witness="村主任",
            minors_appear=False,
        )
        index.add_child(
            instance=HouseholdStoryPage(
                title=f"农户{number}的故事", slug=household.slug, household=household
            )
        )
        households.append(household)

    existing = product_model.objects.count()
    kinds = list(data.PRODUCE.items())
    products, offers = [], []
    for number in range(existing, product_count):
        household = households[number % len(households)]
        kind, (category, unit, price, _drawing) = kinds[rng.randrange(len(kinds))]
        products.append(
            product_model(
                title=f"{kind}（{household.public_name or household.village}）{number}",
                slug=f"bench-{number}",
                product_class=product_class,
                description=f"{household.village}农户自产的{kind}。",
                is_public=True,
            )
        )
        offers.append((household, category, unit, price))
    product_model.objects.bulk_create(products)
    harvest = timezone.localdate()
    records, values, links = [], [], []
    for product, (household, category, unit, price) in zip(
        products, offers, strict=True
    ):
        records.append(
            stock_record(
                product=product,
                partner_id=household.partner_id,
                partner_sku=f"bench-{product.pk}",
                price_currency="CNY",
                price=price + Decimal(rng.randrange(0, 300)) / 100,
                num_in_stock=rng.randrange(0, 200),
            )
        )
        values += [
            attribute_value(
                product=product, attribute=attribute["unit"], value_text=unit
            ),
            attribute_value(
                product=product,
                attribute=attribute["available_from"],
                value_date=harvest,
            ),
        ]
        links.append(product_category(product=product, category=categories[category]))
    stock_record.objects.bulk_create(records)
    attribute_value.objects.bulk_create(values)
    product_category.objects.bulk_create(links)
    households_total = Household.objects.count()
    print(f"{households_total} households, {product_model.objects.count()} products")


if __name__ == "__main__":
    main()
