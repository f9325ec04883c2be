from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


def _with_phone(fieldsets):
    """UserAdmin's fieldsets, the mobile number beside the e-mail address."""
    return tuple(
        (name, {**options, "fields": (*options["fields"], "phone")})
        if "email" in options["fields"]
        else (name, options)
        for name, options in fieldsets
    )


@admin.register(User)
class BangfuUserAdmin(UserAdmin):
    search_fields = ("username", "email", "phone", "first_name", "last_name")
    fieldsets = _with_phone(UserAdmin.fieldsets)
