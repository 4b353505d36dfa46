from django.urls import path

from . import views

urlpatterns = [
    path("signup/", views.signup),
    path("token/", views.LoginView.as_view()),
    path("me/", views.me),
]
