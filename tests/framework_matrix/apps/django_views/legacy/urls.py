from django.conf import settings
from django.urls import path

from legacy import views

if getattr(settings, "NEW_LAYOUT", False):
    urlpatterns = [path("assets/<int:pk>/", views.asset_detail)]
else:
    urlpatterns = [path("products/<int:pk>/", views.asset_detail)]
