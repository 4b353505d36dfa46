"""Business logic for stock, orders and transfers. Views stay thin."""
import csv
import hashlib
import io
import logging
import random
from decimal import ROUND_HALF_UP, Decimal

import requests
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Sum

from .models import Order, Product, StockMovement, Transfer, Warehouse

logger = logging.getLogger(__name__)

TWO_PLACES = Decimal("0.01")

REPORT_SORTS = {
    "sku": "p.sku",
    "name": "p.name",
    "available": "(p.quantity - p.reserved)",
    "value": "stock_value",
}

WAREHOUSE_EDITABLE_FIELDS = ("name", "address", "is_active")


class InsufficientStock(Exception):
    pass


class ManifestError(Exception):
    pass


# --- stock -------------------------------------------------------------------

def reserve_stock(account, product_id, quantity, user):
    product = Product.objects.get(pk=product_id, account=account)
    if product.quantity - product.reserved < quantity:
        raise InsufficientStock(product.sku)
    product.reserved = product.reserved + quantity
    product.save(update_fields=["reserved", "updated_at"])
    StockMovement.objects.create(product=product, delta=0, reason="reserve", note=f"reserved {quantity}", created_by=user)
    return product


def receive_stock(product, quantity, user=None, note=""):
    Product.objects.filter(pk=product.pk).update(quantity=F("quantity") + quantity)
    StockMovement.objects.create(product=product, delta=quantity, reason="receive", note=note, created_by=user)


def adjust_stock(account, product_id, delta, reason, user):
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product_id, account=account)
        if product.quantity + delta < product.reserved:
            raise InsufficientStock(product.sku)
        product.quantity = product.quantity + delta
        product.save(update_fields=["quantity", "updated_at"])
        StockMovement.objects.create(product=product, delta=delta, reason=reason, created_by=user)
    return product


def create_transfer(account, source_id, destination_id, quantity, user):
    source = Product.objects.get(pk=source_id, account=account)
    destination = Product.objects.get(pk=destination_id, account=account)
    if source.sku != destination.sku:
        raise ValueError("transfer must be between the same SKU")

    moved = Product.objects.filter(pk=source.pk, quantity__gte=F("reserved") + quantity).update(
        quantity=F("quantity") - quantity
    )
    if not moved:
        raise InsufficientStock(source.sku)
    Product.objects.filter(pk=destination.pk).update(quantity=F("quantity") + quantity)
    transfer = Transfer.objects.create(source=source, destination=destination, quantity=quantity, created_by=user)
    StockMovement.objects.create(product=source, delta=-quantity, reason="transfer_out", created_by=user)
    StockMovement.objects.create(product=destination, delta=quantity, reason="transfer_in", created_by=user)
    return transfer


def apply_product_changes(product, changes):
    for field, value in changes.items():
        if hasattr(product, field) and field not in ("id", "pk"):
            setattr(product, field, value)
    product.full_clean()
    product.save()
    return product


def update_warehouse(warehouse, changes):
    for field in WAREHOUSE_EDITABLE_FIELDS:
        if field in changes:
            setattr(warehouse, field, changes[field])
    warehouse.full_clean()
    warehouse.save()
    return warehouse


def cycle_count_sample(account, size=20):
    """Pick a random handful of SKUs for today's cycle count."""
    ids = list(Product.objects.filter(account=account, is_active=True).values_list("id", flat=True)[:5000])
    return random.sample(ids, min(size, len(ids)))


# --- pricing -----------------------------------------------------------------

def order_total(order):
    total = 0.0
    for line in order.lines.all():
        total += float(line.unit_price) * line.quantity
    if order.discount_pct:
        total = total * (1 - float(order.discount_pct) / 100)
    return round(total, 2)


def recalculate_order(order):
    order.total = order_total(order)
    order.save(update_fields=["total"])
    return order


def inventory_valuation(account):
    value = Decimal("0")
    for quantity, cost in Product.objects.filter(account=account).values_list("quantity", "cost_price"):
        value += Decimal(quantity) * cost
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


# --- reporting ---------------------------------------------------------------

def _report_where(account, filters):
    clauses = ["p.account_id = %s", "p.is_active"]
    params = [account.pk]
    if filters.get("min_available"):
        clauses.append("(p.quantity - p.reserved) >= %s")
        params.append(int(filters["min_available"]))
    if filters.get("warehouse"):
        clauses.append(f"w.code = '{filters['warehouse']}'")
    if filters.get("q"):
        clauses.append("p.name ILIKE %s")
        params.append(f"%{filters['q']}%")
    return " AND ".join(clauses), params


def stock_report(account, filters):
    cache_key = "stock-report:" + hashlib.md5(
        f"{account.pk}:{sorted(filters.items())}".encode()
    ).hexdigest()
    cached = cache.get(cache_key)
    if cached is not None:
        return cached

    where, params = _report_where(account, filters)
    order_by = REPORT_SORTS.get(filters.get("sort"), "p.sku")
    direction = "DESC" if filters.get("dir") == "desc" else "ASC"
    sql = f"""
        SELECT p.sku, p.name, w.code, p.quantity, p.reserved,
               p.quantity * p.cost_price AS stock_value
        FROM inventory_product p
        JOIN inventory_warehouse w ON w.id = p.warehouse_id
        WHERE {where}
        ORDER BY {order_by} {direction}
        LIMIT 1000
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c[0] for c in cursor.description]
        rows = [dict(zip(columns, row)) for row in cursor.fetchall()]
    for row in rows:
        row["stock_value"] = str(row["stock_value"])
    cache.set(cache_key, rows, timeout=settings.REPORT_CACHE_SECONDS)
    return rows


def movements_csv(account, since, until):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["at", "sku", "delta", "reason", "note"])
    qs = (
        StockMovement.objects.filter(product__account=account, created_at__range=(since, until))
        .select_related("product")
        .order_by("created_at")
    )
    for m in qs.iterator(chunk_size=2000):
        writer.writerow([m.created_at.isoformat(), m.product.sku, m.delta, m.reason, m.note])
    return buf.getvalue()


# --- inbound manifests -------------------------------------------------------

def fetch_manifest(url):
    resp = requests.get(url, timeout=15)
    resp.raise_for_status()
    return resp.text


def import_manifest(account, url, user):
    text = fetch_manifest(url)
    rows = list(csv.DictReader(io.StringIO(text)))
    products = {
        (p.sku, p.warehouse.code): p
        for p in Product.objects.filter(account=account, sku__in={r["sku"] for r in rows}).select_related("warehouse")
    }
    received = 0
    with transaction.atomic():
        for row in rows:
            product = products.get((row["sku"], row["warehouse"]))
            if product is None:
                raise ManifestError(f"unknown sku {row['sku']} in {row['warehouse']}")
            receive_stock(product, int(row["quantity"]), user=user, note=f"manifest {url}"[:255])
            received += 1
    return received


def low_stock_products(account):
    return (
        Product.objects.filter(account=account, is_active=True, quantity__lte=F("reorder_level"))
        .select_related("warehouse")
        .order_by("sku")
    )


def warehouses_for(account):
    return Warehouse.objects.filter(account=account, is_active=True).order_by("code")


def open_orders_value(account):
    agg = Order.objects.filter(account=account, status=Order.STATUS_OPEN).aggregate(v=Sum("total"))
    return agg["v"] or Decimal("0")
