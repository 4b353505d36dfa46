from django.contrib.auth import get_user_model
from rest_framework import serializers

from .models import Lab, Profile

User = get_user_model()


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = "__all__"


class UserSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("id", "username", "first_name", "last_name")


class MemberSerializer(serializers.ModelSerializer):
    user = UserSerializer(read_only=True)

    class Meta:
        model = Profile
        fields = ("id", "user", "role", "orcid")


class LabSerializer(serializers.ModelSerializer):
    members = MemberSerializer(many=True, read_only=True, source="profiles")

    class Meta:
        model = Lab
        fields = ("id", "name", "code", "slack_channel", "members")


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = Profile
        fields = "__all__"


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Profile.ROLE_CHOICES)
