from django.urls import include, path
from rest_framework import routers

from . import views

router = routers.SimpleRouter()
router.register(r"labels", views.LabelViewSet)

urlpatterns = [
    path("health/", views.health),
    # an inline list under an application namespace: include((patterns, app_name))
    path("admin/", include(([path("purge/", views.purge)], "tags-admin"))),
] + router.urls
