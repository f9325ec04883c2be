"""An organisation's households: the protected record, consent, caseloads and
the audit trail."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sellers import audit
from sellers.consent import selectors as consent_selectors
from sellers.consent import services as consent_services
from sellers.households import selectors as household_selectors
from sellers.households import services as household_services
from sellers.models import Consent, Household

from ..decorators import administered_or_403, workspace_view
from ..forms.households import CaseloadForm, ConsentForm, HouseholdRecordForm


def _caseload_household_or_404(request, slug: str) -> Household:
    return get_object_or_404(
        household_selectors.household_caseload(user=request.user), slug=slug
    )


@workspace_view
def household_record(request, slug: str):
    """The protected record: only the household's social workers (and its
    organisation's administrators) ever see or change it."""
    household = _caseload_household_or_404(request, slug)
    form = HouseholdRecordForm(
        request.POST or None,
        instance=household.record,
        initial={"nickname": household.nickname},
    )
    if request.method == "POST" and form.is_valid():
        household_services.household_record_update(
            household=household,
            acting_user=request.user,
            # A post without the field (not the page's form) keeps it.
            nickname=form.cleaned_data["nickname"]
            if "nickname" in request.POST
            else None,
            **{name: form.cleaned_data[name] for name in form.Meta.fields},
        )
        messages.success(request, _("Saved."))
        return redirect("listing:household", slug=household.slug)
    return render(
        request,
        "sellers/workspace/household_record.html",
        {"household": household, "form": form},
    )


@workspace_view
def consent(request, slug: str):
    household = _caseload_household_or_404(request, slug)
    form = ConsentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            consent_services.consent_record(
                household=household,
                acting_user=request.user,
                guardian_form=data.pop("guardian_form") or None,
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The consent is recorded."))
            return redirect("workspace:consent", slug=household.slug)
    return render(
        request,
        "sellers/workspace/consent.html",
        {
            "household": household,
            "form": form,
            "in_force": consent_selectors.consent_in_force(household=household),
            "consents": consent_selectors.consent_list(household=household),
        },
    )


@workspace_view
@require_POST
def consent_withdraw(request, slug: str):
    household = _caseload_household_or_404(request, slug)
    try:
        consent_services.consent_withdraw(household=household, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "The consent is withdrawn: the household is anonymous and its "
                "story is offline."
            ),
        )
    return redirect("workspace:consent", slug=household.slug)


@workspace_view
def consent_scan(request, pk: int, which: str):
    """A signed consent form, to the household's social workers only."""
    try:
        consent = consent_selectors.consent_get(user=request.user, pk=pk)
    except Consent.DoesNotExist as error:
        raise Http404 from error
    scan = {"signed": consent.signed_form, "guardian": consent.guardian_form}.get(which)
    if not scan:
        raise Http404
    return FileResponse(scan.open("rb"), as_attachment=False)


@workspace_view
def caseloads(request):
    """An organisation's administrator assigns households to social workers."""
    organisations = administered_or_403(request)
    form = CaseloadForm(
        request.POST or None,
        households=household_selectors.household_list_for_organisations(
            organisations=organisations
        ),
        social_workers=household_selectors.social_worker_list(
            organisations=organisations
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            household_services.caseload_assign(
                household=form.cleaned_data["household"],
                social_worker=form.cleaned_data["social_worker"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Assigned."))
            return redirect("workspace:caseloads")
    return render(
        request,
        "sellers/workspace/caseloads.html",
        {
            "form": form,
            "table": household_selectors.caseload_table(user=request.user),
        },
    )


@workspace_view
@require_POST
def caseload_remove(request, slug: str, user_id: int):
    organisations = administered_or_403(request)
    household = get_object_or_404(
        household_selectors.household_list_for_organisations(
            organisations=organisations
        ),
        slug=slug,
    )
    worker = get_object_or_404(
        household_selectors.caseload_social_workers(household=household), pk=user_id
    )
    household_services.caseload_remove(
        household=household, social_worker=worker, acting_user=request.user
    )
    messages.success(request, _("Unassigned."))
    return redirect("workspace:caseloads")


@workspace_view
def audit_trail(request):
    """The audit trail, for the organisation's reviewers and administrators."""
    if not household_selectors.organisations_where(
        user=request.user, roles=audit.AUDIT_READERS
    ):
        raise PermissionDenied
    household = request.GET.get("household", "")
    events = audit.audit_event_list(user=request.user, household_slug=household)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "sellers/workspace/audit.html",
        {"page": page, "household": household},
    )
