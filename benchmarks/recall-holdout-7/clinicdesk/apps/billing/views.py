import os

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.patients.models import Patient
from common.permissions import CanIssueRefunds, IsClinicMember, ReadOnlyOrBilling

from . import services
from .models import Invoice, Payment
from .serializers import (
    CardPaymentSerializer,
    InvoiceSerializer,
    IssueInvoiceSerializer,
    PaymentSerializer,
    RefundSerializer,
)
from .tasks import render_invoice_pdf_task


class InvoiceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = InvoiceSerializer
    permission_classes = [IsAuthenticated, ReadOnlyOrBilling]
    filterset_fields = ["status", "patient"]
    ordering_fields = ["issued_at", "due_date", "total"]

    def get_queryset(self):
        return (
            Invoice.objects.filter(clinic_id=self.request.user.staff_profile.clinic_id)
            .select_related("patient")
            .prefetch_related("lines")
            .order_by("-issued_at")
        )

    @action(detail=False, methods=["post"])
    def issue(self, request):
        serializer = IssueInvoiceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        clinic = request.user.staff_profile.clinic
        patient = get_object_or_404(Patient, pk=serializer.validated_data["patient_id"], clinic=clinic)
        invoice = services.issue_invoice(
            clinic,
            patient,
            serializer.validated_data["appointment_ids"],
            serializer.validated_data["price_code"],
            issued_by=request.user,
        )
        invoice = services.apply_patient_credit(invoice)
        render_invoice_pdf_task.delay(invoice.pk)
        return Response(InvoiceSerializer(invoice).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        idempotency_key = request.headers.get("Idempotency-Key")
        if not idempotency_key or len(idempotency_key) > 64:
            return Response({"detail": "Idempotency-Key header is required."}, status=status.HTTP_400_BAD_REQUEST)
        serializer = CardPaymentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = services.pay_by_card(self.get_object(), serializer.validated_data["source"], idempotency_key)
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


class PaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PaymentSerializer
    permission_classes = [IsAuthenticated, ReadOnlyOrBilling]

    def get_queryset(self):
        return Payment.objects.filter(invoice__clinic_id=self.request.user.staff_profile.clinic_id).order_by("-created_at")

    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, CanIssueRefunds])
    def refund(self, request, pk=None):
        serializer = RefundSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = services.refund_payment(self.get_object(), serializer.validated_data["amount"], actor=request.user)
        return Response(PaymentSerializer(payment).data)


class InvoicePdfView(APIView):
    permission_classes = [IsAuthenticated, IsClinicMember]

    def get(self, request, pk):
        invoice = get_object_or_404(Invoice, pk=pk)
        self.check_object_permissions(request, invoice)
        if not invoice.pdf_file:
            raise Http404("PDF not rendered yet")
        path = os.path.join(settings.INVOICE_PDF_DIR, str(invoice.clinic_id), f"{invoice.number}.pdf")
        return FileResponse(open(path, "rb"), as_attachment=True, filename=f"{invoice.number}.pdf")
