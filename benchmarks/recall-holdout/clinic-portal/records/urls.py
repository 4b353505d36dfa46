from django.urls import path

from . import billing_views, views

app_name = "records"

urlpatterns = [
    path("login/", views.portal_login, name="login"),
    path("logout/", views.portal_logout, name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.ProfileUpdateView.as_view(), name="profile"),
    path("book/", views.book_appointment, name="book"),
    path("appointments/<int:pk>/", views.AppointmentDetailView.as_view(), name="appointment"),
    path("appointments/<int:pk>/cancel/", views.cancel_appointment, name="cancel"),
    path("appointments/<int:pk>/checkin-code/", views.send_checkin_code, name="checkin_code"),
    path("results/<int:result_id>/", views.lab_result_download, name="lab_result"),
    path("staff/", views.staff_dashboard, name="staff_dashboard"),
    path("staff/schedule.json", views.clinician_schedule_json, name="schedule_json"),
    path("staff/search/", views.patient_search, name="patient_search"),
    path("staff/patients/", views.StaffPatientListView.as_view(), name="patient_list"),
    path("staff/patients/<int:patient_id>/", views.patient_chart, name="chart"),
    path("staff/patients/export.csv", views.export_patients_csv, name="export_patients"),
    path("staff/appointments/<int:appointment_id>/invoice/", billing_views.issue_invoice, name="issue_invoice"),
    path("staff/invoices.json", billing_views.invoices_json, name="invoices_json"),
    path("staff/invoices/<int:invoice_id>/pay/", billing_views.record_payment, name="record_payment"),
    path("hooks/lab-results/", billing_views.lab_result_webhook, name="lab_webhook"),
]
