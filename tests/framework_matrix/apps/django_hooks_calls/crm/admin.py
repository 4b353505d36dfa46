from django.contrib import admin

from crm.models import AuditEntry, Contact


def export_selected(modeladmin, request, queryset):  # reach: request
    return list(queryset.values("name"))


class ContactAdmin(admin.ModelAdmin):
    actions = [export_selected]

    def get_queryset(self, request):  # reach: request
        return super().get_queryset(request).filter(archived=False)


class AuditEntryAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):  # reach: none
        return False


admin.site.register(Contact, ContactAdmin)
