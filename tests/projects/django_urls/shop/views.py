from django.contrib.auth.decorators import login_required
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView


def product_detail(request, pk):
    return None


class CartView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, cart_id):
        return None


class OrderViewSet(viewsets.ModelViewSet):
    def list(self, request):
        return None

    def retrieve(self, request, pk=None):
        return None
