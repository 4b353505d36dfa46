from django.contrib.auth import get_user_model
from rest_framework import serializers

from .models import StaffInvitation, StaffProfile

User = get_user_model()


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = "__all__"


class StaffDirectorySerializer(serializers.ModelSerializer):
    user = UserSerializer(read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = StaffProfile
        fields = ["id", "user", "role", "role_label", "title", "is_active", "created_at"]


class StaffProfileSerializer(serializers.ModelSerializer):
    first_name = serializers.CharField(source="user.first_name", max_length=150)
    last_name = serializers.CharField(source="user.last_name", max_length=150)
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = StaffProfile
        fields = ["id", "first_name", "last_name", "email", "title", "role", "can_issue_refunds"]
        read_only_fields = ["role", "can_issue_refunds"]

    def update(self, instance, validated_data):
        user_data = validated_data.pop("user", {})
        for attr in ("first_name", "last_name"):
            if attr in user_data:
                setattr(instance.user, attr, user_data[attr])
        instance.user.save(update_fields=["first_name", "last_name"])
        return super().update(instance, validated_data)


class RoleChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StaffProfile
        fields = ["role", "can_issue_refunds", "title"]


class InvitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = StaffInvitation
        fields = ["id", "email", "role", "expires_at", "accepted_at", "created_at"]
        read_only_fields = ["expires_at", "accepted_at", "created_at"]
