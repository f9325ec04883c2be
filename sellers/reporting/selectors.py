"""Reads of the bureau's long exports, and whether the store holds demo sales."""

from django.conf import settings
from oscar.core.loading import get_model

from sellers.models import ReportExport


def report_export_get(*, user, pk: int) -> ReportExport:
    """An export the user asked for (any, for a superuser);
    ReportExport.DoesNotExist otherwise."""
    exports = ReportExport.objects.all()
    if not user.is_superuser:
        exports = exports.filter(requested_by=user)
    return exports.get(pk=pk)


def demo_orders_exist() -> bool:
    """Whether the demo's sales history is in the store (the report says so)."""
    Order = get_model("order", "Order")
    return Order.objects.filter(
        number__startswith=settings.BANGFU_DEMO_ORDER_PREFIX
    ).exists()
