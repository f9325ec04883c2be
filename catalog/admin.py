# Oscar registers the catalogue models in Django admin from the app package.
from django.contrib import admin  # noqa: E402
from oscar.apps.catalogue.admin import *  # noqa: F403

from .models import ProductCertificate  # noqa: E402


@admin.register(ProductCertificate)
class ProductCertificateAdmin(admin.ModelAdmin):
    list_display = ["product", "number", "issuer", "valid_from", "valid_until"]
    search_fields = ["number", "issuer", "product__title"]
    raw_id_fields = ["product"]
