import csv
import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from bookings import services
from bookings.models import Booking, Departure, Traveller
from suppliers.client import SupplierClient, SupplierError

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(SupplierError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def confirm_booking_task(self, booking_id: int) -> None:
    booking = Booking.objects.select_related("departure__supplier").get(pk=booking_id)
    if booking.supplier_ref or booking.status != Booking.Status.HELD:
        return
    travellers = [
        {"name": t.full_name, "passport": t.passport_number, "dob": t.date_of_birth.isoformat()}
        for t in booking.travellers.all()
    ]
    client = SupplierClient(booking.departure.supplier.code)
    supplier_ref = client.reserve(booking.departure.code, travellers, reference=booking.reference)
    Booking.objects.filter(pk=booking.pk).update(supplier_ref=supplier_ref, status=Booking.Status.CONFIRMED)
    logger.info("booking confirmed", extra={"booking_id": booking.pk})
    issue_ticket_task.delay(booking.pk)


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=False, max_retries=None, default_retry_delay=0)
def issue_ticket_task(self, booking_id: int) -> None:
    booking = Booking.objects.select_related("departure__supplier").get(pk=booking_id)
    client = SupplierClient(booking.departure.supplier.code)
    resp = client.session.post(
        f"{client.base_url}/reservations/{booking.supplier_ref}/tickets",
        json={"client_reference": booking.reference},
    )
    resp.raise_for_status()
    logger.info("tickets issued", extra={"booking_id": booking.pk})


@shared_task
def export_manifest_task(departure_id: int) -> str:
    departure = Departure.objects.get(pk=departure_id)
    path = settings.MANIFEST_DIR / f"manifest-{departure.code}.csv"
    bookings = (
        Booking.objects.filter(departure=departure, status=Booking.Status.CONFIRMED)
        .prefetch_related(Prefetch("travellers", queryset=Traveller.objects.order_by("id")))
        .order_by("id")
    )
    handle = open(path, "w", newline="")
    writer = csv.writer(handle)
    writer.writerow(["reference", "name", "passport", "dob"])
    for booking in bookings.iterator(chunk_size=200):
        for traveller in booking.travellers.all():
            writer.writerow([booking.reference, traveller.full_name, traveller.passport_number, traveller.date_of_birth])
    handle.close()
    return str(path)


@shared_task
def expire_holds_task() -> int:
    cutoff = timezone.now() - timedelta(minutes=30)
    return services.expire_stale_holds(cutoff)
