"""List payments without an order and orders without a captured payment."""

from django.core.management.base import BaseCommand, CommandError

from storefront.checkout import payments


class Command(BaseCommand):
    help = (
        "Compare Stripe's PaymentIntents with the store's orders; exit 1 if any "
        "payment has no order or any order has no captured payment."
    )

    def handle(self, *args, **options):
        try:
            report = payments.payment_reconcile()
        except payments.PaymentUnavailable as error:
            raise CommandError(str(error)) from error
        for intent_id, number, status in report.payments_without_order:
            self.stdout.write(
                f"payment without order: {intent_id} ({status}) for order {number}"
            )
        for order_number, status in report.orders_without_capture:
            self.stdout.write(
                f"order without captured payment: {order_number} (payment: {status})"
            )
        if report.payments_without_order or report.orders_without_capture:
            unpaired = len(report.payments_without_order)
            unpaid = len(report.orders_without_capture)
            raise CommandError(
                f"{unpaired} payment(s) without order, "
                f"{unpaid} order(s) without captured payment",
                returncode=1,
            )
        self.stdout.write(
            f"All {report.orders_checked} orders and {report.intents_checked} "
            "payments reconcile."
        )
