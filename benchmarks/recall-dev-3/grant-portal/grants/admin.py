from django.contrib import admin

from .models import Application, Award, Disbursement, GrantProgram, Organization, Review


@admin.register(GrantProgram)
class GrantProgramAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "budget", "remaining_budget", "opens_at", "closes_at", "is_published")
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("title", "program", "organization", "status", "requested_amount", "submitted_at")
    list_filter = ("status", "program")
    list_select_related = ("program", "organization")
    search_fields = ("title", "organization__name")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "tax_id")
    exclude = ("bank_account_number", "bank_routing_number")


admin.site.register(Review)
admin.site.register(Award)
admin.site.register(Disbursement)
