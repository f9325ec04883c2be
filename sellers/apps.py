from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SellersConfig(AppConfig):
    """The domain: households, organisations, social workers and their caseloads."""

    name = "sellers"
    verbose_name = _("Households and organisations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)
