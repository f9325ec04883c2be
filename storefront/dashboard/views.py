from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from oscar.apps.dashboard import views as dashboard_views
from oscar.apps.dashboard.catalogue import views as catalogue_views
from oscar.apps.dashboard.orders import views as oscar_views

from catalog import selectors as catalog_selectors
from sellers import selectors


def _is_partner_user(request) -> bool:
    return not request.user.is_staff


class OrderListView(oscar_views.OrderListView):
    def dispatch(self, request, *args, **kwargs):
        if _is_partner_user(request):
            return redirect("workspace:parcels")
        return super().dispatch(request, *args, **kwargs)


class OrderDetailView(oscar_views.OrderDetailView):
    def dispatch(self, request, *args, **kwargs):
        if not _is_partner_user(request):
            return super().dispatch(request, *args, **kwargs)
        if request.method != "GET":
            raise PermissionDenied  # order status, payments and notes: staff only
        number = kwargs["number"]
        if not selectors.parcel_list(user=request.user, order_number=number).exists():
            raise Http404
        return redirect(reverse("workspace:parcels") + f"?order={number}")


class IndexView(dashboard_views.IndexView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and _is_partner_user(request):
            return redirect("workspace:parcels")
        return super().dispatch(request, *args, **kwargs)


class ProductListView(catalogue_views.ProductListView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and _is_partner_user(request):
            return redirect("listing:households")
        return super().dispatch(request, *args, **kwargs)


class ProductCreateUpdateView(catalogue_views.ProductCreateUpdateView):
    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and _is_partner_user(request)):
            return super().dispatch(request, *args, **kwargs)
        if request.method != "GET" or "pk" not in kwargs:
            raise PermissionDenied  # listing happens in the workspace, audited
        try:
            catalog_selectors.listing_product_get(
                households=selectors.household_caseload(user=request.user),
                pk=kwargs["pk"],
            )
        except catalog_selectors.Product.DoesNotExist as error:
            raise Http404 from error
        return redirect("listing:edit", pk=kwargs["pk"])
