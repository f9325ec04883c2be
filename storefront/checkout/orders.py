"""The buyer's side of an order once placed: who may pay it, and putting a
released order's lines back in a basket."""

from django.http import Http404
from django.urls import reverse
from oscar.core.loading import get_model

from storefront.accounts.lookup import signed_order_path

Order = get_model("order", "Order")

# The order numbers this session placed or opened by their signed link.
SESSION_KEY = "bangfu_orders"


def order_remember(*, request, order) -> None:
    """Let this session open the order again (a guest has no account)."""
    numbers = request.session.get(SESSION_KEY, [])
    number = str(order.number)  # Oscar's generator gives an int
    if number not in numbers:
        request.session[SESSION_KEY] = [*numbers[-19:], number]


def order_status_path(order) -> str:
    """Where the buyer follows his order: his account's order page if he has an
    account, else its signed link (it opens the order, no questions)."""
    if order.user_id:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return signed_order_path(order)


def order_for_buyer(*, request, number: str, token: str = ""):
    """The order, if this request is its buyer: the signed-in owner, the
    session that placed it, or the holder of its signed link; else Http404
    (the same for an order that exists and one that does not)."""
    order = Order.objects.filter(number=number).first()
    if order is None:
        raise Http404
    user = request.user
    if order.user_id is not None and user.is_authenticated:
        if order.user_id == user.id:
            return order
    elif str(number) in request.session.get(SESSION_KEY, []):
        return order
    if token and order.check_verification_hash(token):
        order_remember(request=request, order=order)
        return order
    raise Http404


def order_basket_refill(*, basket, order) -> list[str]:
    """Put the order's lines back in the basket; the titles that could not be
    (no longer sold, or not enough left)."""
    missing = []
    for line in order.lines.select_related("product").order_by("id"):
        product = line.product
        if product is None:
            missing.append(line.title)
            continue
        info = basket.strategy.fetch_for_product(product)
        allowed, _reason = info.availability.is_purchase_permitted(line.quantity)
        if not allowed:
            missing.append(line.title)
            continue
        basket.add_product(product, line.quantity)
    return missing
