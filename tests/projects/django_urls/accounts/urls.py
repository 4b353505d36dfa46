from django.urls import path

from accounts.views import SessionLoginApi

urlpatterns = [
    path("login/", SessionLoginApi.as_view()),
]
