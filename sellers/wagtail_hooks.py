"""Households and organisations in Wagtail admin (public profile only)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import Household, Organisation


class HouseholdPermissionPolicy(ModelPermissionPolicy):
    """No add or delete here: registering a household also creates its Oscar
    partner and protected record (sellers.services), and households are
    deactivated, never deleted."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Household, HouseholdPermissionPolicy(Household))


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    form_fields = ["name", "slug", "district", "description"]
    list_display = ["name", "district"]
    search_fields = ["name"]


class HouseholdViewSet(ModelViewSet):
    """A household's public profile; its protected record is not edited here."""

    model = Household
    icon = "home"
    form_fields = [
        "organisation",
        "slug",
        "display_level",
        "public_name",
        "district",
        "town",
        "village",
        "introduction",
        "photo",
        "ships_itself",
        "is_active",
    ]
    list_display = ["__str__", "town", "village", "display_level", "is_active"]
    list_filter = ["town", "village", "is_active"]
    search_fields = ["public_name", "village", "town"]
    copy_view_enabled = False


class SellersGroup(ModelViewSetGroup):
    menu_label = _("Households")
    menu_icon = "home"
    items = (HouseholdViewSet("households"), OrganisationViewSet("organisations"))


@hooks.register("register_admin_viewset")
def register_sellers_viewsets():
    return SellersGroup()
