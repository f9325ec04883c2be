"""Oscar's basket middleware, loading basket lines with what every page reads."""

from django.db.models import Prefetch
from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")


class BasketMiddleware(OscarBasketMiddleware):
    """Each line's product class and stock records come with the lines.

    Oscar's lines query leaves both out, and its pricing strategy reads them
    per line: three queries per line on every basket and checkout page.
    """

    def get_basket(self, request):
        basket = super().get_basket(request)
        if basket.id and basket._lines is None:
            basket._lines = (
                basket.lines.select_related(
                    "product__product_class", "stockrecord__partner"
                )
                .prefetch_related(
                    "attributes",
                    "product__images",
                    Prefetch(
                        "product__stockrecords", queryset=StockRecord.objects.all()
                    ),
                )
                .order_by("pk")
            )
        return basket
