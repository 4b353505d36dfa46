from django.contrib import admin
from django.urls import path

from crm import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("contacts/<int:pk>/archive/", views.archive_contact),
]
