from rest_framework import serializers

from bookings.models import Booking, Departure, Traveller


class TravellerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Traveller
        fields = ["id", "full_name", "passport_number", "date_of_birth"]


class DepartureSerializer(serializers.ModelSerializer):
    supplier = serializers.CharField(source="supplier.name", read_only=True)

    class Meta:
        model = Departure
        fields = ["id", "code", "supplier", "origin", "destination", "departs_at", "seats_left", "base_fare"]


class BookingSerializer(serializers.ModelSerializer):
    travellers = TravellerSerializer(many=True, read_only=True)
    departure = DepartureSerializer(read_only=True)

    class Meta:
        model = Booking
        fields = ["id", "reference", "status", "passengers", "total", "departure", "travellers", "notes", "created_at"]
        read_only_fields = fields


class BookingCreateSerializer(serializers.Serializer):
    departure_id = serializers.IntegerField(min_value=1)
    travellers = TravellerSerializer(many=True, allow_empty=False, max_length=9)


class BookingUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Booking
        fields = "__all__"


class BookingNotesSerializer(serializers.ModelSerializer):
    class Meta:
        model = Booking
        fields = ["notes"]


class AgencyBookingRowSerializer(serializers.ModelSerializer):
    lead_traveller = serializers.SerializerMethodField()
    route = serializers.SerializerMethodField()
    booked_by = serializers.CharField(source="user.get_full_name", read_only=True)

    class Meta:
        model = Booking
        fields = ["id", "reference", "status", "total", "passengers", "lead_traveller", "route", "booked_by", "created_at"]

    def get_lead_traveller(self, obj):
        lead = obj.travellers.order_by("id").first()
        return lead.full_name if lead else None

    def get_route(self, obj):
        return f"{obj.departure.origin}-{obj.departure.destination}"


class QuoteRequestSerializer(serializers.Serializer):
    departure_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=6)
    passengers = serializers.IntegerField(min_value=1, max_value=9)


class ItineraryImportSerializer(serializers.Serializer):
    source_url = serializers.URLField(max_length=500)


class VoucherRedeemSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=16)
