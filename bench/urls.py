"""The store's URLs plus a bare Django view, the baseline of bench/load.py."""

from django.http import HttpResponse
from django.urls import path

from storefront.urls import urlpatterns as store_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *store_urlpatterns]
