from django.contrib import admin
from django.urls import include, path

from samples.views import LimsWebhookView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("labs.urls")),
    path("api/", include("samples.urls")),
    path("hooks/lims/", LimsWebhookView.as_view(), name="lims-webhook"),
]
