"""A social worker's parcels: list, detail, packing slip; ship, deliver,
cancel. The workspace's home sends each user to where his work is."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sellers.fulfilment import selectors as fulfilment_selectors
from sellers.fulfilment import services as fulfilment_services
from sellers.households import selectors as household_selectors
from sellers.models import HarvestSettlement, Parcel, ParcelStatus
from sellers.preorders import selectors as preorder_selectors
from sellers.preorders import services as preorder_services
from sellers.reporting.access import is_bureau

from ..decorators import caseload_or_403, workspace_view
from ..forms.parcels import CancelForm, ParcelFilterForm, SettleForm, ShipForm
from ..forms.preorders import WeighForm


@workspace_view
def home(request):
    if household_selectors.household_for_login(user=request.user) is not None:
        return redirect("workspace:household")
    if is_bureau(request.user) and not request.user.is_superuser:
        return redirect("workspace:bureau")
    caseload_or_403(request)
    return redirect("workspace:parcels")


def _parcel_or_404(request, pk: int) -> Parcel:
    try:
        return fulfilment_selectors.parcel_get(user=request.user, pk=pk)
    except Parcel.DoesNotExist as error:
        raise Http404 from error


@workspace_view
def parcel_list(request):
    caseload_or_403(request)
    form = ParcelFilterForm(request.GET or None)
    status = order = ""
    if form.is_valid():
        status, order = form.cleaned_data["status"], form.cleaned_data["order"]
    parcels = fulfilment_selectors.parcel_list(
        user=request.user, status=status, order_number=order
    )
    page = Paginator(parcels, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "sellers/workspace/parcel_list.html",
        {
            "form": form,
            "page": page,
            "status": status,
            "counts": fulfilment_selectors.parcel_counts(user=request.user),
            "statuses": ParcelStatus.choices,
            "households": household_selectors.household_caseload(user=request.user),
        },
    )


@workspace_view
def parcel_detail(request, pk: int):
    parcel = _parcel_or_404(request, pk)
    settlement = HarvestSettlement.objects.filter(parcel=parcel).first()
    weigh = None
    if parcel.preorder and settlement is None and parcel.status != "cancelled":
        weigh = WeighForm(
            lines=preorder_selectors.preorder_lines_to_weigh(parcel=parcel)
        )
    return render(
        request,
        "sellers/workspace/parcel_detail.html",
        {
            "parcel": parcel,
            "ship_form": ShipForm(),
            "cancel_form": CancelForm(),
            "settle_form": SettleForm(),
            "weigh_form": weigh,
            "harvest_settlement": settlement,
        },
    )


@workspace_view
def packing_slip(request, pk: int):
    parcel = _parcel_or_404(request, pk)
    return render(request, "sellers/workspace/packing_slip.html", {"parcel": parcel})


def _act(request, pk: int, action) -> HttpResponse:
    parcel = _parcel_or_404(request, pk)
    try:
        action(parcel)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("workspace:parcel", pk=parcel.pk)


@workspace_view
@require_POST
def parcel_ship(request, pk: int):
    form = ShipForm(request.POST)

    def ship(parcel):
        if not form.is_valid():
            raise ValidationError(_("Enter the carrier."))
        fulfilment_services.parcel_mark_shipped(
            parcel=parcel, acting_user=request.user, **form.cleaned_data
        )
        messages.success(request, _("The parcel is marked shipped; the buyer is told."))

    return _act(request, pk, ship)


@workspace_view
@require_POST
def parcel_deliver(request, pk: int):
    def deliver(parcel):
        fulfilment_services.parcel_mark_delivered(
            parcel=parcel, acting_user=request.user
        )
        messages.success(request, _("The parcel is marked delivered."))

    return _act(request, pk, deliver)


@workspace_view
@require_POST
def parcel_cancel(request, pk: int):
    def cancel(parcel):
        left = parcel.status != ParcelStatus.TO_PACK
        form = (SettleForm if left else CancelForm)(request.POST)
        if not form.is_valid():
            raise ValidationError(
                [error for errors in form.errors.values() for error in errors]
            )
        before = parcel.refunded
        if parcel.preorder and not left:
            # Not yet settled, so never credited: nothing to debit.
            parcel = preorder_services.preorder_parcel_cancel(
                parcel=parcel, acting_user=request.user, **form.cleaned_data
            )
        else:
            parcel = fulfilment_services.parcel_cancel(
                parcel=parcel, acting_user=request.user, **form.cleaned_data
            )
        if parcel.status == ParcelStatus.CANCELLED:
            done = _("The parcel is cancelled and ¥%(amount)s refunded to the buyer.")
        else:
            done = _("¥%(amount)s is refunded to the buyer.")
        messages.success(request, done % {"amount": parcel.refunded - before})

    return _act(request, pk, cancel)
