from django.urls import path
from rest_framework import routers

from . import views

router = routers.SimpleRouter()
router.register(r"labels", views.LabelViewSet)

urlpatterns = [
    path("health/", views.health),
] + router.urls
