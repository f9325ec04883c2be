"""Compare every intent of the store with its order; --heal repairs the gaps."""

from django.core.management.base import BaseCommand, CommandError

from storefront.checkout.heal import payment_gaps, payments_heal
from storefront.checkout.stripe_api import PaymentUnavailable


class Command(BaseCommand):
    help = (
        "Compare Stripe's PaymentIntents with the store's orders: a payment "
        "whose order still awaits it or was not credited, a live intent without "
        "an open order, a payment for a released order, an order past its "
        "deadline, a paid order without a captured payment. Exit 1 on any gap. "
        "With --heal, repair each gap once (safe beside the periodic heal) and "
        "check again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--heal", action="store_true", help="repair the gaps, then check again"
        )

    def handle(self, *args, heal=False, **options):
        try:
            if heal:
                for gap in payments_heal():
                    self.stdout.write(f"repaired: {gap}")
            report = payment_gaps()
        except PaymentUnavailable as error:
            raise CommandError(
                "Stripe could not be reached, so nothing was compared"
                + (" (repairs done before it failed stay done)" if heal else "")
                + ". Run reconcile_payments again once Stripe answers.",
                returncode=2,
            ) from error
        for gap in report.gaps:
            self.stdout.write(str(gap))
        for order_number, status in report.orders_without_capture:
            self.stdout.write(
                f"order without captured payment: {order_number} (payment: {status})"
            )
        if report.gaps or report.orders_without_capture:
            raise CommandError(
                f"{len(report.gaps)} payment(s) to repair, "
                f"{len(report.orders_without_capture)} paid order(s) without "
                "captured payment",
                returncode=1,
            )
        self.stdout.write(
            f"All {report.orders_checked} orders and {report.intents_checked} "
            "payments reconcile."
        )
