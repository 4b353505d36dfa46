from rest_framework import serializers

from api.models import Invoice


class InvoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invoice
        fields = ["id", "amount", "status"]  # reach: request

    def validate_amount(self, value):  # reach: request
        return check_positive(value)

    def validate(self, attrs):  # reach: request
        return attrs

    def create(self, validated_data):  # reach: request
        return Invoice.objects.create(**validated_data)


class RefundSerializer(serializers.Serializer):
    reason = serializers.CharField()

    def validate_reason(self, value):  # reach: request
        return value.strip()


class ArchiveSerializer(serializers.Serializer):
    reason = serializers.CharField()  # reach: startup

    def validate(self, attrs):  # reach: none
        return attrs


def check_positive(value):  # reach: request
    if value <= 0:
        raise serializers.ValidationError("positive")
    return value


class ReceiptSerializer(serializers.Serializer):
    note = serializers.CharField()

    def validate_note(self, value):  # reach: request
        return value
