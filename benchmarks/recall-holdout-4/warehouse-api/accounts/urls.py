from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("team/", views.team_members, name="team-members"),
    path("tokens/", views.create_api_token, name="api-token-create"),
]
