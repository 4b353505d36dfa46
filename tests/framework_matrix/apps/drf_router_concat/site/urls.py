from django.urls import include, path

urlpatterns = [path("api/tags/", include("tags.urls"))]
