"""Function-based endpoints for stock operations and reports."""
import logging
from datetime import timedelta

import yaml
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework import status
from rest_framework.decorators import api_view, parser_classes, permission_classes
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from . import reporting
from .models import Product, StockItem, StockMovement, Supplier, Warehouse
from .permissions import IsOrgClerk, IsOrgManagerOrReadOnly, user_org
from .serializers import ReservationSerializer, StockMovementSerializer, TransferSerializer

logger = logging.getLogger(__name__)


@api_view(["GET"])
def movement_history(request, item_id):
    item = get_object_or_404(StockItem.objects.select_related("product", "warehouse"), pk=item_id)
    movements = item.movements.select_related("created_by").order_by("-created_at")[:200]
    return Response(
        {
            "sku": item.product.sku,
            "warehouse": item.warehouse.code,
            "quantity": str(item.quantity),
            "movements": StockMovementSerializer(movements, many=True).data,
        }
    )


@api_view(["GET"])
def warehouse_movements(request, code):
    warehouse = get_object_or_404(Warehouse, organization=user_org(request), code=code)
    movements = (
        StockMovement.objects.filter(stock_item__warehouse=warehouse)
        .select_related("created_by")
        .order_by("-created_at")
    )
    return Response(StockMovementSerializer(movements, many=True).data)


@api_view(["POST"])
@permission_classes([IsAuthenticated, IsOrgClerk])
def reserve_stock(request):
    data = ReservationSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    qty = data.validated_data["quantity"]
    item = get_object_or_404(
        StockItem, pk=data.validated_data["stock_item_id"], warehouse__organization=user_org(request)
    )
    if item.quantity < qty:
        return Response({"detail": "insufficient stock"}, status=status.HTTP_409_CONFLICT)
    item.quantity -= qty
    item.save(update_fields=["quantity", "updated_at"])
    StockMovement.objects.create(
        stock_item=item,
        kind="reservation",
        amount=-float(qty),
        reference=data.validated_data["reference"],
        created_by=request.user,
    )
    return Response({"stock_item_id": item.id, "quantity": str(item.quantity)})


@api_view(["POST"])
@permission_classes([IsAuthenticated, IsOrgClerk])
def release_reservation(request):
    data = ReservationSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    qty = data.validated_data["quantity"]
    item = get_object_or_404(
        StockItem, pk=data.validated_data["stock_item_id"], warehouse__organization=user_org(request)
    )
    StockItem.objects.filter(pk=item.pk).update(quantity=F("quantity") + qty, updated_at=timezone.now())
    StockMovement.objects.create(
        stock_item=item,
        kind="release",
        amount=float(qty),
        reference=data.validated_data["reference"],
        created_by=request.user,
    )
    return Response(status=status.HTTP_204_NO_CONTENT)


@api_view(["POST"])
@permission_classes([IsAuthenticated, IsOrgClerk])
def transfer_stock(request):
    data = TransferSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    org = user_org(request)
    v = data.validated_data
    product = get_object_or_404(Product, pk=v["product_id"], organization=org)
    source = get_object_or_404(StockItem, product=product, warehouse__organization=org, warehouse__code=v["from_warehouse"])
    dest_warehouse = get_object_or_404(Warehouse, organization=org, code=v["to_warehouse"])
    dest, _ = StockItem.objects.get_or_create(product=product, warehouse=dest_warehouse)

    moved = StockItem.objects.filter(pk=source.pk, quantity__gte=v["quantity"]).update(
        quantity=F("quantity") - v["quantity"]
    )
    if not moved:
        return Response({"detail": "insufficient stock"}, status=status.HTTP_409_CONFLICT)
    StockMovement.objects.create(
        stock_item=source, kind="transfer_out", amount=-float(v["quantity"]),
        reference=v["reference"], created_by=request.user,
    )
    StockItem.objects.filter(pk=dest.pk).update(quantity=F("quantity") + v["quantity"])
    StockMovement.objects.create(
        stock_item=dest, kind="transfer_in", amount=float(v["quantity"]),
        reference=v["reference"], created_by=request.user,
    )
    return Response({"moved": str(v["quantity"])}, status=status.HTTP_201_CREATED)


@api_view(["GET"])
def valuation(request):
    code = request.query_params.get("warehouse")
    if not code:
        return Response({"detail": "warehouse is required"}, status=status.HTTP_400_BAD_REQUEST)
    rows = reporting.warehouse_valuation(
        user_org(request).id, code, request.query_params.get("category")
    )
    return Response({"warehouse": code, "lines": rows})


@api_view(["GET"])
def snapshots(request, granularity):
    if granularity not in reporting.SNAPSHOT_TABLES:
        return Response({"detail": "unknown granularity"}, status=status.HTTP_404_NOT_FOUND)
    return Response(reporting.snapshot_rows(user_org(request).id, granularity))


@api_view(["GET"])
def reorder_report(request):
    return Response(reporting.reorder_suggestions(user_org(request).id))


@api_view(["GET"])
def trends(request):
    weeks = min(int(request.query_params.get("weeks", 12)), 52)
    since = timezone.now() - timedelta(weeks=weeks)
    return Response(reporting.movement_trends(user_org(request).id, since))


@api_view(["POST"])
@permission_classes([IsAuthenticated, IsOrgManagerOrReadOnly])
@parser_classes([MultiPartParser])
def import_catalog(request, supplier_id):
    supplier = get_object_or_404(Supplier, pk=supplier_id, organization=user_org(request))
    upload = request.FILES.get("catalog")
    if upload is None or upload.size > 2 * 1024 * 1024:
        return Response({"detail": "catalog file (max 2 MB) is required"}, status=status.HTTP_400_BAD_REQUEST)
    catalog = yaml.load(upload.read(), Loader=yaml.Loader)

    created = updated = 0
    for entry in catalog.get("products", []):
        _, was_created = Product.objects.update_or_create(
            organization=supplier.organization,
            sku=str(entry["sku"]),
            defaults={
                "name": str(entry["name"])[:200],
                "category": str(entry.get("category", "uncategorised"))[:64],
                "unit": entry.get("unit", "pcs"),
                "unit_cost": entry["unit_cost"],
                "supplier": supplier,
            },
        )
        created += was_created
        updated += not was_created
    logger.info("catalog import for supplier %s: %s created, %s updated", supplier.id, created, updated)
    return Response({"created": created, "updated": updated})
