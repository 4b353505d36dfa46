from rest_framework import serializers

from .models import Patient, PatientDocument


class PatientSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Patient
        fields = [
            "id",
            "full_name",
            "first_name",
            "last_name",
            "date_of_birth",
            "phone",
            "email",
            "preferred_language",
            "insurance_provider",
            "insurance_number",
            "notes",
            "sms_opt_in",
            "portal_enabled",
            "created_at",
        ]
        read_only_fields = ["portal_enabled", "created_at"]


class PatientListSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Patient
        fields = ["id", "full_name", "date_of_birth", "phone"]


class PortalProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = Patient
        fields = ["first_name", "last_name", "phone", "email", "preferred_language", "sms_opt_in", "credit_balance"]
        read_only_fields = ["credit_balance"]


class PatientDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = PatientDocument
        fields = ["id", "kind", "title", "uploaded_at"]
