from fleet.api.routers import router
from fleet.api.viewsets import FleetViewSet

__all__ = ["FleetViewSet", "router"]
