from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from rest_framework import serializers

from stock.models import Invitation, Profile

User = get_user_model()


class SignupSerializer(serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, validators=[validate_password])
    invite_code = serializers.CharField(write_only=True, max_length=64)

    class Meta:
        model = User
        exclude = ["last_login", "date_joined", "groups", "user_permissions"]

    def validate_invite_code(self, value):
        invitation = Invitation.objects.filter(code=value, accepted_at__isnull=True).first()
        if invitation is None:
            raise serializers.ValidationError("invitation is invalid or already used")
        self.context["invitation"] = invitation
        return value

    def create(self, validated_data):
        validated_data.pop("invite_code")
        password = validated_data.pop("password")
        invitation = self.context["invitation"]
        with transaction.atomic():
            user = User(**validated_data)
            user.set_password(password)
            user.save()
            Profile.objects.create(
                user=user, organization=invitation.organization, role=invitation.role
            )
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_at"])
        return user


class MeSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="profile.organization.name")
    role = serializers.CharField(source="profile.role")

    class Meta:
        model = User
        fields = ["id", "username", "email", "first_name", "last_name", "organization", "role"]
