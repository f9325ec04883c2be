from django.urls import path
from oscar.apps.checkout import apps


class CheckoutConfig(apps.CheckoutConfig):
    """Oscar's checkout, forked for the guarded stock allocation, orders placed
    awaiting payment, and their pay pages (Stripe)."""

    name = "storefront.checkout"

    def ready(self):
        super().ready()
        from . import receivers, views  # noqa: F401

        self.order_pay_view = views.OrderPayView
        self.stripe_webhook_view = views.stripe_webhook
        self.province_regions_view = views.province_regions

    def get_urls(self):
        urls = super().get_urls()
        from . import views

        urls += [
            path(
                "orders/<str:number>/pay/",
                self.order_pay_view.as_view(),
                name="order-pay",
            ),
            path(
                "orders/<str:number>/pay/intent/",
                views.order_pay,
                name="order-pay-intent",
            ),
            path(
                "orders/<str:number>/pay/status/",
                views.order_pay_status,
                name="order-pay-status",
            ),
            path(
                "orders/<str:number>/pay/return/",
                views.order_pay_return,
                name="order-pay-return",
            ),
            path(
                "orders/<str:number>/reorder/",
                views.order_reorder,
                name="order-reorder",
            ),
            path("stripe/webhook/", self.stripe_webhook_view, name="stripe-webhook"),
            path(
                "regions/<str:province_code>/",
                self.province_regions_view,
                name="province-regions",
            ),
        ]
        return self.post_process_urls(urls)
