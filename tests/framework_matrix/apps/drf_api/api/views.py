from rest_framework import generics, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response
from rest_framework.views import APIView

from api.models import Invoice
from api.permissions import IsInvoiceOwner
from api.serializers import InvoiceSerializer, ReceiptSerializer, RefundSerializer


class InvoiceViewSet(viewsets.ModelViewSet):
    serializer_class = InvoiceSerializer
    permission_classes = [IsInvoiceOwner]

    def get_queryset(self):  # reach: request
        return Invoice.objects.filter(owner=self.request.user)

    def perform_create(self, serializer):  # reach: request
        serializer.save(owner=self.request.user)

    @action(detail=True, methods=["post"], url_path="mark-paid")
    def mark_paid(self, request, pk=None):  # reach: request
        invoice = self.get_object()
        invoice.status = "paid"
        invoice.save()
        return Response({"status": invoice.status})


class PaymentList(generics.ListCreateAPIView):
    serializer_class = InvoiceSerializer
    queryset = Invoice.objects.all()  # reach: request

    def get_queryset(self):  # reach: request
        return Invoice.objects.all()


class RefundView(APIView):
    def post(self, request):  # reach: request
        serializer = RefundSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data)


@api_view(["GET"])
def ping(request):  # reach: request
    return Response({"ok": True})


class ReceiptViewSet(viewsets.GenericViewSet):
    def get_serializer_class(self):  # reach: request
        if self.action == "create":
            return ReceiptSerializer
        return InvoiceSerializer

    def create(self, request):  # reach: request
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data, status=201)
