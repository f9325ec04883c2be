"""Prove the households' income ledger against orders, payouts and Stripe."""

from collections import defaultdict
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from sellers.selectors import ledger_reconcile
from storefront.checkout import payments
from storefront.checkout.models import PaymentStatus, StripePayment


class Command(BaseCommand):
    help = (
        "Check every household's ledger against the captured order lines, the "
        "refunds in Stripe and the payouts recorded; exit 1 on any mismatch."
    )

    def handle(self, *args, **options):
        paid = StripePayment.objects.filter(status=PaymentStatus.SUCCEEDED).values(
            "order_number"
        )
        try:
            refunds = self.stripe_refunds()
        except payments.PaymentUnavailable as error:
            raise CommandError(str(error)) from error
        report = ledger_reconcile(paid_order_numbers=paid, stripe_refunds=refunds)
        for problem in report.problems:
            self.stdout.write(problem)
        if report.problems:
            raise CommandError(
                f"{len(report.problems)} mismatch(es) in the ledger", returncode=1
            )
        self.stdout.write(
            f"The ledger reconciles: {report.entries_checked} entries of "
            f"{report.households_checked} households, {paid.count()} paid orders, "
            f"{len(refunds)} refunds."
        )

    def stripe_refunds(self) -> dict[str, Decimal]:
        """Refunded amounts per reference (a parcel) of this store's refunds."""
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for refund in payments.payment_refund_list():
            metadata = refund.metadata.to_dict() if refund.metadata else {}
            reference = metadata.get("reference")
            if reference and refund.status == "succeeded":
                totals[reference] += Decimal(refund.amount) / 100
        return dict(totals)
