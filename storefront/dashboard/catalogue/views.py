"""Oscar's product list and product page, which send a social worker to the
listing workspace."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from oscar.apps.dashboard.catalogue import views as oscar_views

from catalog.selectors import Product, listing_product_get
from sellers.households.selectors import household_caseload

from ..access import is_partner_user


class ProductListView(oscar_views.ProductListView):
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
