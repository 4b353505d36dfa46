from django.urls import path

from . import views

urlpatterns = [
    path("api/request-code/", views.RequestCodeView.as_view(), name="portal-request-code"),
    path("api/verify-code/", views.VerifyCodeView.as_view(), name="portal-verify-code"),
    path("api/profile/", views.ProfileView.as_view(), name="portal-profile"),
    path("api/appointments/", views.MyAppointmentsView.as_view(), name="portal-appointments"),
    path("appointments/<int:appointment_id>/cancel/", views.cancel_my_appointment, name="portal-cancel"),
    path("", views.portal_landing, name="portal-landing"),
]
