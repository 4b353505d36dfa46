from rest_framework import permissions, viewsets


class FleetViewSet(viewsets.ModelViewSet):
    permission_classes = [permissions.IsAuthenticated]
