import logging
from decimal import Decimal
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.db import transaction

from .carrier import CarrierError, get_carrier_client
from .models import Order, Shipment

logger = logging.getLogger(__name__)

OPEN_SHIPMENT_STATUSES = ("booked", "collected", "in_transit", "out_for_delivery")
TERMINAL_TO_ORDER_STATUS = {
    "delivered": Order.STATUS_DELIVERED,
    "returned": Order.STATUS_CANCELLED,
}


def _parcels_for(order):
    lines = order.lines.select_related("product").all()
    units = sum(line.quantity for line in lines)
    return [{"weight_kg": max(1, units // 10), "contents": f"{units} units"}]


@shared_task(bind=True, max_retries=3, default_retry_delay=120)
def book_shipment(self, order_id):
    order = Order.objects.get(pk=order_id)
    if order.status != Order.STATUS_BOOKING or Shipment.objects.filter(order=order).exists():
        logger.info("order %s already has a shipment", order.reference)
        return
    client = get_carrier_client()
    try:
        result = client.create_shipment(order, _parcels_for(order))
    except CarrierError as exc:
        raise self.retry(exc=exc)

    with transaction.atomic():
        Shipment.objects.create(
            order=order,
            carrier_ref=result["id"],
            tracking_number=result.get("tracking_number", ""),
            cost=Decimal(str(result.get("price", "0"))),
        )
        order.status = Order.STATUS_SHIPPED
        order.save(update_fields=["status"])
    fetch_label.delay(result["id"])


@shared_task
def fetch_label(carrier_ref):
    shipment = Shipment.objects.get(carrier_ref=carrier_ref)
    pdf = get_carrier_client().download_label(carrier_ref)
    settings.LABEL_ROOT.mkdir(parents=True, exist_ok=True)
    target = Path(settings.LABEL_ROOT) / f"shipment-{shipment.pk}.pdf"
    with open(target, "wb") as fh:
        fh.write(pdf)
    shipment.label_file = target.name
    shipment.save(update_fields=["label_file"])


@shared_task
def sync_tracking():
    client = get_carrier_client()
    updated = 0
    shipments = Shipment.objects.filter(status__in=OPEN_SHIPMENT_STATUSES).select_related("order")
    for shipment in shipments.iterator(chunk_size=500):
        try:
            data = client.get_tracking(shipment.carrier_ref)
            shipment.status = data["status"]
            shipment.save(update_fields=["status", "updated_at"])
            new_order_status = TERMINAL_TO_ORDER_STATUS.get(data["status"])
            if new_order_status:
                shipment.order.status = new_order_status
                shipment.order.save(update_fields=["status"])
            updated += 1
        except Exception:
            pass
    return updated
