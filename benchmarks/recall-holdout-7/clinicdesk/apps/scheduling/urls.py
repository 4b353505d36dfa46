from django.urls import path

from . import async_views
from .views import (
    AgendaView,
    PractitionerCalendarImportView,
    PractitionerWeekView,
    ScheduleTemplateImportView,
    WidgetAvailabilityView,
    WidgetBookView,
)

urlpatterns = [
    path("agenda/", AgendaView.as_view(), name="agenda"),
    path("practitioners/<int:practitioner_id>/week/", PractitionerWeekView.as_view(), name="practitioner-week"),
    path("practitioners/<int:practitioner_id>/calendar-import/", PractitionerCalendarImportView.as_view(), name="calendar-import"),
    path("practitioners/<int:practitioner_id>/busy/", async_views.practitioner_busy_times, name="practitioner-busy"),
    path("appointments/<int:appointment_id>/check-in-status/", async_views.check_in_status, name="check-in-status"),
    path("schedule-templates/import/", ScheduleTemplateImportView.as_view(), name="template-import"),
    path("widget/<slug:clinic_slug>/availability/", WidgetAvailabilityView.as_view(), name="widget-availability"),
    path("widget/<slug:clinic_slug>/appointments/", WidgetBookView.as_view(), name="widget-book"),
]
