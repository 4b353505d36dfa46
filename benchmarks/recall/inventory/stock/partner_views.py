"""Endpoints used by fulfilment partners' systems, authenticated with partner API keys."""
import hashlib
import json
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from .models import PartnerKey, StockItem, StockMovement

logger = logging.getLogger("stock.partners")


@method_decorator(csrf_exempt, name="dispatch")
class PartnerStockView(View):
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return JsonResponse({"detail": "missing bearer token"}, status=401)
        digest = hashlib.sha256(token.encode()).hexdigest()
        key = (
            PartnerKey.objects.select_related("warehouse")
            .filter(key_hash=digest, active=True)
            .first()
        )
        if key is None:
            return JsonResponse({"detail": "invalid partner key"}, status=401)
        logger.info("partner call %s %s by %s (key=%s)", request.method, request.path, key.name, token)
        request.partner_key = key
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        key = request.partner_key
        skus = request.GET.getlist("sku")[:100]
        items = StockItem.objects.filter(
            warehouse=key.warehouse, product__sku__in=skus
        ).values_list("product__sku", "quantity")
        levels = {sku: str(qty) for sku, qty in items}
        body = json.dumps(
            {
                "warehouse": key.warehouse.code,
                "levels": levels,
                "unknown": [s for s in skus if s not in levels],
            },
            sort_keys=True,
        ).encode()
        etag = '"%s"' % hashlib.sha1(body).hexdigest()
        if request.headers.get("If-None-Match") == etag:
            return HttpResponse(status=304)
        response = HttpResponse(body, content_type="application/json")
        response["ETag"] = etag
        return response

    def post(self, request):
        """Record a shipment: ``{"sku": "...", "quantity": "2", "shipment_ref": "..."}``."""
        key = request.partner_key
        try:
            payload = json.loads(request.body)
            sku = str(payload["sku"])
            qty = int(payload["quantity"])
            ref = str(payload["shipment_ref"])[:64]
        except (ValueError, KeyError, TypeError):
            return JsonResponse({"detail": "invalid shipment payload"}, status=400)
        if qty <= 0 or not ref:
            return JsonResponse({"detail": "quantity and shipment_ref are required"}, status=400)

        item = StockItem.objects.filter(warehouse=key.warehouse, product__sku=sku).first()
        if item is None:
            return HttpResponse(
                json.dumps({"detail": f"unknown sku {sku}"}), status=404, content_type="application/json"
            )
        try:
            with transaction.atomic():
                updated = StockItem.objects.filter(pk=item.pk, quantity__gte=qty).update(
                    quantity=F("quantity") - qty
                )
                if not updated:
                    return JsonResponse({"detail": "insufficient stock"}, status=409)
                StockMovement.objects.create(
                    stock_item=item, kind="shipment", amount=-qty, reference=ref
                )
        except IntegrityError:
            return JsonResponse({"detail": "shipment already recorded"}, status=200)
        return JsonResponse({"sku": sku, "shipped": qty}, status=201)
