"""The listing screens: a social worker lists and updates his households'
products from a phone (Oscar's dashboard is not usable on one), one by one
or from a spreadsheet.

Each view reaches households through the user's caseload and products through
their household's stock record: anything outside the caseload is a 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog import imports, selectors, services
from catalog.forms import ListingForm
from catalog.models import ImportStatus, ProductImport
from sellers.households.selectors import household_caseload
from sellers.households.services import household_delivery_promise_set
from sellers.plans.selectors import plan_progress_by_household
from sellers.spreadsheets import csv_response

from ..decorators import workspace_view
from ..forms.listing import UNITS, DeliveryPromiseForm, ImportForm


def _households(request):
    return household_caseload(user=request.user)


def _household_or_404(request, slug: str):
    return get_object_or_404(_households(request), slug=slug)


def _product_or_404(request, pk: int):
    try:
        return selectors.listing_product_get(households=_households(request), pk=pk)
    except selectors.Product.DoesNotExist as error:
        raise Http404 from error


@workspace_view
def household_list(request):
    households = list(
        selectors.household_list_with_on_sale(households=_households(request))
    )
    if not households:
        raise Http404
    progress = plan_progress_by_household(
        households=households, today=timezone.localdate()
    )
    for household in households:
        household.plan_progress = progress.get(household.pk)
    return render(
        request, "catalog/listing/households.html", {"households": households}
    )


def _products_page(request, household, promise_form=None):
    return render(
        request,
        "catalog/listing/products.html",
        {
            "household": household,
            "products": selectors.household_listing(household=household),
            "progress": plan_progress_by_household(
                households=[household], today=timezone.localdate()
            ).get(household.pk),
            "promise_form": promise_form
            or DeliveryPromiseForm(
                initial={"delivery_promise": household.delivery_promise}
            ),
        },
    )


@workspace_view
def household_products(request, slug: str):
    return _products_page(request, _household_or_404(request, slug))


@workspace_view
@require_POST
def household_promise(request, slug: str):
    household = _household_or_404(request, slug)
    form = DeliveryPromiseForm(request.POST)
    if not form.is_valid():
        return _products_page(request, household, form)
    household_delivery_promise_set(
        household=household,
        acting_user=request.user,
        delivery_promise=form.cleaned_data["delivery_promise"],
    )
    messages.success(request, _("Saved."))
    return redirect("listing:household", slug=household.slug)


def _form_page(request, form, household, product=None):
    return render(
        request,
        "catalog/listing/form.html",
        {"form": form, "household": household, "product": product, "units": UNITS},
    )


@workspace_view
def product_create(request, slug: str):
    household = _household_or_404(request, slug)
    if not household.is_active:
        raise Http404
    form = ListingForm(request.POST or None, request.FILES or None, household=household)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        product = services.product_list_for_household(
            household=household,
            acting_user=request.user,
            photo=data.pop("photo") or None,
            **data,
        )
        messages.success(
            request, _("“%(title)s” is on sale.") % {"title": product.title}
        )
        return redirect("listing:household", slug=household.slug)
    return _form_page(request, form, household)


@workspace_view
def product_edit(request, pk: int):
    product, household = _product_or_404(request, pk)
    form = ListingForm(
        request.POST or None,
        request.FILES or None,
        initial=selectors.listing_values(product=product, household=household),
        household=household,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photo = data.pop("photo") or None
        services.product_update(
            product=product,
            household=household,
            acting_user=request.user,
            photo=photo,
            **data,
        )
        messages.success(request, _("Saved."))
        return redirect("listing:household", slug=household.slug)
    return _form_page(request, form, household, product)


@workspace_view
@require_POST
def product_on_sale(request, pk: int):
    product, household = _product_or_404(request, pk)
    on_sale = request.POST.get("on_sale") == "1"
    services.product_set_on_sale(
        product=product, household=household, acting_user=request.user, on_sale=on_sale
    )
    if on_sale:
        messages.success(
            request, _("“%(title)s” is on sale again.") % {"title": product.title}
        )
    else:
        messages.success(
            request, _("“%(title)s” is off sale.") % {"title": product.title}
        )
    return redirect("listing:household", slug=household.slug)


@workspace_view
def import_upload(request, slug: str):
    household = _household_or_404(request, slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.import_preview(
                household=household,
                acting_user=request.user,
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("listing:import", pk=job.pk)
    return render(
        request,
        "catalog/listing/import_upload.html",
        {"household": household, "form": form, "max_rows": imports.MAX_ROWS},
    )


# What a filled-in row looks like, under the template's header.
IMPORT_EXAMPLE = ["鲜活草鱼", "鲜鱼", "斤", "18.00", "40", "2026-11-20", "塘里现捞"]


@workspace_view
def import_template(request):
    """An empty sheet with the columns the import reads (opens in Excel)."""
    if not _households(request).exists():
        raise PermissionDenied
    return csv_response(
        [imports.TEMPLATE_HEADER, IMPORT_EXAMPLE], filename="products-template.csv"
    )


@workspace_view
def import_detail(request, pk: int):
    try:
        job = selectors.product_import_get(households=_households(request), pk=pk)
    except ProductImport.DoesNotExist as error:
        raise Http404 from error
    if request.method == "POST":
        try:
            imports.import_queue(job=job)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("listing:import", pk=job.pk)
    return render(
        request,
        "catalog/listing/import_detail.html",
        {
            "job": job,
            "household": job.household,
            "in_progress": job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
            "checking": job.status == ImportStatus.CHECKING,
        },
    )
