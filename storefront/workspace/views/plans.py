"""A household's sales plans: its social workers list, write and change them;
anybody else gets 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sellers.households import selectors as household_selectors
from sellers.models import Household, SalesPlan
from sellers.plans import selectors as plan_selectors
from sellers.plans import services as plan_services

from ..decorators import caseload_or_403, workspace_view
from ..forms.plans import PLAN_UNITS, PlanForm, PlanItemFormSet, plan_items


def _household_or_403(request, slug: str) -> Household:
    caseload_or_403(request)
    household = get_object_or_404(Household, slug=slug)
    if not household_selectors.household_in_caseload(
        user=request.user, household=household
    ):
        raise PermissionDenied
    return household


@workspace_view
def plan_list(request, slug: str):
    household = _household_or_403(request, slug)
    plans = list(plan_selectors.household_plan_list(household=household))
    progress = plan_selectors.plan_progress(plans=plans, today=timezone.localdate())
    return render(
        request,
        "sellers/workspace/plans/plan_list.html",
        {
            "household": household,
            "plans": [(plan, progress[plan.pk]) for plan in plans],
        },
    )


def _initial(plan: SalesPlan) -> tuple[dict, list[dict]]:
    fields = {
        "season": plan.season,
        "starts_on": plan.starts_on,
        "ends_on": plan.ends_on,
        "target_income": plan.target_income,
        "campaigns": list(plan.campaigns.all()),
        "channels": "、".join(plan.channels),
        "notes": plan.notes,
    }
    items = [
        {
            "product": item.product,
            "produce": item.produce,
            "quantity": item.quantity,
            "unit": item.unit,
            "harvest_from": item.harvest_from,
            "harvest_until": item.harvest_until,
        }
        for item in plan.items.select_related("product")
    ]
    return fields, items


def _plan_form(request, household: Household, plan: SalesPlan | None = None):
    """The form page; a valid post writes the plan through the services."""
    fields, items = _initial(plan) if plan else ({}, [])
    data = request.POST if request.method == "POST" else None
    form = PlanForm(data, initial=fields, household=household)
    formset = PlanItemFormSet(
        data,
        initial=items,
        prefix="items",
        form_kwargs={"household": household},
    )
    if data is not None and form.is_valid() and formset.is_valid():
        values = {**form.cleaned_data, "items": plan_items(formset)}
        try:
            if plan is None:
                plan_services.plan_create(
                    household=household, acting_user=request.user, **values
                )
            else:
                plan_services.plan_update(plan=plan, acting_user=request.user, **values)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error(None, error)
            else:
                formset.non_form_errors().extend(error.messages)
        else:
            messages.success(request, _("The sales plan is saved."))
            return redirect("workspace:plans", slug=household.slug)
    return render(
        request,
        "sellers/workspace/plans/plan_form.html",
        {
            "household": household,
            "plan": plan,
            "form": form,
            "formset": formset,
            "units": PLAN_UNITS,
        },
        status=400 if data is not None else 200,
    )


@workspace_view
def plan_create(request, slug: str):
    household = _household_or_403(request, slug)
    return _plan_form(request, household)


@workspace_view
def plan_edit(request, pk: int):
    caseload_or_403(request)
    try:
        plan = plan_selectors.plan_get(pk=pk)
    except SalesPlan.DoesNotExist as error:
        raise Http404 from error
    household = _household_or_403(request, plan.household.slug)
    return _plan_form(request, household, plan)
