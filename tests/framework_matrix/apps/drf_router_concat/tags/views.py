from rest_framework import viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from tags.models import Label


@api_view(["GET"])
def health(request):  # reach: request
    return Response({"ok": True})


@api_view(["POST"])
def purge(request):  # reach: request
    return Response(status=204)


class LabelViewSet(viewsets.ModelViewSet):
    queryset = Label.objects.all()

    def list(self, request):  # reach: request
        return Response([])

