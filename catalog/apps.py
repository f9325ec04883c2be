from django.urls import path
from oscar.apps.catalogue import apps


class CatalogConfig(apps.CatalogueConfig):
    """Oscar's catalogue, forked where it differs: ORM listings, households, villages.

    The package is named ``catalog`` (the repository layout) while the app label
    stays Oscar's ``catalogue``: Oscar finds forked modules by label, and its
    other apps' migrations depend on ``catalogue``.
    """

    name = "catalog"

    def ready(self):
        super().ready()
        from oscar.apps.analytics.receivers import receive_product_view
        from oscar.apps.catalogue.signals import product_viewed

        from sellers.ledger.summaries import line_facts_register

        from . import selectors, views

        # Oscar counts every product view with an UPDATE of one shared row:
        # under load on SQLite that write locks the database (2–5% of product
        # pages answered 500 "database is locked" with two workers).
        product_viewed.disconnect(receive_product_view)
        # The bureau's sales by category read what a product line counted
        # under when it was sold; sellers may not import the catalogue.
        line_facts_register(selectors.product_sale_facts)

        self.household_view = views.HouseholdProductsView
        self.village_view = views.VillageProductsView

    def get_urls(self):
        urls = super().get_urls()
        urls += [
            path(
                "household/<str:household_slug>/",
                self.household_view.as_view(),
                name="household",
            ),
            path("village/<str:village>/", self.village_view.as_view(), name="village"),
        ]
        return self.post_process_urls(urls)
