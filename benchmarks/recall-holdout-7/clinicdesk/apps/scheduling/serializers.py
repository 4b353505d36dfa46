from rest_framework import serializers

from .models import Appointment, Slot


class SlotSerializer(serializers.ModelSerializer):
    practitioner_name = serializers.CharField(source="practitioner.display_name", read_only=True)
    room_name = serializers.CharField(source="room.name", read_only=True, default=None)
    available = serializers.SerializerMethodField()

    class Meta:
        model = Slot
        fields = ["id", "practitioner", "practitioner_name", "room", "room_name", "start", "end", "capacity", "booked_count", "available", "is_blocked"]
        read_only_fields = ["booked_count"]

    def get_available(self, obj):
        return max(obj.capacity - obj.booked_count, 0) if not obj.is_blocked else 0

    def validate(self, attrs):
        start, end = attrs.get("start"), attrs.get("end")
        if start and end and end <= start:
            raise serializers.ValidationError("end must be after start")
        return attrs


class AppointmentSerializer(serializers.ModelSerializer):
    patient_name = serializers.CharField(source="patient.full_name", read_only=True)
    practitioner_name = serializers.CharField(source="practitioner.display_name", read_only=True)
    start = serializers.DateTimeField(source="slot.start", read_only=True)
    end = serializers.DateTimeField(source="slot.end", read_only=True)

    class Meta:
        model = Appointment
        fields = ["id", "slot", "patient", "patient_name", "practitioner", "practitioner_name", "start", "end", "status", "reason", "booked_via", "billed", "created_at"]
        read_only_fields = ["status", "booked_via", "billed", "created_at", "practitioner"]


class BookAppointmentSerializer(serializers.Serializer):
    slot_id = serializers.IntegerField()
    patient_id = serializers.IntegerField()
    reason = serializers.CharField(max_length=255, allow_blank=True, required=False)


class BulkStatusSerializer(serializers.Serializer):
    appointment_ids = serializers.ListField(child=serializers.IntegerField(), max_length=200)
    status = serializers.ChoiceField(choices=[Appointment.Status.CHECKED_IN, Appointment.Status.COMPLETED, Appointment.Status.NO_SHOW])


class CalendarImportSerializer(serializers.Serializer):
    feed_url = serializers.URLField(max_length=500)
    days_ahead = serializers.IntegerField(min_value=1, max_value=90, default=30)
