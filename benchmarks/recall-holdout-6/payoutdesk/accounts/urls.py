from django.urls import path

from . import views

urlpatterns = [
    path("session", views.SessionView.as_view()),
    path("tokens", views.ApiTokenView.as_view()),
    path("tokens/<int:token_id>/revoke", views.ApiTokenRevokeView.as_view()),
]
