"""The store's URLs plus the baselines of bench/load.py: a bare Django view
(no query, no template) and the one-query ceiling (one ORM query, a one-line
template), both behind the store's whole middleware stack."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path
from oscar.core.loading import get_model

from storefront.urls import urlpatterns as store_urlpatterns

Product = get_model("catalogue", "Product")
CEILING = engines["django"].from_string("<p>{{ title }}</p>\n")


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


def ceiling(request):
    """What a page costs at the least: one query, one template."""
    title = (
        Product.objects.filter(is_public=True)
        .order_by("pk")
        .values_list("title", flat=True)
        .first()
    )
    return HttpResponse(CEILING.render({"title": title}))


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/ceiling/", ceiling),
    *store_urlpatterns,
]
