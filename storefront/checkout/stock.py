"""Stock allocation that cannot oversell, on SQLite and PostgreSQL alike."""

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.order.utils import OrderCreator
from oscar.core.loading import get_model

from sellers.preorders.services import preorder_limit_check
from storefront import page_cache

StockRecord = get_model("partner", "StockRecord")


def stock_allocate(*, stockrecord_id: int, quantity: int) -> bool:
    """Allocate `quantity` units only if that many are free, in one statement.

    Oscar checks availability before payment and then allocates with an
    unconditional increment, so two buyers could both get the last fish. This
    UPDATE changes no row when stock is short; `select_for_update` would do
    nothing on SQLite.
    """
    allocated = Coalesce(F("num_allocated"), 0)
    updated = StockRecord.objects.filter(
        pk=stockrecord_id, num_in_stock__gte=allocated + quantity
    ).update(num_allocated=allocated + quantity, date_updated=timezone.now())
    if updated:
        page_cache.version_bump()
    return bool(updated)


def stock_release(*, stockrecord_id: int, quantity: int) -> bool:
    """Give back `quantity` allocated units of an order that was not paid.

    Never below zero: a release repeated by mistake changes nothing.
    """
    updated = StockRecord.objects.filter(
        pk=stockrecord_id, num_allocated__gte=quantity
    ).update(num_allocated=F("num_allocated") - quantity, date_updated=timezone.now())
    if updated:
        page_cache.version_bump()
    return bool(updated)


class GuardedOrderCreator(OrderCreator):
    """Oscar's order creator with the guarded allocation (still in stock-record
    id order and inside the order's transaction, as Oscar calls it)."""

    def update_stock_records(self, line):
        # A pre-order's per-order limit holds however the basket was filled.
        refused = preorder_limit_check(product=line.product, quantity=line.quantity)
        if refused:
            raise UnableToPlaceOrder(refused)
        if not line.product.get_product_class().track_stock:
            return
        if not stock_allocate(
            stockrecord_id=line.stockrecord_id, quantity=line.quantity
        ):
            raise UnableToPlaceOrder(
                _("Sorry, “%(product)s” has just sold out. Nothing was charged.")
                % {"product": line.product.get_title()}
            )
