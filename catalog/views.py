"""Catalogue listings on the ORM instead of Oscar's haystack-backed search views."""

from django.contrib import messages
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.encoding import escape_uri_path
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from oscar.apps.catalogue import views as oscar_views
from oscar.core.loading import get_class, get_model

from sellers.models import Household

from . import selectors

Category = get_model("catalogue", "Category")
CustomerHistoryManager = get_class("customer.history", "CustomerHistoryManager")
# How many recently viewed products Oscar's product page shows.
RECENTLY_VIEWED_SHOWN = 6

SORT_CHOICES = [
    ("newest", _("Newest")),
    ("price_asc", _("Price: low to high")),
    ("price_desc", _("Price: high to low")),
]


class ProductListView(ListView):
    """All products, or those matching the search box; the base of every listing."""

    template_name = "oscar/catalogue/browse.html"
    context_object_name = "products"
    paginate_by = 24
    summary = _("All products")

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            messages.error(request, _("The given page number was invalid."))
            return redirect(request.path)

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except InvalidPage as exc:
            raise Http404 from exc

    def get_query(self) -> str:
        return self.request.GET.get("q", "").strip()[:100]

    def get_sort(self) -> str:
        sort = self.request.GET.get("sort", "newest")
        return sort if sort in dict(SORT_CHOICES) else "newest"

    def get_filters(self) -> dict:
        return {}

    def get_queryset(self):
        return selectors.product_list(
            query=self.get_query(), sort=self.get_sort(), **self.get_filters()
        )

    def get_summary(self):
        query = self.get_query()
        if query:
            return _("Products matching “%(query)s”") % {"query": query}
        return self.summary

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = {"q": self.get_query()} if self.get_query() else {}
        context.update(
            summary=self.get_summary(),
            query=self.get_query(),
            sort=self.get_sort(),
            sort_choices=SORT_CHOICES,
            page_params=urlencode(params | {"sort": self.get_sort()}),
        )
        return context


class CatalogueView(ProductListView):
    pass


class ProductCategoryView(ProductListView):
    """Products in one category and its subcategories."""

    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category.objects.browsable(), pk=kwargs["pk"])
        if escape_uri_path(request.path) != self.category.get_absolute_url():
            return HttpResponsePermanentRedirect(self.category.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_filters(self):
        return {"category": self.category}

    def get_summary(self):
        return self.category.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        return context


class HouseholdProductsView(ProductListView):
    """Products of one household."""

    template_name = "catalog/household_products.html"

    def get(self, request, *args, **kwargs):
        self.household = get_object_or_404(
            Household.objects.active().select_related("photo"),
            slug=kwargs["household_slug"],
        )
        return super().get(request, *args, **kwargs)

    def get_filters(self):
        return {"household": self.household}

    def get_summary(self):
        return _("Produce of %(household)s") % {"household": self.household.public.name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["household"] = self.household
        return context


class VillageProductsView(ProductListView):
    """Products of every household in one village."""

    def get(self, request, *args, **kwargs):
        self.village = kwargs["village"]
        if (
            not Household.objects.active()
            .filter(village=self.village, shows_village=True)
            .exists()
        ):
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_filters(self):
        return {"village": self.village}

    def get_summary(self):
        return _("Produce of %(village)s") % {"village": self.village}


class ProductDetailView(oscar_views.ProductDetailView):
    """Oscar's product page, with the card of the household that raised it."""

    enforce_parent = True

    def get_queryset(self):
        return selectors.product_page_list()

    def get_object(self, queryset=None):
        """The product, loaded together with the last products the visitor
        viewed: Oscar's recently-viewed cards below it take theirs from here
        (with_card_data) instead of fetching each card's data apart."""
        if hasattr(self, "object"):
            return self.object
        pk = int(self.kwargs["pk"])
        viewed = [
            id_
            for id_ in CustomerHistoryManager.extract(self.request)
            if isinstance(id_, int)
        ][-RECENTLY_VIEWED_SHOWN - 1 :]
        products = {
            product.pk: product
            for product in self.get_queryset().filter(pk__in={pk, *viewed})
        }
        if pk not in products:
            raise Http404
        for product in products.values():
            # Oscar's templates ask the product (a cached property) for its
            # count, which the query has already counted.
            product.__dict__["num_approved_reviews"] = product.approved_reviews or 0
        self.request.loaded_products = products
        return products[pk]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["household"] = selectors.product_household(self.object)
        context["certificate"] = (
            selectors.certificate_get_valid(product=self.object)
            if self.object.certified
            else None
        )
        if context["household"] is not None:
            public = context["household"].public
            context["share_description"] = " · ".join(
                part for part in (public.name, public.village) if part
            )
        story = getattr(context["household"], "story_page", None)
        context["story_page"] = story if story is not None and story.live else None
        return context
