from rest_framework import serializers

from fleet.api import FleetViewSet, router
from fleet.vehicles.models import Vehicle


class VehicleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vehicle
        fields = ["id", "plate"]


class VehicleViewSet(FleetViewSet):
    queryset = Vehicle.objects.all()
    serializer_class = VehicleSerializer


router.register(r"vehicles", VehicleViewSet)
