from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from apps.accounts.views import StaffViewSet
from apps.billing.views import InvoiceViewSet, PaymentViewSet
from apps.clinics.views import PractitionerViewSet, RoomViewSet
from apps.patients.views import PatientViewSet
from apps.scheduling.views import AppointmentViewSet, SlotViewSet

router = DefaultRouter()
router.register("staff", StaffViewSet, basename="staff")
router.register("rooms", RoomViewSet, basename="room")
router.register("practitioners", PractitionerViewSet, basename="practitioner")
router.register("patients", PatientViewSet, basename="patient")
router.register("slots", SlotViewSet, basename="slot")
router.register("appointments", AppointmentViewSet, basename="appointment")
router.register("invoices", InvoiceViewSet, basename="invoice")
router.register("payments", PaymentViewSet, basename="payment")


def healthz(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("healthz", healthz),
    path("admin/", admin.site.urls),
    path("api/v1/", include(router.urls)),
    path("api/v1/", include("apps.accounts.urls")),
    path("api/v1/", include("apps.patients.urls")),
    path("api/v1/", include("apps.scheduling.urls")),
    path("api/v1/", include("apps.billing.urls")),
    path("api/v1/reports/", include("apps.reports.urls")),
    path("portal/", include("apps.portal.urls")),
    path("hooks/", include("apps.billing.webhook_urls")),
]
