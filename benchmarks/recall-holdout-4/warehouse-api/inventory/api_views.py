"""Function-based endpoints: integrations, exports, operator actions."""
import json
import logging
import os
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from dateutil.parser import isoparse
from django.conf import settings
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Profile

from .decorators import hmac_signed, json_body, json_login_required, role_required
from .models import Order, OrderLine, Product, Shipment
from .serializers import order_to_dict, product_to_dict
from .services import (
    InsufficientStock,
    adjust_stock,
    low_stock_products,
    movements_csv,
    recalculate_order,
    receive_stock,
    reserve_stock,
)
from .tasks import book_shipment

logger = logging.getLogger(__name__)

MAX_EXPORT_DAYS = 31


def slip_path(filename):
    return os.path.join(settings.PACKING_SLIP_ROOT, filename)


@require_GET
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_POST
@json_login_required
@role_required(Profile.ROLE_OPERATOR)
@json_body
def reserve(request):
    try:
        product = reserve_stock(
            request.user.profile.account,
            int(request.json["product_id"]),
            int(request.json["quantity"]),
            request.user,
        )
    except (KeyError, ValueError):
        return JsonResponse({"error": "product_id and quantity are required"}, status=400)
    except Product.DoesNotExist:
        return JsonResponse({"error": "not found"}, status=404)
    except InsufficientStock:
        return JsonResponse({"error": "insufficient stock"}, status=409)
    return JsonResponse(product_to_dict(product))


@require_POST
@json_login_required
@role_required(Profile.ROLE_OPERATOR)
@json_body
def adjust(request):
    try:
        product = adjust_stock(
            request.user.profile.account,
            int(request.json["product_id"]),
            int(request.json["delta"]),
            str(request.json.get("reason", "count"))[:40],
            request.user,
        )
    except (KeyError, ValueError):
        return JsonResponse({"error": "product_id and delta are required"}, status=400)
    except Product.DoesNotExist:
        return JsonResponse({"error": "not found"}, status=404)
    except InsufficientStock:
        return JsonResponse({"error": "would drop below reserved quantity"}, status=409)
    return JsonResponse(product_to_dict(product))


@require_POST
@json_login_required
@role_required(Profile.ROLE_OPERATOR)
@json_body
def add_order_line(request, pk):
    order = get_object_or_404(Order, pk=pk, account=request.user.profile.account, status=Order.STATUS_OPEN)
    product = get_object_or_404(Product, pk=request.json.get("product_id"), account=order.account, is_active=True)
    try:
        quantity = int(request.json.get("quantity", 0))
    except (TypeError, ValueError):
        quantity = 0
    if quantity <= 0:
        return JsonResponse({"error": "quantity must be a positive integer"}, status=400)
    OrderLine.objects.create(order=order, product=product, quantity=quantity, unit_price=product.unit_price)
    recalculate_order(order)
    order = Order.objects.prefetch_related("lines__product").get(pk=order.pk)
    return JsonResponse(order_to_dict(order), status=201)


@require_POST
@json_login_required
@json_body
def adjust_price(request, pk):
    product = get_object_or_404(Product, pk=pk, account=request.user.profile.account)
    try:
        new_price = Decimal(str(request.json["unit_price"])).quantize(Decimal("0.01"))
    except (KeyError, InvalidOperation):
        return JsonResponse({"error": "unit_price is required"}, status=400)
    if new_price <= 0:
        return JsonResponse({"error": "unit_price must be positive"}, status=400)
    product.unit_price = new_price
    product.save(update_fields=["unit_price", "updated_at"])
    logger.info("price of %s set to %s by user %s", product.sku, new_price, request.user.pk)
    return JsonResponse(product_to_dict(product))


@require_POST
@json_login_required
@role_required(Profile.ROLE_OPERATOR)
def ship_order(request, pk):
    order = get_object_or_404(Order, pk=pk, account=request.user.profile.account)
    claimed = Order.objects.filter(pk=order.pk, status=Order.STATUS_ALLOCATED).update(status=Order.STATUS_BOOKING)
    if not claimed:
        return JsonResponse({"error": "order is not allocated"}, status=409)
    book_shipment.delay(order.pk)
    return JsonResponse({"queued": True}, status=202)


@require_GET
@json_login_required
def packing_slip(request):
    filename = request.GET.get("file", "")
    if not filename.endswith(".pdf"):
        raise Http404
    path = slip_path(filename)
    if not os.path.exists(path):
        raise Http404
    return FileResponse(open(path, "rb"), content_type="application/pdf")


@require_GET
@json_login_required
def shipment_label(request, pk):
    shipment = get_object_or_404(Shipment, pk=pk, order__account=request.user.profile.account)
    if not shipment.label_file:
        raise Http404
    path = settings.LABEL_ROOT / shipment.label_file
    return FileResponse(open(path, "rb"), as_attachment=True, filename=f"{shipment.carrier_ref}.pdf")


@require_GET
@json_login_required
def low_stock(request):
    products = low_stock_products(request.user.profile.account)
    return JsonResponse({"results": [product_to_dict(p) for p in products]})


@require_GET
@json_login_required
def product_lookup(request):
    sku_prefix = request.GET.get("sku", "")
    products = Product.objects.raw(
        "SELECT p.* FROM inventory_product p WHERE p.account_id = %s AND p.sku LIKE %s ORDER BY p.sku LIMIT 25",
        [request.user.profile.account.pk, sku_prefix + "%"],
    )
    return JsonResponse({"results": [{"id": p.pk, "sku": p.sku, "name": p.name} for p in products]})


@require_GET
@json_login_required
@role_required(Profile.ROLE_MANAGER)
def movements_export(request):
    try:
        since = isoparse(request.GET["since"])
        until = isoparse(request.GET["until"])
    except (KeyError, ValueError):
        return JsonResponse({"error": "since and until are required ISO dates"}, status=400)
    if until - since > timedelta(days=MAX_EXPORT_DAYS):
        return JsonResponse({"error": f"range is limited to {MAX_EXPORT_DAYS} days"}, status=400)
    body = movements_csv(request.user.profile.account, since, until)
    response = HttpResponse(body, content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="movements.csv"'
    return response


@csrf_exempt
@require_POST
def carrier_webhook(request):
    """ParcelRoute pushes status changes here."""
    event = json.loads(request.body)
    shipment = Shipment.objects.select_related("order").filter(carrier_ref=event.get("reference")).first()
    if shipment is None:
        return JsonResponse({"ignored": True})
    shipment.status = event["status"]
    if event.get("tracking_number"):
        shipment.tracking_number = event["tracking_number"]
    shipment.save(update_fields=["status", "tracking_number", "updated_at"])
    if event["status"] == "delivered":
        shipment.order.status = Order.STATUS_DELIVERED
        shipment.order.save(update_fields=["status"])
    return JsonResponse({"ok": True})


@csrf_exempt
@require_POST
@hmac_signed("ERP_WEBHOOK_SECRET")
@json_body
def erp_goods_received(request):
    """Our group ERP (one integration, one shared secret) reports goods booked in at the dock."""
    product = Product.objects.filter(
        account__slug=request.json.get("account"), sku=request.json.get("sku"), warehouse__code=request.json.get("warehouse")
    ).first()
    if product is None:
        return JsonResponse({"error": "unknown product"}, status=404)
    receive_stock(product, int(request.json["quantity"]), note=f"erp {request.json.get('document', '')}"[:255])
    return JsonResponse({"ok": True})
