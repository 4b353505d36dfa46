from django.urls import include, path
from rest_framework.routers import DefaultRouter

from api import views

router = DefaultRouter()
router.register(r"invoices", views.InvoiceViewSet, basename="invoice")
router.register(r"receipts", views.ReceiptViewSet, basename="receipt")

urlpatterns = [
    path("", include(router.urls)),
    path("payments/", views.PaymentList.as_view()),
    path("ping/", views.ping),
    path("refunds/", views.RefundView.as_view()),
]
