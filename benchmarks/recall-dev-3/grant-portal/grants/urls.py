from django.urls import path

from . import api, views

app_name = "grants"

urlpatterns = [
    path("", views.ProgramListView.as_view(), name="program-list"),
    path("programs/<slug:slug>/", views.ProgramDetailView.as_view(), name="program-detail"),
    path("programs/<slug:slug>/apply/", views.ApplicationCreateView.as_view(), name="apply"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("organization/switch/", views.switch_organization, name="switch-organization"),
    path("applications/<int:pk>/edit/", views.ApplicationUpdateView.as_view(), name="application-edit"),
    path("applications/<int:pk>/submit/", views.submit_application, name="application-submit"),
    path("applications/<int:pk>/withdraw/", views.withdraw_application, name="application-withdraw"),
    path("applications/<int:pk>/attachments/", views.upload_attachment, name="attachment-upload"),
    path("attachments/<int:pk>/", views.download_attachment, name="attachment-download"),
    path("attachments/legacy/", views.legacy_attachment, name="attachment-legacy"),
    path("review/", views.ReviewQueueView.as_view(), name="review-queue"),
    path("review/summary/", views.reviewer_summary, name="reviewer-summary"),
    path("review/<int:pk>/", views.review_application, name="review"),
    path("review/<int:pk>/approve/", views.approve_application, name="approve"),
    path("disbursements/<int:pk>/release/", views.release_disbursement, name="release-disbursement"),
    path("exports/awards.csv", views.export_awards_csv, name="export-awards"),
    path("hooks/payments/", views.payments_webhook, name="payments-webhook"),
    path("healthz", views.healthz, name="healthz"),
    path("api/programs/", api.programs, name="api-programs"),
    path("api/applications/", api.my_applications, name="api-my-applications"),
    path("api/applications/<int:pk>/", api.application_detail, name="api-application"),
    path("api/applications/<int:pk>/reviews/", api.submit_review, name="api-submit-review"),
    path("api/reports/funding/", api.program_report, name="api-funding-report"),
    path("api/programs/<slug:slug>/disbursements/", api.disbursement_schedule, name="api-disbursements"),
]
