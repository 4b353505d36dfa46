from django.urls import include, path
from rest_framework.routers import DefaultRouter

from trips.views import *

router = DefaultRouter()
router.register(r"trips", TripViewSet, basename="trips")

urlpatterns = [
    path("api/", include(router.urls)),
    path("api/weather/", WeatherView.as_view()),
]
