from django.urls import path

from .views import InvoicePdfView

urlpatterns = [
    path("invoices/<int:pk>/pdf/", InvoicePdfView.as_view(), name="invoice-pdf"),
]
