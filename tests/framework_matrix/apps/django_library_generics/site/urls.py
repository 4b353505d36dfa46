from django.urls import include, path

urlpatterns = [path("diary/", include("diary.urls"))]
