"""Prove the households' income ledger against orders, payouts and Stripe."""

from collections import defaultdict
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from sellers.ledger.reconcile import ledger_reconcile
from storefront.checkout import refunds, stripe_api
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
            refunds, unreferenced = self.stripe_refunds()
        except stripe_api.PaymentUnavailable as error:
            # Not the buyer's checkout message: say what was not checked.
            raise CommandError(
                "Stripe could not be reached, so its refunds could not be read "
                "and nothing was checked; nothing was changed either. Run "
                "reconcile_ledger again once Stripe answers.",
                returncode=2,
            ) from error
        report = ledger_reconcile(paid_order_numbers=paid, stripe_refunds=refunds)
        problems = report.problems + [
            f"refund {refund_id} of order {number} names no parcel (made outside "
            "the store?)"
            for refund_id, number in unreferenced
        ]
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(
                f"{len(problems)} mismatch(es) in the ledger", returncode=1
            )
        self.stdout.write(
            f"The ledger reconciles: {report.entries_checked} entries of "
            f"{report.households_checked} households, {paid.count()} paid orders, "
            f"{len(refunds)} refunds."
        )

    def stripe_refunds(self) -> tuple[dict[str, Decimal], list[tuple[str, str]]]:
        """Refunded amounts per reference (a parcel), and this store's refunds
        that name no parcel (made in Stripe's dashboard, say)."""
        ours = dict(
            StripePayment.objects.exclude(payment_intent_id=None).values_list(
                "payment_intent_id", "order_number"
            )
        )
        totals: dict[str, Decimal] = defaultdict(Decimal)
        unreferenced = []
        for refund in refunds.payment_refund_list():
            if refund.status not in ("succeeded", "pending"):
                continue  # failed or cancelled: no money moved
            metadata = refund.metadata.to_dict() if refund.metadata else {}
            if metadata.get("repair"):
                continue  # a payment given back whole: never a household's sale
            reference = metadata.get("reference")
            if reference:
                totals[reference] += Decimal(refund.amount) / 100
            elif refund.payment_intent in ours:
                unreferenced.append((refund.id, ours[refund.payment_intent]))
        return dict(totals), unreferenced
