from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from samples.permissions import IsLabMember

from .models import Lab, Profile
from .serializers import LabSerializer, MemberSerializer, ProfileSerializer, RoleSerializer


class LabViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LabSerializer
    permission_classes = [IsAuthenticated, IsLabMember]

    def get_queryset(self):
        return (
            Lab.objects.filter(pk=self.request.user.profile.lab_id)
            .prefetch_related("profiles__user")
        )


class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MemberSerializer
    permission_classes = [IsAuthenticated, IsLabMember]

    def get_queryset(self):
        return (
            Profile.objects.filter(lab_id=self.request.user.profile.lab_id)
            .select_related("user")
            .order_by("user__last_name")
        )

    @action(detail=True, methods=["post"], url_path="role")
    def set_role(self, request, pk=None):
        member = self.get_object()
        serializer = RoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member.role = serializer.validated_data["role"]
        member.save(update_fields=["role"])
        return Response(MemberSerializer(member).data)

    @action(detail=False, methods=["get", "patch"], url_path="me")
    def me(self, request):
        profile = request.user.profile
        if request.method == "GET":
            return Response(ProfileSerializer(profile).data)
        serializer = ProfileSerializer(profile, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data)
