from django.urls import include, path

from core.views import healthz

urlpatterns = [
    path("healthz", healthz),
    path("api/v1/accounts/", include("accounts.urls")),
    path("api/v1/sellers/", include("sellers.urls")),
    path("api/v1/payouts/", include("payouts.urls")),
    path("api/v1/reports/", include("reports.urls")),
]
