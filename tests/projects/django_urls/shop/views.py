from django.contrib.auth.decorators import login_required
from rest_framework import generics, mixins, viewsets
from rest_framework.decorators import action, api_view
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


class InvoiceList(generics.ListCreateAPIView):
    permission_classes = [IsAuthenticated]


class PaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    @action(detail=True, methods=["post"], url_path="refund")
    def refund(self, request, pk=None):
        return None

    @action(detail=False)
    def recent(self, request):
        return None

    def summarise(self, request):
        """A method with a request parameter that no route reaches."""
        return None


@api_view(["GET", "POST"])
def coupons(request):
    return None
