from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework_simplejwt.views import TokenObtainPairView

from common.permissions import IsClinicAdmin, IsClinicMember

from . import services
from .models import StaffProfile
from .serializers import (
    InvitationSerializer,
    RoleChangeSerializer,
    StaffDirectorySerializer,
    StaffProfileSerializer,
)


class LoginView(TokenObtainPairView):
    throttle_scope = "login"


class StaffViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = StaffDirectorySerializer
    permission_classes = [IsAuthenticated, IsClinicMember]
    filterset_fields = ["role", "is_active"]

    def get_queryset(self):
        clinic_id = self.request.user.staff_profile.clinic_id
        return StaffProfile.objects.filter(clinic_id=clinic_id).select_related("user").order_by("user__last_name")

    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, IsClinicAdmin])
    def deactivate(self, request, pk=None):
        profile = self.get_object()
        services.deactivate_staff(profile, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=False, methods=["post"], permission_classes=[IsAuthenticated, IsClinicAdmin])
    def invite(self, request):
        serializer = InvitationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = services.invite_staff(
            clinic=request.user.staff_profile.clinic,
            email=serializer.validated_data["email"],
            role=serializer.validated_data["role"],
            invited_by=request.user,
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class StaffRoleView(generics.UpdateAPIView):
    """Front desk leads re-assign roles when people cover for each other."""

    serializer_class = RoleChangeSerializer
    permission_classes = [IsAuthenticated, IsClinicMember]

    def get_queryset(self):
        return StaffProfile.objects.filter(clinic_id=self.request.user.staff_profile.clinic_id)


class MeView(generics.RetrieveUpdateAPIView):
    serializer_class = StaffProfileSerializer
    permission_classes = [IsAuthenticated, IsClinicMember]

    def get_object(self):
        return self.request.user.staff_profile

