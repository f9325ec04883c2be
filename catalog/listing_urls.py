from django.urls import path

from . import listing

app_name = "listing"

urlpatterns = [
    path("", listing.household_list, name="households"),
    path("h/<str:slug>/", listing.household_products, name="household"),
    path("h/<str:slug>/new/", listing.product_create, name="create"),
    path("p/<int:pk>/", listing.product_edit, name="edit"),
    path("p/<int:pk>/on-sale/", listing.product_on_sale, name="on-sale"),
    path("h/<str:slug>/import/", listing.import_upload, name="import-upload"),
    path("imports/<int:pk>/", listing.import_detail, name="import"),
    path("imports/template.csv", listing.import_template, name="import-template"),
]
