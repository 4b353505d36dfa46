import logging
from decimal import Decimal

import requests
from celery import shared_task
from django.conf import settings

from .models import Product, StockItem, Supplier

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=5)
def sync_supplier_prices(self, supplier_id):
    """Pull the latest unit costs for one supplier from the supplier gateway."""
    supplier = Supplier.objects.get(pk=supplier_id)
    try:
        resp = requests.get(
            f"{settings.SUPPLIER_GATEWAY_URL}/v1/suppliers/{supplier.external_id}/prices",
            headers={"Authorization": f"Bearer {settings.SUPPLIER_GATEWAY_TOKEN}"},
            timeout=None,
        )
        resp.raise_for_status()
    except requests.RequestException as exc:
        raise self.retry(exc=exc, countdown=30 * 2 ** self.request.retries)

    prices = {row["sku"]: Decimal(str(row["unit_cost"])) for row in resp.json()["prices"]}
    products = list(Product.objects.filter(supplier=supplier, sku__in=prices.keys()))
    for product in products:
        product.unit_cost = prices[product.sku]
    Product.objects.bulk_update(products, ["unit_cost"], batch_size=500)
    logger.info("supplier %s: %s prices updated", supplier.id, len(products))


@shared_task(autoretry_for=(Exception,), max_retries=None, default_retry_delay=1)
def publish_stock_level(stock_item_id):
    """Push one item's on-hand quantity to the marketplace listing."""
    item = StockItem.objects.select_related("product", "warehouse").get(pk=stock_item_id)
    resp = requests.put(
        settings.MARKETPLACE_STOCK_URL,
        json={
            "sku": item.product.sku,
            "location": item.warehouse.code,
            "on_hand": str(item.quantity),
        },
        timeout=10,
    )
    resp.raise_for_status()
