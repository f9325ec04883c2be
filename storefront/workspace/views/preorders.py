"""A social worker's harvests: offer a product for pre-order, record the catch
or a delay, weigh a parcel; only for the households of his caseload."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.selectors import product_list_for_households
from sellers.households import selectors as household_selectors
from sellers.models import HarvestOffer
from sellers.preorders import selectors, services

from ..decorators import caseload_or_403, workspace_view
from ..forms.preorders import CatchForm, DelayForm, OfferForm, WeighForm
from .parcels import _parcel_or_404


def _offerable(request):
    households = household_selectors.household_caseload(user=request.user)
    return [
        p
        for p in product_list_for_households(households=households)
        # Joined by the listing's query: no query per product.
        if getattr(p, "harvest_offer", None) is None
    ]


def _offer_or_404(request, pk: int) -> HarvestOffer:
    households = household_selectors.household_caseload(user=request.user)
    return get_object_or_404(HarvestOffer, pk=pk, household__in=households)


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_errors(form) -> ValidationError:
    return ValidationError([e for errors in form.errors.values() for e in errors])


@workspace_view
def harvest_list(request):
    caseload_or_403(request)
    households = household_selectors.household_caseload(user=request.user)
    offers = [
        (offer, list(selectors.preorder_parcel_list(offer=offer)))
        for offer in selectors.harvest_offer_list_for_households(
            household_ids=households.values("pk")
        )
    ]
    return render(
        request,
        "sellers/workspace/harvests.html",
        {
            "offers": offers,
            "offer_form": OfferForm(products=_offerable(request)),
            "catch_form": CatchForm(),
            "delay_form": DelayForm(),
        },
    )


@workspace_view
@require_POST
def harvest_create(request):
    caseload_or_403(request)
    products = {p.pk: p for p in _offerable(request)}
    form = OfferForm(request.POST, products=products.values())
    try:
        if not form.is_valid():
            raise _form_errors(form)
        data = dict(form.cleaned_data)
        services.harvest_offer_create(
            product=products[data.pop("product")], acting_user=request.user, **data
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The product is offered for pre-order."))
    return redirect("workspace:harvests")


@workspace_view
@require_POST
def harvest_catch(request, pk: int):
    offer = _offer_or_404(request, pk)
    form = CatchForm(request.POST)
    try:
        if not form.is_valid():
            raise _form_errors(form)
        cancelled = services.harvest_record_catch(
            offer=offer, pieces=form.cleaned_data["pieces"], acting_user=request.user
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("The catch is recorded; %(n)s pre-order(s) cancelled and refunded.")
            % {"n": len(cancelled)},
        )
    return redirect("workspace:harvests")


@workspace_view
@require_POST
def harvest_delay(request, pk: int):
    offer = _offer_or_404(request, pk)
    form = DelayForm(request.POST)
    try:
        if not form.is_valid():
            raise _form_errors(form)
        services.harvest_delay(
            offer=offer, acting_user=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The harvest is delayed; its buyers are told."))
    return redirect("workspace:harvests")


@workspace_view
@require_POST
def parcel_weigh(request, pk: int):
    parcel = _parcel_or_404(request, pk)
    if not parcel.preorder:
        raise Http404
    form = WeighForm(
        request.POST, lines=selectors.preorder_lines_to_weigh(parcel=parcel)
    )
    try:
        if not form.is_valid():
            raise _form_errors(form)
        parcel = services.parcel_settle_weights(
            parcel=parcel, weights=form.weights(), acting_user=request.user
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        settlement = parcel.harvest_settlement
        messages.success(
            request,
            _("Settled at ¥%(settled)s; ¥%(refund)s refunded to the buyer.")
            % {"settled": settlement.settled_goods, "refund": settlement.refund},
        )
    return redirect("workspace:parcel", pk=parcel.pk)
