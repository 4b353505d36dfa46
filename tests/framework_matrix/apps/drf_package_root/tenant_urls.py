from django.urls import include, path

urlpatterns = [path("", include("crowd.adapters.urls"))]
