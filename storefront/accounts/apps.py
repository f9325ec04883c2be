from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """The custom User, kept in its own app so Wagtail's migrations never cycle."""

    name = "storefront.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
