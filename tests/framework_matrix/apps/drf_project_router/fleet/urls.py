from django.urls import include, path

import fleet.vehicles.api  # noqa: F401  (registers its viewsets on the router)
from fleet.api import router

urlpatterns = [path("api/", include(router.urls))]
