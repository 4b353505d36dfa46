from django.conf import settings
from django.urls import include, path

from crowd.tenant_urls import urlpatterns as tenant_urls

urlpatterns = [
    path("api/events", include("crowd.events.urls")),
    # another module's patterns, included as (patterns, app_name) under a prefix the settings decide
    path(f"{settings.TENANT_PREFIX}/", include((tenant_urls, "tenant"), namespace="tenant")),
]
