from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse
from django.utils.html import format_html

from .models import StaffInvitation, StaffProfile, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active", "staff_link")
    search_fields = ("email", "first_name", "last_name")

    @admin.display(description="Staff profile")
    def staff_link(self, obj):
        profile = getattr(obj, "staff_profile", None)
        if profile is None:
            return "-"
        url = reverse("admin:accounts_staffprofile_change", args=[profile.pk])
        return format_html('<a href="{}">{}</a>', url, profile.clinic.name)


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "clinic", "role", "can_issue_refunds", "is_active")
    list_filter = ("role", "is_active")
    list_select_related = ("user", "clinic")


@admin.register(StaffInvitation)
class StaffInvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "clinic", "role", "expires_at", "accepted_at")
    exclude = ("token",)
