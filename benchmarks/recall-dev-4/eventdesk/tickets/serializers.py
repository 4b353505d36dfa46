from decimal import Decimal

from rest_framework import serializers

from .models import Event, Order, OrderItem, Profile, Ticket, TicketType, Venue


class VenueSerializer(serializers.ModelSerializer):
    class Meta:
        model = Venue
        fields = ("id", "name", "city", "address", "latitude", "longitude")


class TicketTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = TicketType
        fields = ("id", "name", "price", "capacity", "remaining", "sales_end")
        read_only_fields = ("remaining",)


class EventSerializer(serializers.ModelSerializer):
    venue = VenueSerializer(read_only=True)
    venue_id = serializers.PrimaryKeyRelatedField(queryset=Venue.objects.all(), source="venue", write_only=True)
    ticket_types = TicketTypeSerializer(many=True, read_only=True)
    organizer_name = serializers.CharField(source="organizer.profile.display_name", read_only=True)

    class Meta:
        model = Event
        fields = (
            "id", "title", "description", "starts_at", "ends_at", "status",
            "venue", "venue_id", "ticket_types", "organizer_name",
        )
        read_only_fields = ("status",)

    def validate(self, attrs):
        if attrs.get("ends_at") and attrs.get("starts_at") and attrs["ends_at"] <= attrs["starts_at"]:
            raise serializers.ValidationError("ends_at must be after starts_at")
        return attrs


class OrderItemSerializer(serializers.ModelSerializer):
    ticket_type_name = serializers.CharField(source="ticket_type.name", read_only=True)
    event_title = serializers.CharField(source="ticket_type.event.title", read_only=True)

    class Meta:
        model = OrderItem
        fields = ("ticket_type", "ticket_type_name", "event_title", "quantity", "unit_price")


class OrderSerializer(serializers.ModelSerializer):
    items = OrderItemSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = (
            "id", "reference", "status", "event", "items", "subtotal", "discount",
            "total", "paid_from_wallet", "hold_expires_at", "created_at",
        )
        read_only_fields = fields


class OrderLineInput(serializers.Serializer):
    ticket_type_id = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1, max_value=10)


class CheckoutSerializer(serializers.Serializer):
    event_id = serializers.IntegerField(min_value=1)
    lines = OrderLineInput(many=True, allow_empty=False, max_length=10)
    promo_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    use_wallet = serializers.BooleanField(default=False)
    payment_method = serializers.CharField(max_length=64, required=False)


class TicketSerializer(serializers.ModelSerializer):
    event_title = serializers.CharField(source="ticket_type.event.title", read_only=True)

    class Meta:
        model = Ticket
        fields = ("id", "event_title", "attendee_name", "attendee_email", "code", "checked_in_at")
        read_only_fields = ("code", "checked_in_at")


class AttendeeSerializer(serializers.ModelSerializer):
    ticket_type = serializers.CharField(source="ticket_type.name")

    class Meta:
        model = Ticket
        fields = ("attendee_name", "attendee_email", "ticket_type", "code", "checked_in_at")


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = Profile
        exclude = ("user",)
        read_only_fields = ("created_at",)


class PayoutDetailsSerializer(serializers.Serializer):
    account_holder = serializers.CharField(max_length=120)
    iban = serializers.RegexField(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")


class TransferSerializer(serializers.Serializer):
    ticket_id = serializers.IntegerField(min_value=1)


class ClaimSerializer(serializers.Serializer):
    claim_token = serializers.CharField(max_length=64)
    attendee_name = serializers.CharField(max_length=200)
    attendee_email = serializers.EmailField()


class WalletTransferSerializer(serializers.Serializer):
    to_username = serializers.CharField(max_length=150)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0.01"))


class CheckInSerializer(serializers.Serializer):
    codes = serializers.ListField(child=serializers.CharField(max_length=16), allow_empty=False, max_length=200)
