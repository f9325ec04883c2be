"""Oscar's dashboard home, which sends a social worker to his parcels."""

from django.shortcuts import redirect
from oscar.apps.dashboard import views as oscar_views

from .access import is_partner_user


class IndexView(oscar_views.IndexView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and is_partner_user(request):
            return redirect("workspace:parcels")
        return super().dispatch(request, *args, **kwargs)
