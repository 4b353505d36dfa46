from rest_framework.views import APIView


class SessionLoginApi(APIView):
    authentication_classes = ()
    permission_classes = ()

    def post(self, request):
        return None
