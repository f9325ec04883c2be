"""Oscar's checkout views where payment differs: the order is placed awaiting
payment, then paid on its own pay page (card, WeChat Pay, Alipay)."""

import json
import logging
import re

import stripe
from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError, transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from oscar.apps.checkout import views
from oscar.core.loading import get_model

from sellers.fulfilment.selectors import basket_parcels

from . import payments, receipts, regions, stripe_api, webhooks
from .mixins import OrderPlacementMixin
from .models import PaymentStatus, StripePayment
from .orders import order_basket_refill, order_for_buyer, order_remember
from .statuses import OrderStatus

Order = get_model("order", "Order")

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
    """The review page's context: parcels per household, and how long the
    order waits for its payment."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        method = context.get("shipping_method")
        # Offers wrap the method (Oscar's OfferDiscount): ask the method inside.
        method = getattr(method, "method", method)
        context["parcels"] = basket_parcels(
            basket=self.request.basket,
            charges=method.charges(self.request.basket) if method else {},
        )
        context["pay_minutes"] = settings.BANGFU_ORDER_PAY_MINUTES
        return context


def order_pay_url(order) -> str:
    return reverse("checkout:order-pay", args=[order.number])


class PaymentDetailsView(PaymentContextMixin, views.PaymentDetailsView):
    """Review the order parcel by parcel and submit it: it is placed awaiting
    payment, its stock held, and the buyer pays it on its pay page.

    Oscar's view already takes our OrderPlacementMixin (found by label).
    """

    template_name = "oscar/checkout/payment_details.html"
    template_name_preview = "oscar/checkout/payment_details.html"

    def handle_payment(self, order_number, total, **kwargs):
        """Nothing is taken before the order exists: its pay page takes it."""

    def handle_order_placement(self, order_number, *args, **kwargs):
        try:
            return super().handle_order_placement(order_number, *args, **kwargs)
        except Exception:
            order = Order.objects.filter(number=order_number).first()
            if order is None:
                raise
            # The order is written: whatever failed after it must not reopen
            # the basket (Oscar would); the buyer goes on to pay.
            logger.exception(
                "Order #%s: error after the order was placed", order_number
            )
            self.remember_placed(order)
            return redirect(order_pay_url(order))

    def handle_successful_order(self, order):
        # Oscar's, but to the pay page and without the receipt e-mail, which
        # waits for the payment (receipts: sent once it is paid).
        self.remember_placed(order)
        response = redirect(order_pay_url(order))
        self.send_signal(self.request, response, order)
        return response

    def remember_placed(self, order):
        self.checkout_session.flush()
        self.request.session["checkout_order_id"] = order.id
        order_remember(request=self.request, order=order)

    def get_initial_order_status(self, basket):
        return OrderStatus.PENDING


class ThankYouView(OrderPlacementMixin, views.ThankYouView):
    """Oscar's thank-you page, for a paid order (an order awaiting payment goes
    to its pay page). Its receipt went when it was marked paid; if that
    failed, the visit sends it."""

    def get(self, request, *args, **kwargs):
        order = self.get_object()
        if order is not None:
            if order.status == OrderStatus.PENDING:
                return redirect(order_pay_url(order))
            if order.status == OrderStatus.PAID:
                receipts.receipt_enqueue(order_number=order.number)
        return super().get(request, *args, **kwargs)


def _thank(request, order):
    request.session["checkout_order_id"] = order.id
    return redirect("checkout:thank-you")


class OrderPayView(View):
    """The order's pay page: its parcels per household, the amount, the time
    left and the methods (WeChat Pay, Alipay, card); a released order offers
    to order the same again."""

    template_name = "oscar/checkout/order_pay.html"

    def get(self, request, number):
        order = order_for_buyer(
            request=request, number=number, token=request.GET.get("h", "")
        )
        payment = StripePayment.objects.filter(order_number=number).first()
        status = order.status
        if (
            status == OrderStatus.PENDING
            and payment is not None
            and payment.is_expired(timezone.now())
        ):
            try:
                with stripe_api.stripe_deadline(seconds=settings.STRIPE_REQUEST_BUDGET):
                    status = payments.order_expire(order_number=number)
            except stripe_api.PaymentUnavailable:
                pass  # shown as awaiting payment; paying says why it cannot
            # Only an expiry attempt may have changed the order under us.
            order.refresh_from_db(fields=["status"])
        if status == OrderStatus.PAID:
            return _thank(request, order)
        seconds_left = 0
        if payment is not None and payment.expires_at is not None:
            left = (payment.expires_at - timezone.now()).total_seconds()
            seconds_left = max(0, int(left))
        context = {
            "order": order,
            "payment": payment,
            "awaiting_payment": order.status == OrderStatus.PENDING,
            "released": order.status == OrderStatus.CANCELLED,
            "released_message": str(payments.OrderReleased()),
            "seconds_left": seconds_left,
            "time_left": f"{seconds_left // 60:02d}:{seconds_left % 60:02d}",
            "methods": payments.method_types_enabled(),
            "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            "stripe_js_url": settings.STRIPE_JS_URL,
        }
        return TemplateResponse(request, self.template_name, context)


def _json_error(message, status, **extra):
    return JsonResponse({"error": str(message), **extra}, status=status)


def _paying(request, number, pay):
    """Run `pay` (a call into payments) within the time budget: (order,
    answer, None), or (None, None, the buyer's error as JSON)."""
    try:
        order = order_for_buyer(request=request, number=number)
        with stripe_api.stripe_deadline(seconds=settings.STRIPE_REQUEST_BUDGET):
            return order, pay(order), None
    except payments.OrderReleased as error:
        return (
            None,
            None,
            _json_error(
                error,
                409,
                released=True,
                reorder_url=reverse("checkout:order-reorder", args=[number]),
            ),
        )
    except stripe_api.PaymentDeclined as error:
        return None, None, _json_error(error, 402)
    except stripe_api.PaymentUnavailable as error:
        return None, None, _json_error(error, 503)
    except StripePayment.DoesNotExist:
        return None, None, _json_error(_("This order cannot be paid here."), 409)
    except DatabaseError:
        logger.exception("Order #%s: database error while paying", number)
        message = _(
            "We cannot save your payment just now. If you have paid, your "
            "money is safe and the order is confirmed within a few minutes; "
            "otherwise please try again in a minute."
        )
        return None, None, _json_error(message, 503)


def _pay_answer(request, number, pay):
    """The pay page's JSON: the intent's status and next action, or the error."""
    order, answer, error = _paying(request, number, pay)
    if error is not None:
        return error
    body = {"status": answer.status}
    if answer.status == PaymentStatus.SUCCEEDED:
        request.session["checkout_order_id"] = order.id
        body["redirect"] = reverse("checkout:thank-you")
    else:
        body["client_secret"] = answer.client_secret
        body["next_action"] = answer.next_action
    return JsonResponse(body)


@require_POST
def order_pay(request, number):
    """Pay the order (JSON): a card Stripe.js tokenised, or a wallet."""
    method = request.POST.get("method", "card")
    if method not in payments.method_types_enabled():
        return _json_error(_("This payment method is not offered."), 400)
    payment_method = request.POST.get("payment_method", "")
    if method == "card" and not PAYMENT_METHOD_ID.match(payment_method):
        return _json_error(_("The card details are incomplete."), 400)
    return_url = request.build_absolute_uri(
        reverse("checkout:order-pay-return", args=[number])
    )
    return _pay_answer(
        request,
        number,
        lambda order: payments.payment_pay(
            order_number=order.number,
            method_type=method,
            payment_method=payment_method,
            return_url=return_url,
        ),
    )


@require_GET
def order_pay_status(request, number):
    """The order's payment as Stripe has it now (JSON; polled by the pay page)."""
    return _pay_answer(
        request,
        number,
        lambda order: payments.payment_refresh(order_number=order.number),
    )


@require_GET
def order_pay_return(request, number):
    """Where Alipay (or a bank's check) sends the buyer back: read the intent."""
    order, answer, error = _paying(
        request,
        number,
        lambda order: payments.payment_refresh(order_number=order.number),
    )
    if answer is not None and answer.status == PaymentStatus.SUCCEEDED:
        return _thank(request, order)
    if answer is not None and answer.status != PaymentStatus.PROCESSING:
        messages.warning(
            request, _("The payment was not completed. Please choose how to pay.")
        )
    elif error is not None and error.status_code != 409:
        messages.error(request, json.loads(error.content)["error"])
    return redirect("checkout:order-pay", number=number)


@require_POST
def order_reorder(request, number):
    """Put a released order's lines back in the buyer's basket."""
    order = order_for_buyer(request=request, number=number)
    if order.status != OrderStatus.CANCELLED:
        return redirect("checkout:order-pay", number=number)
    with transaction.atomic():
        missing = order_basket_refill(basket=request.basket, order=order)
    messages.success(request, _("The items of your order are back in your basket."))
    for title in missing:
        messages.warning(
            request,
            _("“%(product)s” is no longer available in that quantity.")
            % {"product": title},
        )
    return redirect("basket:summary")


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
    webhooks.event_apply(event=event)
    return HttpResponse("ok")
