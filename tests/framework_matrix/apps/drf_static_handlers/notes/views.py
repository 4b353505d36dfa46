from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

NOTES: list[dict] = []


class NoteListView(APIView):
    permission_classes = [IsAuthenticated]

    @staticmethod
    def get(request):  # reach: request
        return Response(NOTES)

    def post(self, request):  # reach: request
        NOTES.append(dict(request.data))
        return Response(status=201)


class ConfigView(APIView):
    permission_classes = [IsAdminUser]

    @staticmethod
    def get(request):  # reach: request
        return Response({"notes": len(NOTES)})


class ExportHelper:
    """Not a view: a static `get` on a plain class is no handler."""

    @staticmethod
    def get(request):  # reach: none
        return list(NOTES)
