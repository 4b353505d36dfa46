"""Class-based JSON views used by the warehouse web console."""
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views import View

from .mixins import AccountScopedMixin, JsonMixin, ManagerRequiredMixin
from .models import Order, Product, Warehouse
from .serializers import order_to_dict, product_to_dict
from .services import (
    InsufficientStock,
    ManifestError,
    apply_product_changes,
    create_transfer,
    import_manifest,
    stock_report,
    update_warehouse,
)

PRODUCT_SORTS = {"sku": "sku", "-sku": "-sku", "name": "name", "updated": "-updated_at"}


def _page_params(request):
    try:
        limit = min(int(request.GET.get("limit", 50)), settings.MAX_PAGE_SIZE)
        offset = max(int(request.GET.get("offset", 0)), 0)
    except ValueError:
        limit, offset = 50, 0
    return limit, offset


def get_order_for_user(user, pk):
    return get_object_or_404(Order, pk=pk, account=user.profile.account)


class ProductListView(AccountScopedMixin, JsonMixin, View):
    model = Product

    def get(self, request):
        limit, offset = _page_params(request)
        ordering = PRODUCT_SORTS.get(request.GET.get("sort"), "sku")
        qs = self.get_queryset().select_related("warehouse").order_by(ordering)
        if request.GET.get("warehouse"):
            qs = qs.filter(warehouse__code=request.GET["warehouse"])
        products = [product_to_dict(p) for p in qs[offset : offset + limit]]
        return self.json({"results": products, "limit": limit, "offset": offset})


class ProductDetailView(AccountScopedMixin, JsonMixin, View):
    model = Product

    def get(self, request, pk):
        product = get_object_or_404(self.get_queryset().select_related("warehouse"), pk=pk)
        return self.json(product_to_dict(product))

    def patch(self, request, pk):
        product = get_object_or_404(self.get_queryset(), pk=pk)
        changes = self.parse_body()
        if changes is None:
            return self.json({"error": "invalid json"}, status=400)
        try:
            product = apply_product_changes(product, changes)
        except ValidationError as exc:
            return self.json({"errors": exc.message_dict}, status=400)
        return self.json(product_to_dict(product))


class OrderListView(LoginRequiredMixin, View):
    raise_exception = True

    def get(self, request):
        limit, offset = _page_params(request)
        orders = Order.objects.filter(account=request.user.profile.account).order_by("-created_at")
        status = request.GET.get("status")
        if status:
            orders = orders.filter(status=status)
        payload = [order_to_dict(order) for order in orders[offset : offset + limit]]
        return JsonResponse({"results": payload})


class OrderDetailView(LoginRequiredMixin, View):
    raise_exception = True

    def get(self, request, pk):
        order = get_object_or_404(Order.objects.prefetch_related("lines__product"), pk=pk)
        return JsonResponse(order_to_dict(order))


class OrderCancelView(LoginRequiredMixin, View):
    raise_exception = True

    def post(self, request, pk):
        order = get_order_for_user(request.user, pk)
        if order.status not in (Order.STATUS_OPEN, Order.STATUS_ALLOCATED):
            return JsonResponse({"error": f"cannot cancel an order that is {order.status}"}, status=409)
        updated = Order.objects.filter(pk=order.pk, status=order.status).update(status=Order.STATUS_CANCELLED)
        if not updated:
            return JsonResponse({"error": "order changed, retry"}, status=409)
        return JsonResponse({"id": order.pk, "status": Order.STATUS_CANCELLED})


class StockReportView(PermissionRequiredMixin, View):
    permission_required = "inventory.view_product"
    raise_exception = True

    def get(self, request):
        rows = stock_report(request.user.profile.account, request.GET.dict())
        return JsonResponse({"rows": rows, "count": len(rows)})


class TransferCreateView(ManagerRequiredMixin, JsonMixin, View):
    def post(self, request):
        data = self.parse_body() or {}
        try:
            transfer = create_transfer(
                request.user.profile.account,
                int(data["source_id"]),
                int(data["destination_id"]),
                int(data["quantity"]),
                request.user,
            )
        except (KeyError, ValueError):
            return self.json({"error": "source_id, destination_id and quantity are required"}, status=400)
        except Product.DoesNotExist:
            return self.json({"error": "unknown product"}, status=404)
        except InsufficientStock as exc:
            return self.json({"error": f"insufficient stock for {exc}"}, status=409)
        return self.json({"id": transfer.pk}, status=201)


class ManifestImportView(ManagerRequiredMixin, JsonMixin, View):
    def post(self, request):
        data = self.parse_body() or {}
        url = data.get("manifest_url")
        if not url or not url.startswith(("http://", "https://")):
            return self.json({"error": "manifest_url must be an http(s) URL"}, status=400)
        try:
            count = import_manifest(request.user.profile.account, url, request.user)
        except ManifestError as exc:
            return self.json({"error": str(exc)}, status=422)
        return self.json({"received_lines": count})


class WarehouseUpdateView(ManagerRequiredMixin, JsonMixin, View):
    def patch(self, request, pk):
        warehouse = get_object_or_404(Warehouse, pk=pk, account=request.user.profile.account)
        changes = self.parse_body()
        if changes is None:
            return self.json({"error": "invalid json"}, status=400)
        warehouse = update_warehouse(warehouse, changes)
        return self.json({"id": warehouse.pk, "code": warehouse.code, "name": warehouse.name})
