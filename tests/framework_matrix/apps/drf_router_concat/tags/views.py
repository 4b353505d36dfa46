from rest_framework import viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from tags.models import Label


@api_view(["GET"])
def health(request):  # reach: request
    return Response({"ok": True})


class LabelViewSet(viewsets.ModelViewSet):
    queryset = Label.objects.all()

    def list(self, request):  # reach: request
        return Response([])

