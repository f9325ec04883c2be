from django.contrib import admin

from .models import (
    Household,
    HouseholdRecord,
    LedgerEntry,
    Membership,
    Organisation,
    Parcel,
    Payout,
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
    list_display = ["slug", "nickname", "public_name", "town", "village", "is_active"]
    list_filter = ["is_active", "town", "village"]
    search_fields = ["slug", "nickname", "public_name", "village"]
    # What the public sees follows the consent, recorded in the workspace.
    readonly_fields = ["slug", "display_level", "shows_village", "shows_photo"]
    inlines = [HouseholdRecordInline]

    def has_delete_permission(self, request, obj=None):
        # Households are deactivated, never deleted: order lines point at them.
        return False


@admin.register(PickupPoint)
class PickupPointAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "opening_hours", "is_active"]
    list_filter = ["is_active", "organisation"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: parcels move, and the ledger grows, only
    through the sellers services (which record who acted and keep balances)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Parcel)
class ParcelAdmin(ReadOnlyAdmin):
    list_display = ["order", "household", "goods_total", "delivery_charge", "status"]
    list_filter = ["status"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["household", "seq", "kind", "amount", "balance", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["household"]


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ["household", "amount", "method", "reference", "paid_on"]
    list_filter = ["method"]
    exclude = ["proof"]
