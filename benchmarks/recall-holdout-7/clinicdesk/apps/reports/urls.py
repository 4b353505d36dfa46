from django.urls import path

from .views import NoShowReportView, RevenueReportView

urlpatterns = [
    path("revenue/", RevenueReportView.as_view(), name="report-revenue"),
    path("no-shows/", NoShowReportView.as_view(), name="report-no-shows"),
]
