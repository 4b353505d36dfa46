from django.urls import path

from .webhooks import lab_results_webhook, payflow_webhook

urlpatterns = [
    path("payflow/", payflow_webhook, name="payflow-webhook"),
    path("lab-results/", lab_results_webhook, name="lab-webhook"),
]
