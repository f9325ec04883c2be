"""The buyer's side of a harvest pre-order: withdrawing it after a delay."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sellers.preorders.services import preorder_buyer_cancel

from .orders import order_for_buyer, order_status_path


@never_cache
@require_POST
def preorder_cancel(request, order_number: str):
    """The buyer withdraws his pre-order after its harvest was delayed (full
    refund); the buyer is whoever may open the order (order_for_buyer)."""
    order = order_for_buyer(
        request=request, number=order_number, token=request.POST.get("h", "")
    )
    try:
        cancelled = preorder_buyer_cancel(order=order)
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
    else:
        refunded = sum((p.refunded for p in cancelled), Decimal("0.00"))
        messages.success(
            request,
            _("The pre-order is cancelled; ¥%(amount)s goes back the way you paid.")
            % {"amount": refunded},
        )
    return redirect(order_status_path(order))
