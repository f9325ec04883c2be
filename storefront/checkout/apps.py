from django.urls import path
from oscar.apps.checkout import apps


class CheckoutConfig(apps.CheckoutConfig):
    """Oscar's checkout, forked for Stripe payment and the guarded stock allocation."""

    name = "storefront.checkout"

    def ready(self):
        super().ready()
        from . import receivers, views  # noqa: F401

        self.stripe_authorize_view = views.StripeAuthorizeView
        self.stripe_webhook_view = views.stripe_webhook
        self.province_regions_view = views.province_regions

    def get_urls(self):
        urls = super().get_urls()
        urls += [
            path(
                "stripe/authorize/",
                self.stripe_authorize_view.as_view(),
                name="stripe-authorize",
            ),
            path("stripe/webhook/", self.stripe_webhook_view, name="stripe-webhook"),
            path(
                "regions/<str:province_code>/",
                self.province_regions_view,
                name="province-regions",
            ),
        ]
        return self.post_process_urls(urls)
