from django.contrib import admin

from .models import Event, Order, Payout, Ticket, TicketType, Venue


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "organizer", "starts_at", "status")
    list_filter = ("status",)
    search_fields = ("title",)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("reference", "user", "event", "status", "total", "created_at")
    list_filter = ("status",)
    search_fields = ("reference",)
    list_select_related = ("user", "event")


admin.site.register([Venue, TicketType, Ticket, Payout])
