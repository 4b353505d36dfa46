from decimal import Decimal

from rest_framework import serializers

from .models import Product, PurchaseOrder, StockItem, StockMovement


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "sku", "name", "category", "unit", "unit_cost", "reorder_level", "supplier"]


class StockItemSerializer(serializers.ModelSerializer):
    sku = serializers.CharField(source="product.sku", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    unit = serializers.CharField(source="product.unit", read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)

    class Meta:
        model = StockItem
        fields = ["id", "sku", "product_name", "unit", "warehouse_code", "quantity", "updated_at"]


class StockMovementSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None)

    class Meta:
        model = StockMovement
        fields = ["id", "kind", "amount", "reference", "created_by", "created_at"]


class PurchaseOrderSerializer(serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)

    class Meta:
        model = PurchaseOrder
        fields = ["id", "supplier", "supplier_name", "status", "total", "created_at", "approved_by"]
        read_only_fields = ["status", "created_at", "approved_by"]


class ReservationSerializer(serializers.Serializer):
    stock_item_id = serializers.IntegerField()
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, min_value=Decimal("0.001"))
    reference = serializers.CharField(max_length=64)


class TransferSerializer(serializers.Serializer):
    product_id = serializers.IntegerField()
    from_warehouse = serializers.CharField(max_length=16)
    to_warehouse = serializers.CharField(max_length=16)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, min_value=Decimal("0.001"))
    reference = serializers.CharField(max_length=64, required=False, default="")
