"""Oscar's basket middleware, loading basket lines with what every page reads."""

from django.db.models import Prefetch
from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


class BasketMiddleware(OscarBasketMiddleware):
    """Each line's product class, attribute values and stock records come with
    the lines.

    Oscar's lines query leaves them out, and its pricing strategy reads the
    class and stock records per line (three queries a line on every basket and
    checkout page); the unit each line is counted in (斤, 盒) is an attribute.
    """

    def get_basket(self, request):
        basket = super().get_basket(request)
        if basket.id and basket._lines is None:
            basket._lines = (
                basket.lines.select_related("stockrecord__partner")
                .prefetch_related(
                    "attributes",
                    Prefetch(
                        "product",
                        queryset=Product.objects.select_related(
                            "product_class"
                        ).prefetch_attribute_values(),
                    ),
                    "product__images",
                    Prefetch(
                        "product__stockrecords", queryset=StockRecord.objects.all()
                    ),
                )
                .order_by("pk")
            )
        return basket
