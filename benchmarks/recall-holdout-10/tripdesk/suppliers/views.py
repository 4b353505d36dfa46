import logging

from django.db.models import F
from rest_framework import serializers, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.models import Booking, Departure, PriceRule
from bookings.permissions import IsAgencyStaff

logger = logging.getLogger(__name__)


class StatusCallbackSerializer(serializers.Serializer):
    reservation_id = serializers.CharField(max_length=64)
    status = serializers.ChoiceField(choices=["confirmed", "cancelled", "schedule_change"])
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class SupplierStatusCallbackView(APIView):
    """Suppliers push reservation status changes here."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def post(self, request, code):
        data = StatusCallbackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = Booking.objects.get(supplier_ref=data.validated_data["reservation_id"])
        if data.validated_data["status"] == "cancelled":
            booking.status = Booking.Status.CANCELLED
            Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED)
            Departure.objects.filter(pk=booking.departure_id).update(
                seats_left=F("seats_left") + booking.passengers
            )
        elif data.validated_data["status"] == "confirmed":
            Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CONFIRMED)
        logger.info("supplier %s callback booking=%s status=%s", code, booking.pk, data.validated_data["status"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class PriceRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriceRule
        fields = ["id", "agency", "supplier", "percent", "active"]
        read_only_fields = ["agency"]


class PriceRuleViewSet(viewsets.ModelViewSet):
    serializer_class = PriceRuleSerializer
    permission_classes = [IsAgencyStaff]

    def get_queryset(self):
        return PriceRule.objects.select_related("supplier").filter(agency=self.request.user.agency_id)

    def perform_create(self, serializer):
        serializer.save(agency_id=self.request.user.agency_id)
