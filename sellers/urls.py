from django.urls import path

from . import bureau, views

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("parcels/", views.parcel_list, name="parcels"),
    path("parcels/<int:pk>/", views.parcel_detail, name="parcel"),
    path("parcels/<int:pk>/slip/", views.packing_slip, name="slip"),
    path("parcels/<int:pk>/ship/", views.parcel_ship, name="ship"),
    path("parcels/<int:pk>/deliver/", views.parcel_deliver, name="deliver"),
    path("parcels/<int:pk>/cancel/", views.parcel_cancel, name="cancel"),
    path("households/<str:slug>/statement/", views.statement, name="statement"),
    path(
        "households/<str:slug>/statement.csv",
        views.statement_csv,
        name="statement-csv",
    ),
    path(
        "households/<str:slug>/payouts/new/",
        views.PayoutCreateView.as_view(),
        name="payout-create",
    ),
    path("payouts/<int:pk>/receipt/", views.payout_proof, name="payout-proof"),
    path("household/", views.household_home, name="household"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaigns"),
    path("campaigns/<int:pk>/poster/", views.campaign_poster, name="campaign-poster"),
    path(
        "households/<str:slug>/record/", views.household_record, name="household-record"
    ),
    path("households/<str:slug>/consent/", views.consent, name="consent"),
    path(
        "households/<str:slug>/consent/withdraw/",
        views.consent_withdraw,
        name="consent-withdraw",
    ),
    path("consents/<int:pk>/<str:which>/", views.consent_scan, name="consent-scan"),
    path("caseloads/", views.caseloads, name="caseloads"),
    path(
        "caseloads/<str:slug>/<int:user_id>/remove/",
        views.caseload_remove,
        name="caseload-remove",
    ),
    path("audit/", views.audit, name="audit"),
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
