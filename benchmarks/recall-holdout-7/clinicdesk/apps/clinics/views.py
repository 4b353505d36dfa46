from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated

from common.permissions import IsClinicAdmin, IsClinicMember

from .models import Practitioner, Room
from .serializers import PractitionerSerializer, RoomSerializer


class RoomViewSet(viewsets.ModelViewSet):
    queryset = Room.objects.all()
    serializer_class = RoomSerializer
    filterset_fields = ["is_bookable", "floor"]

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [IsAuthenticated(), IsClinicMember()]
        return [IsAuthenticated(), IsClinicAdmin()]

    def get_queryset(self):
        return super().get_queryset().filter(clinic_id=self.request.user.staff_profile.clinic_id).order_by("name")

    def perform_create(self, serializer):
        serializer.save(clinic=self.request.user.staff_profile.clinic)


class PractitionerViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PractitionerSerializer
    permission_classes = [IsAuthenticated, IsClinicMember]
    filterset_fields = ["specialty", "accepts_online_booking"]

    def get_queryset(self):
        return (
            Practitioner.objects.filter(clinic_id=self.request.user.staff_profile.clinic_id)
            .select_related("user")
            .order_by("user__last_name")
        )
