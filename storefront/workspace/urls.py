"""The workspace's URLs: /workspace/ (namespace "workspace") and
/workspace/listing/ (namespace "listing"); see storefront/urls.py."""

from django.urls import path

from .views import (
    bureau,
    campaigns,
    households,
    listing,
    parcels,
    plans,
    preorders,
    statements,
)

app_name = "workspace"

urlpatterns = [
    path("", parcels.home, name="home"),
    path("parcels/", parcels.parcel_list, name="parcels"),
    path("parcels/<int:pk>/", parcels.parcel_detail, name="parcel"),
    path("parcels/<int:pk>/slip/", parcels.packing_slip, name="slip"),
    path("parcels/<int:pk>/ship/", parcels.parcel_ship, name="ship"),
    path("parcels/<int:pk>/deliver/", parcels.parcel_deliver, name="deliver"),
    path("parcels/<int:pk>/cancel/", parcels.parcel_cancel, name="cancel"),
    path("parcels/<int:pk>/weigh/", preorders.parcel_weigh, name="weigh"),
    path("harvests/", preorders.harvest_list, name="harvests"),
    path("harvests/new/", preorders.harvest_create, name="harvest-create"),
    path("harvests/<int:pk>/catch/", preorders.harvest_catch, name="harvest-catch"),
    path("harvests/<int:pk>/delay/", preorders.harvest_delay, name="harvest-delay"),
    path("households/<str:slug>/statement/", statements.statement, name="statement"),
    path(
        "households/<str:slug>/statement.csv",
        statements.statement_csv,
        name="statement-csv",
    ),
    path(
        "households/<str:slug>/payouts/new/",
        statements.PayoutCreateView.as_view(),
        name="payout-create",
    ),
    path("payouts/<int:pk>/receipt/", statements.payout_proof, name="payout-proof"),
    path("household/", statements.household_home, name="household"),
    path("households/<str:slug>/plans/", plans.plan_list, name="plans"),
    path("households/<str:slug>/plans/new/", plans.plan_create, name="plan-create"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan-edit"),
    path("campaigns/", campaigns.CampaignListView.as_view(), name="campaigns"),
    path(
        "campaigns/<int:pk>/poster/",
        campaigns.campaign_poster,
        name="campaign-poster",
    ),
    path(
        "households/<str:slug>/record/",
        households.household_record,
        name="household-record",
    ),
    path("households/<str:slug>/consent/", households.consent, name="consent"),
    path(
        "households/<str:slug>/consent/withdraw/",
        households.consent_withdraw,
        name="consent-withdraw",
    ),
    path(
        "consents/<int:pk>/<str:which>/", households.consent_scan, name="consent-scan"
    ),
    path("caseloads/", households.caseloads, name="caseloads"),
    path(
        "caseloads/<str:slug>/<int:user_id>/remove/",
        households.caseload_remove,
        name="caseload-remove",
    ),
    path("audit/", households.audit_trail, name="audit"),
    path("bureau/", bureau.report, name="bureau"),
    path("bureau/sales/", bureau.parcels_export, name="bureau-parcels"),
    path("bureau/exports/<int:pk>/", bureau.export_detail, name="bureau-export-detail"),
    path(
        "bureau/exports/<int:pk>/download/",
        bureau.export_download,
        name="bureau-export-download",
    ),
    path("bureau/<slug:table>.<str:fmt>", bureau.report_export, name="bureau-export"),
]

listing_urlpatterns = [
    path("", listing.household_list, name="households"),
    path("h/<str:slug>/", listing.household_products, name="household"),
    path("h/<str:slug>/promise/", listing.household_promise, name="promise"),
    path("h/<str:slug>/new/", listing.product_create, name="create"),
    path("p/<int:pk>/", listing.product_edit, name="edit"),
    path("p/<int:pk>/on-sale/", listing.product_on_sale, name="on-sale"),
    path("h/<str:slug>/import/", listing.import_upload, name="import-upload"),
    path("imports/<int:pk>/", listing.import_detail, name="import"),
    path("imports/template.csv", listing.import_template, name="import-template"),
]
