from rest_framework.response import Response
from rest_framework.views import APIView


class WeatherView(APIView):
    def get(self, request):  # reach: request
        return Response({"sky": "clear"})
