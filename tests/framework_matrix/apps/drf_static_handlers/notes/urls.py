from django.urls import path

from notes import views

urlpatterns = [
    path("api/notes/", views.NoteListView.as_view()),
    path("api/config/", views.ConfigView.as_view()),
]
