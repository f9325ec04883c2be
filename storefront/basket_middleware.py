"""Oscar's basket middleware, loading basket lines with what every page reads."""

from django.conf import settings
from django.core.signing import BadSignature, Signer
from django.db.models import Exists, OuterRef, Prefetch, Sum, prefetch_related_objects
from django.utils.functional import SimpleLazyObject, empty
from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware
from oscar.core.loading import get_class, get_model

from catalog.selectors import attribute_values_prefetch

StockRecord = get_model("partner", "StockRecord")
Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")
Applicator = get_class("offer.applicator", "Applicator")


class BasketMiddleware(OscarBasketMiddleware):
    """Each line's product class, attribute values, stock records and household
    come with the lines.

    Oscar's lines query leaves them out, and its pricing strategy reads the
    class and stock records per line (three queries a line on every basket and
    checkout page); the unit each line is counted in (斤, 盒) is an attribute.
    """

    def get_basket(self, request):
        basket = super().get_basket(request)
        if basket.id and basket._lines is None:
            # The products come joined to their lines (one query less than a
            # prefetch); what hangs off a product is prefetched through them.
            basket._lines = (
                basket.lines.select_related(
                    "product__product_class", "stockrecord__partner__household"
                )
                .prefetch_related(
                    "attributes",
                    product_prefetch(attribute_values_prefetch()),
                    "product__images",
                    Prefetch(
                        "product__stockrecords", queryset=StockRecord.objects.all()
                    ),
                )
                .order_by("pk")
            )
            # Fetched now, so that Oscar's count of the lines (is the basket
            # empty?) does not ask the database apart; the offers read the
            # vouchers.
            basket._lines._fetch_all()
            prefetch_related_objects([basket], "vouchers")
        return basket

    def apply_offers_to_basket(self, request, basket):
        """Oscar's application of the offers, which the basket keeps: the basket
        page's upsell messages read them (storefront.basket.views) instead of
        asking for the site's offers again."""
        if not basket.is_empty:
            applicator = Applicator()
            offers = applicator.get_offers(basket, request.user, request)
            applicator.apply_offers(basket, offers)
            basket.offers_considered = offers


def product_prefetch(prefetch: Prefetch) -> Prefetch:
    """A product's prefetch, made a basket line's (through its product)."""
    return Prefetch(
        f"product__{prefetch.prefetch_through}",
        queryset=prefetch.queryset,
        to_attr=prefetch.to_attr,
    )


def basket_item_count(request) -> int:
    """How many items the visitor's open basket holds, for the header: the
    loaded basket's count when this request has loaded it, else one sum over
    its lines, without loading the basket, its offers and its products.

    Not cached: a count cached in one process's memory (the default cache)
    would stay stale in the others after a line is added elsewhere.
    """
    basket = getattr(request, "basket", None)
    if basket is None:
        return 0
    if not isinstance(basket, SimpleLazyObject) or basket._wrapped is not empty:
        return basket.num_items
    loaded = getattr(request, "_basket_cache", None)
    if loaded is not None and loaded._lines is not None:
        return loaded.num_items
    if hasattr(request, "_basket_item_count"):
        # Counted with the basket page's cache key (guest_basket_state).
        return request._basket_item_count
    lines = _open_basket_lines(request)
    if lines is None:
        # A signed-in buyer with a cookie basket to merge: only Oscar's full
        # load merges it (and says so).
        return basket.num_items
    count = lines.aggregate(count=Sum("quantity"))["count"] or 0
    cookie_key = settings.OSCAR_BASKET_COOKIE_OPEN
    if not count and cookie_key in request.COOKIES:
        # Its basket became an order, or is empty or forged: drop the cookie,
        # so that the visitor gets cached pages again (Oscar sets a new one
        # with the next line, for a new basket). An empty basket goes with
        # it: nothing would find it again.
        _empty_basket_delete(request.COOKIES[cookie_key])
        request.cookies_to_delete.append(cookie_key)
    return count


def guest_basket_state(request) -> tuple | None:
    """What a guest's basket page shows of the basket itself, in one query and
    without loading it: each line's id, reference (product, stock record and
    options), quantity, prices and last change. The header's count comes from
    the same rows.

    None when the page is not cached for this visitor: signed in (the saved
    basket and per-buyer offers show), no open basket with lines, or a voucher
    on it (its dates and limits are its own)."""
    if request.user.is_authenticated:
        return None
    lines = _open_basket_lines(request)
    vouchers = Basket.vouchers.through.objects.filter(basket_id=OuterRef("basket_id"))
    rows = tuple(
        lines.annotate(voucher=Exists(vouchers))
        .order_by("pk")
        .values_list(
            "pk",
            "line_reference",
            "quantity",
            "price_incl_tax",
            "price_excl_tax",
            "date_updated",
            "voucher",
        )
    )
    if not rows or any(row[-1] for row in rows):
        return None
    request._basket_item_count = sum(row[2] for row in rows)
    return rows


def _empty_basket_delete(cookie: str) -> None:
    """Delete the open basket without lines that an anonymous visitor's signed
    cookie names, if there is one."""
    try:
        basket_id = Signer().unsign(cookie)
    except BadSignature:
        return
    # The lines are asked again here: one added since the count keeps it.
    Basket.objects.filter(
        pk=basket_id, owner=None, status=Basket.OPEN, lines__isnull=True
    ).delete()


def _open_basket_lines(request):
    """The lines of the visitor's open basket, as Oscar's middleware finds it:
    the signed basket cookie of an anonymous visitor, the owner's basket when
    signed in; None when finding it takes Oscar's load."""
    cookie = request.COOKIES.get(settings.OSCAR_BASKET_COOKIE_OPEN)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if cookie is not None:
            return None
        return Line.objects.filter(basket__owner=user, basket__status=Basket.OPEN)
    if cookie is None:
        return Line.objects.none()
    try:
        basket_id = Signer().unsign(cookie)
    except BadSignature:
        return Line.objects.none()
    return Line.objects.filter(
        basket_id=basket_id, basket__owner=None, basket__status=Basket.OPEN
    )
