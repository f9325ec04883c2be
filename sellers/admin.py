from django.contrib import admin

from .models import (
    Household,
    HouseholdRecord,
    Membership,
    Organisation,
    Parcel,
    PickupPoint,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "district"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]


class HouseholdRecordInline(admin.StackedInline):
    model = HouseholdRecord
    can_delete = False


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["slug", "public_name", "town", "village", "is_active"]
    list_filter = ["is_active", "town", "village"]
    search_fields = ["slug", "public_name", "village"]
    inlines = [HouseholdRecordInline]

    def has_delete_permission(self, request, obj=None):
        # Households are deactivated, never deleted: order lines point at them.
        return False


@admin.register(PickupPoint)
class PickupPointAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "opening_hours", "is_active"]
    list_filter = ["is_active", "organisation"]


@admin.register(Parcel)
class ParcelAdmin(admin.ModelAdmin):
    list_display = ["order", "household", "goods_total", "delivery_charge", "status"]
    list_filter = ["status"]

    def has_delete_permission(self, request, obj=None):
        return False
