from rest_framework import viewsets
from rest_framework.response import Response


class OldLabelViewSet(viewsets.ViewSet):
    """A viewset in a module no URLconf or router names: no endpoint."""

    def list(self, request):  # reach: none
        return Response([])
