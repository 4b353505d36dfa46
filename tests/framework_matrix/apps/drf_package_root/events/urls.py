from django.urls import path

from crowd.events.views import EventDetail, EventList

urlpatterns = [
    path("/", EventList.as_view(), name="event-list"),
    path("/<int:pk>", EventDetail.as_view(), name="event-detail"),
]
