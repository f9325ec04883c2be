"""Oscar's checkout views where payment differs: Stripe authorise → place → capture."""

import logging
import re

import stripe
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from oscar.apps.checkout import views
from oscar.apps.checkout.exceptions import FailedPreCondition
from oscar.apps.payment.exceptions import UnableToTakePayment
from oscar.core.loading import get_model

from sellers.fulfilment.selectors import basket_parcels

from . import payments, regions
from .mixins import OrderPlacementMixin
from .statuses import OrderStatus

Order = get_model("order", "Order")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

logger = logging.getLogger(__name__)

PAYMENT_METHOD_ID = re.compile(r"^(card|pm|src)_[A-Za-z0-9]{1,64}$")


class IndexView(views.IndexView):
    """Oscar's first checkout step: a guest gives his mobile number (e-mail
    optional), kept for the order. Its sign-in form is given the request, so
    that django-axes can count its failed attempts like any other login."""

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "request": self.request}
        phone = self.checkout_session.get_guest_phone()
        if phone:
            kwargs["initial"] = {**kwargs.get("initial", {}), "phone": phone}
        return kwargs

    def form_valid(self, form):
        if form.is_guest_checkout():
            phone = form.cleaned_data.get("phone")
            self.checkout_session.set_guest_phone(phone.as_e164 if phone else None)
        return super().form_valid(form)


class ShippingAddressView(views.ShippingAddressView):
    """Oscar's address step, whose province and city buttons reload the lists
    below them without JavaScript: the form comes back as typed, nothing is
    checked or stored."""

    def post(self, request, *args, **kwargs):
        if "choose_region" in request.POST:
            form = self.get_form_class()(initial=request.POST.dict())
            return self.render_to_response(self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)


@require_GET
def province_regions(request, province_code):
    """A province's cities and their districts (JSON), for the address pickers."""
    tree = regions.province_tree_get(province_code=province_code)
    if tree is None:
        raise Http404
    response = JsonResponse(tree, json_dumps_params={"ensure_ascii": False})
    # The table changes once a year at most, with a release of the package.
    patch_cache_control(response, public=True, max_age=86400)
    return response


class PaymentContextMixin:
    """The pay page's context: parcels per household and Stripe.js settings."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        method = context.get("shipping_method")
        # Offers wrap the method (Oscar's OfferDiscount): ask the method inside.
        method = getattr(method, "method", method)
        context["parcels"] = basket_parcels(
            basket=self.request.basket,
            charges=method.charges(self.request.basket) if method else {},
        )
        context["stripe_publishable_key"] = settings.STRIPE_PUBLISHABLE_KEY
        context["stripe_js_url"] = settings.STRIPE_JS_URL
        return context


class PaymentDetailsView(PaymentContextMixin, views.PaymentDetailsView):
    """Review and pay on one page; the final post places the authorised order.

    Oscar's view already takes our OrderPlacementMixin (found by label).
    """

    template_name = "oscar/checkout/payment_details.html"
    template_name_preview = "oscar/checkout/payment_details.html"

    def check_pre_conditions(self, request):
        try:
            super().check_pre_conditions(request)
        except FailedPreCondition:
            # Sent back to the basket (an item sold out, the basket changed):
            # an authorisation taken for this basket must not stay held.
            if request.method == "POST" and request.basket.id:
                payments.payment_release(
                    order_number=self.generate_order_number(request.basket)
                )
            raise

    def handle_payment(self, order_number, total, **kwargs):
        try:
            payment = payments.payment_verify(
                order_number=order_number, amount=total.incl_tax
            )
        except (payments.PaymentDeclined, payments.PaymentUnavailable) as error:
            raise UnableToTakePayment(str(error)) from error
        source_type, _created = SourceType.objects.get_or_create(
            code="stripe", defaults={"name": "Stripe"}
        )
        self.add_payment_source(
            Source(
                source_type=source_type,
                currency=total.currency,
                amount_allocated=total.incl_tax,
                reference=payment.payment_intent_id,
            )
        )
        self.add_payment_event(
            "authorised", total.incl_tax, reference=payment.payment_intent_id
        )
        self.stripe_payment = payment

    def handle_order_placement(self, order_number, *args, **kwargs):
        try:
            return super().handle_order_placement(order_number, *args, **kwargs)
        except Exception:
            order = Order.objects.filter(number=order_number).first()
            if order is None:
                # The order was not placed: release the buyer's money at once.
                payments.payment_release(order_number=order_number)
                raise
            # The order is written: whatever failed after it must not reopen
            # the basket (Oscar would) or leave the money uncaptured.
            logger.exception(
                "Order #%s: error after the order was placed", order_number
            )
            self._capture(order_number)
            self.checkout_session.flush()
            self.request.session["checkout_order_id"] = order.id
            return redirect(self.get_success_url())

    def handle_successful_order(self, order):
        # Capture first: the receipt e-mail and everything else come after
        # the money is taken.
        self._capture(order.number)
        return super().handle_successful_order(order)

    def _capture(self, order_number):
        try:
            payments.payment_capture(payment=self.stripe_payment)
        except (payments.PaymentUnavailable, payments.PaymentDeclined):
            # The order stands, authorised; reconcile_payments lists it until
            # the capture is retried.
            logger.error("Order #%s: capture failed; order placed", order_number)

    def send_order_placed_email(self, order):
        if not order.email:
            return  # a guest known by his mobile number only
        # The order is placed and paid for: a mail server that is down must
        # not turn that into an error (the receipt stays on the order page).
        try:
            super().send_order_placed_email(order)
        except Exception:
            logger.exception("Order #%s: the receipt e-mail was not sent", order.number)

    def get_initial_order_status(self, basket):
        return OrderStatus.AUTHORISED


class StripeAuthorizeView(OrderPlacementMixin, View):
    """Authorise the basket's total on the card the browser tokenised (JSON)."""

    pre_conditions = [
        "check_basket_is_not_empty",
        "check_basket_is_valid",
        "check_user_email_is_captured",
        "check_shipping_data_is_captured",
    ]

    def post(self, request, *args, **kwargs):
        payment_method = request.POST.get("payment_method", "")
        if not PAYMENT_METHOD_ID.match(payment_method):
            return JsonResponse(
                {"error": _("The card details are incomplete.")}, status=400
            )
        submission = self.build_submission()
        basket = submission["basket"]
        order_number = self.generate_order_number(basket)
        self.checkout_session.set_order_number(order_number)
        try:
            payment, client_secret = payments.payment_authorize(
                order_number=order_number,
                amount=submission["order_total"].incl_tax,
                payment_method=payment_method,
            )
        except payments.PaymentDeclined as error:
            return JsonResponse({"error": str(error)}, status=402)
        except payments.PaymentUnavailable as error:
            return JsonResponse({"error": str(error)}, status=503)
        return JsonResponse({"status": payment.status, "client_secret": client_secret})


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's events: verified on the raw body, applied once each, always 200."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        # An empty secret would make any signature "valid".
        return HttpResponseBadRequest("webhook secret not configured")
    try:
        event = stripe.Webhook.construct_event(
            request.body,
            request.headers.get("Stripe-Signature", ""),
            settings.STRIPE_WEBHOOK_SECRET,
            tolerance=settings.STRIPE_WEBHOOK_TOLERANCE,
        )
    except (ValueError, stripe.SignatureVerificationError):
        return HttpResponseBadRequest("invalid signature")
    payments.event_apply(event=event)
    return HttpResponse("ok")
