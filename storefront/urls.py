from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from .accounts.order_views import order_lookup, order_status, order_status_form
from .accounts.views import dev_sms, phone_sign_in
from .checkout.preorder_views import preorder_cancel
from .media import public_media
from .operations.health import HealthView, NodeHealthView
from .operations.metrics import metrics
from .views import campaign_landing, impact
from .workspace import urls as workspace_urls
from .workspace.views.stories import story_edit


class SearchRedirectView(RedirectView):
    """Oscar's haystack search page: our catalogue listing searches instead."""

    pattern_name = "catalogue:index"
    query_string = True


urlpatterns = [
    # For the load balancer and Prometheus (storefront/operations/).
    path("health/", HealthView.as_view(), name="health"),
    path("health/node/", NodeHealthView.as_view(), name="health-node"),
    path("metrics", metrics, name="metrics"),
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/phone/", phone_sign_in, name="phone-sign-in"),
    path("dev/sms/", dev_sms, name="dev-sms"),
    path("orders/lookup/", order_lookup, name="order-lookup"),
    path(
        "orders/<str:order_number>/preorder-cancel/",
        preorder_cancel,
        name="preorder-cancel",
    ),
    # Oscar's guest order addresses, answered by our pages: they are in every
    # notice already sent, so they must keep working.
    path(
        "shop/accounts/order-status/<str:order_number>/<str:hash>/",
        order_status,
        name="order-status",
    ),
    path(
        "shop/accounts/order-status-form/<str:order_number>/<str:hash>/",
        order_status_form,
        name="order-status-form",
    ),
    path(
        "workspace/listing/",
        include((workspace_urls.listing_urlpatterns, "listing")),
    ),
    path("workspace/stories/<str:slug>/", story_edit, name="story-edit"),
    path("workspace/", include(workspace_urls)),
    path("c/<slug:code>/", campaign_landing, name="campaign"),
    path("impact/", impact, name="impact"),
    path("shop/search/", SearchRedirectView.as_view()),
    path("shop/", include(apps.get_app_config("oscar").urls[0])),
]

if settings.SERVE_MEDIA and settings.MEDIA_URL.startswith("/"):
    urlpatterns.append(
        path(f"{settings.MEDIA_URL[1:]}<path:path>", public_media, name="media")
    )

urlpatterns += [
    # Wagtail's page tree catches everything else, so it must stay last.
    path("", include(wagtail_urls)),
]
