from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("entries/", views.EntryList.as_view()),
    path("archive/", views.EntryArchive.as_view()),
    path("password/", views.DiaryPasswordChange.as_view()),
]
