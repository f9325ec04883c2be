from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class BangfuUserAdmin(UserAdmin):
    search_fields = ("username", "email", "first_name", "last_name")
