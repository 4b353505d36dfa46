from django.urls import path

from . import views

urlpatterns = [
    path("payout-volume", views.PayoutVolumeView.as_view()),
    path("top-sellers", views.TopSellersView.as_view()),
    path("failure-reasons", views.FailureReasonsView.as_view()),
]
