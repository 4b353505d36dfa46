from django.contrib import admin
from django.urls import include, path

from tickets.views import HealthView, LoginView, PaymentWebhookView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", HealthView.as_view()),
    path("api/auth/login/", LoginView.as_view(), name="login"),
    path("api/webhooks/paygate/", PaymentWebhookView.as_view(), name="paygate-webhook"),
    path("api/", include("tickets.urls")),
]
