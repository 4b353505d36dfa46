from rest_framework import serializers

from .models import Invoice, InvoiceLine, Payment


class InvoiceLineSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)

    class Meta:
        model = InvoiceLine
        fields = ["id", "description", "unit_price", "quantity", "tax_rate", "amount"]


class InvoiceSerializer(serializers.ModelSerializer):
    lines = InvoiceLineSerializer(many=True, read_only=True)
    patient_name = serializers.CharField(source="patient.full_name", read_only=True)

    class Meta:
        model = Invoice
        fields = ["id", "number", "patient", "patient_name", "status", "currency", "subtotal", "credit_applied", "total", "due_date", "issued_at", "lines"]


class IssueInvoiceSerializer(serializers.Serializer):
    patient_id = serializers.IntegerField()
    appointment_ids = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=50)
    price_code = serializers.CharField(max_length=20)


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "invoice", "amount", "refunded_amount", "method", "status", "created_at"]


class CardPaymentSerializer(serializers.Serializer):
    source = serializers.CharField(max_length=64)


class RefundSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
