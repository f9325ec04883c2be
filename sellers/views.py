"""The social workers' workspace: parcels to fulfil, statements and payouts.

Every view finds its objects through a selector scoped to the user, so
another caseload's parcel, statement or receipt is a 404, never a page.
Workspace pages are never cached anywhere (no-store).
"""

import csv
import datetime
import uuid

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import campaigns, charts, reports, selectors, services
from .forms import (
    CampaignForm,
    CancelForm,
    CaseloadForm,
    ConsentForm,
    HouseholdRecordForm,
    ParcelFilterForm,
    PayoutForm,
    SettleForm,
    ShipForm,
)
from .models import (
    Campaign,
    Consent,
    EntryKind,
    Household,
    MemberRole,
    Parcel,
    ParcelStatus,
    Payout,
)

STATEMENT_PAGE_SIZE = 50


def workspace_view(view):
    """Signed in, and never stored by a browser or proxy."""
    return never_cache(login_required(view))


def _parcel_or_404(request, pk: int) -> Parcel:
    try:
        return selectors.parcel_get(user=request.user, pk=pk)
    except Parcel.DoesNotExist as error:
        raise Http404 from error


def _caseload_or_403(request):
    if not selectors.household_caseload(user=request.user).exists():
        raise PermissionDenied


@workspace_view
def home(request):
    if selectors.household_for_login(user=request.user) is not None:
        return redirect("workspace:household")
    if reports.is_bureau(request.user) and not request.user.is_superuser:
        return redirect("workspace:bureau")
    _caseload_or_403(request)
    return redirect("workspace:parcels")


@workspace_view
def parcel_list(request):
    _caseload_or_403(request)
    form = ParcelFilterForm(request.GET or None)
    status = order = ""
    if form.is_valid():
        status, order = form.cleaned_data["status"], form.cleaned_data["order"]
    parcels = selectors.parcel_list(
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
            "counts": selectors.parcel_counts(user=request.user),
            "statuses": ParcelStatus.choices,
            "households": selectors.household_caseload(user=request.user),
        },
    )


@workspace_view
def parcel_detail(request, pk: int):
    parcel = _parcel_or_404(request, pk)
    return render(
        request,
        "sellers/workspace/parcel_detail.html",
        {
            "parcel": parcel,
            "ship_form": ShipForm(),
            "cancel_form": CancelForm(),
            "settle_form": SettleForm(),
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
        services.parcel_mark_shipped(
            parcel=parcel, acting_user=request.user, **form.cleaned_data
        )
        messages.success(request, _("The parcel is marked shipped; the buyer is told."))

    return _act(request, pk, ship)


@workspace_view
@require_POST
def parcel_deliver(request, pk: int):
    def deliver(parcel):
        services.parcel_mark_delivered(parcel=parcel, acting_user=request.user)
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
        parcel = services.parcel_cancel(
            parcel=parcel, acting_user=request.user, **form.cleaned_data
        )
        if parcel.status == ParcelStatus.CANCELLED:
            done = _("The parcel is cancelled and ¥%(amount)s refunded to the buyer.")
        else:
            done = _("¥%(amount)s is refunded to the buyer.")
        messages.success(request, done % {"amount": parcel.refunded - before})

    return _act(request, pk, cancel)


def _statement_household(request, slug: str) -> Household:
    return get_object_or_404(
        selectors.statement_households(user=request.user), slug=slug
    )


@workspace_view
def statement(request, slug: str):
    household = _statement_household(request, slug)
    return render(
        request,
        "sellers/workspace/statement.html",
        {
            "household": household,
            "page": selectors.ledger_page(
                household=household,
                number=request.GET.get("page"),
                size=STATEMENT_PAGE_SIZE,
            ),
            "summary": selectors.ledger_summary(household=household),
            "can_pay": selectors.household_caseload(user=request.user)
            .filter(pk=household.pk)
            .exists(),
            "household_login": selectors.household_for_login(user=request.user)
            is not None,
        },
    )


class _Echo:
    def write(self, value):
        return value


@workspace_view
def statement_csv(request, slug: str):
    household = _statement_household(request, slug)
    writer = csv.writer(_Echo())
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
    rows = selectors.ledger_rows(household=household).iterator(chunk_size=2000)

    def lines():
        # A byte-order mark, so that Excel reads the file as UTF-8.
        yield "\ufeff" + writer.writerow(header)
        for seq, created_at, kind, order_number, memo, amount, balance in rows:
            yield writer.writerow(
                [
                    seq,
                    timezone.localtime(created_at).strftime("%Y-%m-%d %H:%M"),
                    kinds[kind],
                    order_number or "",
                    memo,
                    amount,
                    balance,
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="statement-{household.pk}.csv"'
    )
    return response


@method_decorator(workspace_view, name="dispatch")
class PayoutCreateView(View):
    template_name = "sellers/workspace/payout_form.html"

    def household(self, request, slug):
        # Only the household's social workers (never its own login) pay it.
        return get_object_or_404(
            selectors.household_caseload(user=request.user), slug=slug
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
                services.payout_record(
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
                "balance": selectors.ledger_balance(household=household),
            },
            status=status,
        )


@workspace_view
def payout_proof(request, pk: int):
    try:
        payout = selectors.payout_get(user=request.user, pk=pk)
    except Payout.DoesNotExist as error:
        raise Http404 from error
    return FileResponse(payout.proof.open("rb"), as_attachment=False)


@workspace_view
def household_home(request):
    household = selectors.household_for_login(user=request.user)
    if household is None:
        raise PermissionDenied
    return render(
        request,
        "sellers/workspace/household_home.html",
        {
            "household": household,
            "household_login": True,
            "to_pack": selectors.household_parcels_to_pack(household=household),
            "summary": selectors.ledger_summary(household=household),
        },
    )


# Campaigns


def campaign_link(request, campaign: Campaign) -> str:
    return request.build_absolute_uri(reverse("campaign", args=[campaign.code]))


@method_decorator(workspace_view, name="dispatch")
class CampaignListView(View):
    template_name = "sellers/workspace/campaigns.html"

    def organisation(self, request):
        organisation = selectors.organisation_list_for_member(user=request.user).first()
        if organisation is None:
            raise PermissionDenied
        return organisation

    def get(self, request):
        self.organisation(request)
        return self.render(request, CampaignForm())

    def post(self, request):
        organisation = self.organisation(request)
        form = CampaignForm(request.POST)
        if form.is_valid():
            campaign = services.campaign_create(
                organisation=organisation, acting_user=request.user, **form.cleaned_data
            )
            messages.success(request, _("The campaign is ready to share."))
            return redirect("workspace:campaign-poster", pk=campaign.pk)
        return self.render(request, form, status=400)

    def render(self, request, form, status=200):
        return render(
            request,
            self.template_name,
            {"campaigns": selectors.campaign_list(user=request.user), "form": form},
            status=status,
        )


@workspace_view
def campaign_poster(request, pk: int):
    try:
        campaign = selectors.campaign_get(user=request.user, pk=pk)
    except Campaign.DoesNotExist as error:
        raise Http404 from error
    link = campaign_link(request, campaign)
    qr = segno.make(link, error="m")
    return render(
        request,
        "sellers/workspace/campaign_poster.html",
        {
            "campaign": campaign,
            "link": link,
            # segno draws the SVG from the link alone: no user input in it.
            "qr_svg": mark_safe(qr.svg_inline(scale=8)),
        },
    )


def campaign_landing(request, code: str):
    """A campaign's short link: remember the campaign for a week, go to the store."""
    response = redirect("/")
    if selectors.campaign_get_running(code=code) is not None:
        campaigns.cookie_set(response, code)
    return response


# --- Households: protected record, consent, caseloads, audit trail ----------


def _caseload_household_or_404(request, slug: str) -> Household:
    return get_object_or_404(selectors.household_caseload(user=request.user), slug=slug)


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
        services.household_record_update(
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
            services.consent_record(
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
            "in_force": selectors.consent_in_force(household=household),
            "consents": selectors.consent_list(household=household),
        },
    )


@workspace_view
@require_POST
def consent_withdraw(request, slug: str):
    household = _caseload_household_or_404(request, slug)
    try:
        services.consent_withdraw(household=household, acting_user=request.user)
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
    consent = get_object_or_404(
        Consent.objects.filter(
            household__in=selectors.household_caseload(user=request.user)
        ),
        pk=pk,
    )
    scan = {"signed": consent.signed_form, "guardian": consent.guardian_form}.get(which)
    if not scan:
        raise Http404
    return FileResponse(scan.open("rb"), as_attachment=False)


def _administered(request):
    organisations = selectors.organisations_where(
        user=request.user, roles=[MemberRole.ADMINISTRATOR]
    )
    if not organisations:
        raise PermissionDenied
    return organisations


@workspace_view
def caseloads(request):
    """An organisation's administrator assigns households to social workers."""
    organisations = _administered(request)
    households = Household.objects.filter(organisation__in=organisations)
    workers = selectors.social_worker_list(organisations=organisations)
    form = CaseloadForm(
        request.POST or None, households=households, social_workers=workers
    )
    if request.method == "POST" and form.is_valid():
        services.caseload_assign(
            household=form.cleaned_data["household"],
            social_worker=form.cleaned_data["social_worker"],
            acting_user=request.user,
        )
        messages.success(request, _("Assigned."))
        return redirect("workspace:caseloads")
    return render(
        request,
        "sellers/workspace/caseloads.html",
        {"form": form, "table": selectors.caseload_table(user=request.user)},
    )


@workspace_view
@require_POST
def caseload_remove(request, slug: str, user_id: int):
    organisations = _administered(request)
    household = get_object_or_404(
        Household.objects.filter(organisation__in=organisations), slug=slug
    )
    worker = get_object_or_404(household.partner.users.all(), pk=user_id)
    services.caseload_remove(
        household=household, social_worker=worker, acting_user=request.user
    )
    messages.success(request, _("Unassigned."))
    return redirect("workspace:caseloads")


@workspace_view
def audit(request):
    """The audit trail, for the organisation's reviewers and administrators."""
    if not selectors.organisations_where(
        user=request.user, roles=selectors.AUDIT_READERS
    ):
        raise PermissionDenied
    events = selectors.audit_event_list(user=request.user)
    household = request.GET.get("household", "")
    if household:
        events = events.filter(household__slug=household)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "sellers/workspace/audit.html",
        {"page": page, "household": household},
    )


def impact(request):
    """The public impact page: what the store has brought households, in
    aggregates that cannot single one out (sellers.reports.public_impact)."""
    today = timezone.localdate()
    figures = reports.public_impact(today=today)
    return render(
        request,
        "sellers/impact.html",
        {
            "figures": figures,
            # Only whole months are published: up to the end of the last one.
            "published_to": today.replace(day=1) - datetime.timedelta(days=1),
            "chart": charts.bars(figures["chart"]) if figures else None,
        },
    )
