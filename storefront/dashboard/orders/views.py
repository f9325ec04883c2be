"""Oscar's order list and order page, which send a social worker to the
workspace's parcels."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from oscar.apps.dashboard.orders import views as oscar_views

from sellers.fulfilment.selectors import parcel_list

from ..access import is_partner_user


class OrderListView(oscar_views.OrderListView):
    def dispatch(self, request, *args, **kwargs):
        if is_partner_user(request):
            return redirect("workspace:parcels")
        return super().dispatch(request, *args, **kwargs)


class OrderDetailView(oscar_views.OrderDetailView):
    def dispatch(self, request, *args, **kwargs):
        if not is_partner_user(request):
            return super().dispatch(request, *args, **kwargs)
        if request.method != "GET":
            raise PermissionDenied  # order status, payments and notes: staff only
        number = kwargs["number"]
        if not parcel_list(user=request.user, order_number=number).exists():
            raise Http404
        return redirect(reverse("workspace:parcels") + f"?order={number}")
