"""Router-registered viewsets for the stock API."""
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .models import Product, PurchaseOrder, StockItem
from .permissions import IsOrgManagerOrReadOnly, user_org
from .serializers import ProductSerializer, PurchaseOrderSerializer, StockItemSerializer


class ProductViewSet(viewsets.ModelViewSet):
    serializer_class = ProductSerializer
    permission_classes = [IsAuthenticated, IsOrgManagerOrReadOnly]

    def get_queryset(self):
        qs = Product.objects.filter(organization=user_org(self.request)).order_by("sku")
        category = self.request.query_params.get("category")
        if category:
            qs = qs.filter(category=category)
        return qs

    def perform_create(self, serializer):
        serializer.save(organization=user_org(self.request))


class StockItemViewSet(viewsets.ReadOnlyModelViewSet):
    """Current stock per product and warehouse for the caller's organisation."""

    serializer_class = StockItemSerializer

    def get_queryset(self):
        qs = StockItem.objects.filter(warehouse__organization=user_org(self.request))
        warehouse = self.request.query_params.get("warehouse")
        if warehouse:
            qs = qs.filter(warehouse__code=warehouse)
        return qs.order_by("warehouse_id", "product_id")


class PurchaseOrderViewSet(viewsets.ModelViewSet):
    serializer_class = PurchaseOrderSerializer
    permission_classes = [IsAuthenticated, IsOrgManagerOrReadOnly]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            PurchaseOrder.objects.filter(organization=user_org(self.request))
            .select_related("supplier")
            .order_by("-created_at")
        )

    def perform_create(self, serializer):
        serializer.save(organization=user_org(self.request), created_by=self.request.user)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        order = self.get_object()
        if order.status != "draft":
            return Response({"detail": "only drafts can be submitted"}, status=status.HTTP_409_CONFLICT)
        order.status = "submitted"
        order.save(update_fields=["status"])
        return Response(self.get_serializer(order).data)

    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def approve(self, request, pk=None):
        order = self.get_object()
        if order.status != "submitted":
            return Response({"detail": "order is not awaiting approval"}, status=status.HTTP_409_CONFLICT)
        order.status = "approved"
        order.approved_by = request.user
        order.save(update_fields=["status", "approved_by"])
        return Response(self.get_serializer(order).data)

