"""A household's statement (its income ledger), as a page and as CSV; the
payouts its social workers record against it; a household login's home."""

import uuid
from collections.abc import Iterator

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from sellers.fulfilment import selectors as fulfilment_selectors
from sellers.households import selectors as household_selectors
from sellers.ledger import selectors as ledger_selectors
from sellers.ledger import services as ledger_services
from sellers.models import EntryKind, Household, Payout
from sellers.plans.selectors import plan_progress_by_household
from sellers.spreadsheets import csv_response

from ..decorators import workspace_view
from ..forms.statements import PayoutForm

STATEMENT_PAGE_SIZE = 50


def _statement_household(request, slug: str) -> Household:
    return get_object_or_404(
        household_selectors.statement_households(user=request.user), slug=slug
    )


@workspace_view
def statement(request, slug: str):
    household = _statement_household(request, slug)
    return render(
        request,
        "sellers/workspace/statement.html",
        {
            "household": household,
            "page": ledger_selectors.ledger_page(
                household=household,
                number=request.GET.get("page"),
                size=STATEMENT_PAGE_SIZE,
            ),
            "summary": ledger_selectors.ledger_summary(household=household),
            "can_pay": household_selectors.household_in_caseload(
                user=request.user, household=household
            ),
            "household_login": household_selectors.household_for_login(
                user=request.user
            )
            is not None,
        },
    )


def _statement_rows(household: Household) -> Iterator[list]:
    """The header (in the request's language) and the ledger's entries, read
    as the file is sent."""
    header = [
        _("Number"),
        _("Date"),
        _("Kind"),
        _("Order"),
        _("Memo"),
        _("Amount (¥)"),
        _("Balance (¥)"),
    ]
    kinds = dict(EntryKind.choices)
    rows = ledger_selectors.ledger_rows(household=household).iterator(chunk_size=2000)

    def lines():
        yield header
        for seq, created_at, kind, order_number, memo, amount, balance in rows:
            yield [
                seq,
                timezone.localtime(created_at).strftime("%Y-%m-%d %H:%M"),
                kinds[kind],
                order_number or "",
                memo,
                amount,
                balance,
            ]

    return lines()


@workspace_view
def statement_csv(request, slug: str):
    household = _statement_household(request, slug)
    return csv_response(
        _statement_rows(household),
        filename=f"statement-{household.pk}.csv",
        stream=True,
    )


@method_decorator(workspace_view, name="dispatch")
class PayoutCreateView(View):
    template_name = "sellers/workspace/payout_form.html"

    def household(self, request, slug):
        # Only the household's social workers (never its own login) pay it.
        return get_object_or_404(
            household_selectors.household_caseload(user=request.user), slug=slug
        )

    def get(self, request, slug):
        household = self.household(request, slug)
        return self.render(
            request, household, PayoutForm(initial={"request_token": uuid.uuid4()})
        )

    def post(self, request, slug):
        household = self.household(request, slug)
        form = PayoutForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                ledger_services.payout_record(
                    household=household, acting_user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The payout is recorded."))
                return redirect("workspace:statement", slug=household.slug)
        return self.render(request, household, form, status=400)

    def render(self, request, household, form, status=200):
        return render(
            request,
            self.template_name,
            {
                "household": household,
                "form": form,
                "balance": ledger_selectors.ledger_balance(household=household),
            },
            status=status,
        )


@workspace_view
def payout_proof(request, pk: int):
    try:
        payout = ledger_selectors.payout_get(user=request.user, pk=pk)
    except Payout.DoesNotExist as error:
        raise Http404 from error
    return FileResponse(payout.proof.open("rb"), as_attachment=False)


@workspace_view
def household_home(request):
    household = household_selectors.household_for_login(user=request.user)
    if household is None:
        raise PermissionDenied
    return render(
        request,
        "sellers/workspace/household_home.html",
        {
            "household": household,
            "household_login": True,
            "to_pack": fulfilment_selectors.household_parcels_to_pack(
                household=household
            ),
            "summary": ledger_selectors.ledger_summary(household=household),
            "progress": plan_progress_by_household(
                households=[household], today=timezone.localdate()
            ).get(household.pk),
        },
    )
