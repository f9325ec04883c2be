"""Oscar's product list and product page, which send a social worker to the
listing workspace; Oscar's bulk actions, which retire the cached pages."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from oscar.apps.dashboard.catalogue import views as oscar_views

from catalog.selectors import Product, listing_product_get
from sellers.households.selectors import household_caseload
from storefront import page_cache

from ..access import is_partner_user


class RetiresCachedPages:
    """Oscar's bulk actions (public or not, a new price for many products,
    categories shown or hidden) write with queryset.update(), which sends no
    signal: the cached public pages and basket pages would show the old
    prices and products until they expire. Any bulk action posted retires
    them."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        page_cache.version_bump()
        return response


class ProductBulkActionConfirmView(
    RetiresCachedPages, oscar_views.ProductBulkActionConfirmView
):
    pass


class CategoryListView(RetiresCachedPages, oscar_views.CategoryListView):
    pass


class CategoryDetailListView(RetiresCachedPages, oscar_views.CategoryDetailListView):
    pass


class ProductListView(RetiresCachedPages, oscar_views.ProductListView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and is_partner_user(request):
            return redirect("listing:households")
        return super().dispatch(request, *args, **kwargs)


class ProductCreateUpdateView(oscar_views.ProductCreateUpdateView):
    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and is_partner_user(request)):
            return super().dispatch(request, *args, **kwargs)
        if request.method != "GET" or "pk" not in kwargs:
            raise PermissionDenied  # listing happens in the workspace, audited
        try:
            listing_product_get(
                households=household_caseload(user=request.user), pk=kwargs["pk"]
            )
        except Product.DoesNotExist as error:
            raise Http404 from error
        return redirect("listing:edit", pk=kwargs["pk"])
