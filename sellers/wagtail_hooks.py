"""Households and organisations in Wagtail admin (public profile only)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import Household, Organisation


class HouseholdPermissionPolicy(ModelPermissionPolicy):
    """No add or delete here: registering a household also creates its Oscar
    partner and protected record (sellers.households.services), and households are
    deactivated, never deleted."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Household, HouseholdPermissionPolicy(Household))


class OrganisationViewSet(ModelViewSet):
    """An organisation and the service contact buyers see on its households'
    products, orders and notices."""

    model = Organisation
    icon = "group"
    form_fields = [
        "name",
        "slug",
        "district",
        "description",
        "service_phone",
        "service_wechat",
        "service_hours",
    ]
    list_display = ["name", "district"]
    search_fields = ["name"]


class HouseholdViewSet(ModelViewSet):
    """A household's public profile; its protected record is not edited here.

    What the public sees of it (display level, village, photos) follows its
    consent, recorded in the workspace: shown here, never changed here."""

    model = Household
    icon = "home"
    panels = [
        FieldPanel("organisation"),
        FieldPanel("slug", read_only=True),
        FieldPanel("nickname"),
        FieldPanel("display_level", read_only=True),
        FieldPanel("shows_village", read_only=True),
        FieldPanel("shows_photo", read_only=True),
        FieldPanel("public_name"),
        FieldPanel("district"),
        FieldPanel("town"),
        FieldPanel("village"),
        FieldPanel("introduction"),
        FieldPanel("photo"),
        FieldPanel("delivery_promise"),
        FieldPanel("ships_itself"),
        FieldPanel("is_active"),
    ]
    list_display = ["label", "town", "village", "display_level", "is_active"]
    list_filter = ["town", "village", "is_active"]
    search_fields = ["slug", "nickname", "public_name", "village", "town"]
    copy_view_enabled = False


class SellersGroup(ModelViewSetGroup):
    menu_label = _("Households")
    menu_icon = "home"
    items = (HouseholdViewSet("households"), OrganisationViewSet("organisations"))


@hooks.register("register_admin_viewset")
def register_sellers_viewsets():
    return SellersGroup()
