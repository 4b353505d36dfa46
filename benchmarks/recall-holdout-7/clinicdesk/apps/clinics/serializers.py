from rest_framework import serializers

from .models import Practitioner, Room


class RoomSerializer(serializers.ModelSerializer):
    class Meta:
        model = Room
        fields = "__all__"
        read_only_fields = ["clinic"]


class PractitionerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Practitioner
        fields = ["id", "name", "email", "specialty", "default_slot_minutes", "accepts_online_booking"]


class WidgetPractitionerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = Practitioner
        fields = ["id", "name", "specialty"]
