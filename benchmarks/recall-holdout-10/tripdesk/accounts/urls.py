from django.urls import path

from accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view()),
    path("me/", views.MeView.as_view()),
    path("me/notification-email/", views.update_notification_email),
    path("password-reset/", views.PasswordResetRequestView.as_view()),
    path("password-reset/confirm/", views.PasswordResetConfirmView.as_view()),
]
