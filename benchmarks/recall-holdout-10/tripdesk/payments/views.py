import json
import logging

from django.shortcuts import get_object_or_404
from rest_framework import serializers, status, viewsets
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.models import Booking
from payments.gateway import GatewayError, get_gateway
from payments.models import Payment
from payments.services import handle_event, pay_booking, refund_payment

logger = logging.getLogger(__name__)


class PaymentSerializer(serializers.ModelSerializer):
    booking = serializers.CharField(source="booking.reference", read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "booking", "amount", "refunded_amount", "status", "created_at"]


class PayRequestSerializer(serializers.Serializer):
    booking_id = serializers.IntegerField(min_value=1)
    card_token = serializers.CharField(max_length=64)


class RefundRequestSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0.01)


class PaymentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PaymentSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return (
            Payment.objects.filter(booking__user=self.request.user)
            .select_related("booking")
            .order_by("-created_at")
        )

    def create(self, request):
        data = PayRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = get_object_or_404(Booking, pk=data.validated_data["booking_id"], user=request.user)
        try:
            payment = pay_booking(get_gateway(), booking, data.validated_data["card_token"])
        except GatewayError:
            return Response({"detail": "Payment declined."}, status=status.HTTP_402_PAYMENT_REQUIRED)
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


class AdminRefundView(APIView):
    permission_classes = [IsAdminUser]

    def post(self, request, payment_id):
        data = RefundRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payment = refund_payment(get_gateway(), payment_id, data.validated_data["amount"])
        return Response(PaymentSerializer(payment).data)


class PayGateWebhookView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def post(self, request):
        body = request.body
        if not get_gateway().verify_signature(body, request.headers.get("PayGate-Signature", "")):
            return Response(status=status.HTTP_400_BAD_REQUEST)
        handle_event(json.loads(body))
        return Response(status=status.HTTP_204_NO_CONTENT)
