from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StorefrontConfig(AppConfig):
    """The public face: Wagtail pages for households' stories, and the site shell."""

    name = "storefront"
    verbose_name = _("Storefront")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401
