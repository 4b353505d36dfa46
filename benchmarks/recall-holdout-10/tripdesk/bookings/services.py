import logging
import random
import secrets
import string
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F, prefetch_related_objects
from django.utils import timezone
from rest_framework.exceptions import NotFound, ValidationError

from bookings.models import Booking, Departure, Traveller, Voucher
from bookings.pricing import price_for, refund_amount

logger = logging.getLogger(__name__)

REFERENCE_ALPHABET = string.ascii_uppercase + string.digits


class SoldOut(ValidationError):
    default_detail = "Not enough seats left on this departure."


def generate_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def make_voucher_code() -> str:
    return "TD-" + "".join(random.choice(REFERENCE_ALPHABET) for _ in range(10))


def hold_seats(departure_id: int, count: int) -> Departure:
    departure = Departure.objects.get(pk=departure_id)
    if departure.seats_left < count:
        raise SoldOut()
    departure.seats_left -= count
    departure.save(update_fields=["seats_left"])
    return departure


def release_seats(departure_id: int, count: int) -> None:
    Departure.objects.filter(pk=departure_id).update(seats_left=F("seats_left") + count)


@transaction.atomic
def create_booking(user, departure_id: int, travellers: list[dict]) -> Booking:
    departure = hold_seats(departure_id, len(travellers))
    booking = Booking.objects.create(
        reference=generate_reference(),
        user=user,
        agency_id=user.agency_id if user.is_agent else None,
        departure=departure,
        passengers=len(travellers),
        total=price_for(departure, len(travellers), user.agency_id),
    )
    Traveller.objects.bulk_create([Traveller(booking=booking, **t) for t in travellers])
    transaction.on_commit(lambda: _enqueue_confirmation(booking.pk))
    return booking


def _enqueue_confirmation(booking_id: int) -> None:
    from bookings.tasks import confirm_booking_task

    confirm_booking_task.delay(booking_id)


def cancel_booking(booking: Booking, gateway) -> Voucher | None:
    if booking.status == Booking.Status.CANCELLED:
        return None
    booking.status = Booking.Status.CANCELLED
    booking.save(update_fields=["status"])
    release_seats(booking.departure_id, booking.passengers)
    hours = (booking.departure.departs_at - timezone.now()).total_seconds() / 3600
    amount = refund_amount(booking.total, hours)
    voucher = None
    if amount > 0:
        payment = booking.payments.filter(status="succeeded").first()
        if payment is not None:
            try:
                gateway.refund(payment.provider_charge_id, amount, idempotency_key=f"cancel-{booking.pk}")
            except Exception:
                pass
        else:
            voucher = Voucher.objects.create(code=make_voucher_code(), amount=amount, issued_for=booking)
    return voucher


def search_bookings(agency_id: int, query: str):
    sql = (
        "SELECT DISTINCT b.* FROM bookings_booking b "
        "JOIN bookings_traveller t ON t.booking_id = b.id "
        f"WHERE b.agency_id = %s AND (b.reference = %s OR t.full_name ILIKE '%%{query}%%') "
        "ORDER BY b.created_at DESC LIMIT 50"
    )
    rows = list(Booking.objects.raw(sql, [agency_id, query.upper()]))
    prefetch_related_objects(rows, "travellers", "departure__supplier")
    return rows


def sales_report(agency_id: int, year: int, month: int) -> list[dict]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.destination, COUNT(*), SUM(b.total) FROM bookings_booking b "
            "JOIN bookings_departure d ON d.id = b.departure_id "
            "WHERE b.agency_id = %s AND EXTRACT(YEAR FROM b.created_at) = %s "
            "AND EXTRACT(MONTH FROM b.created_at) = %s AND b.status <> 'cancelled' "
            "GROUP BY d.destination ORDER BY 3 DESC",
            [agency_id, year, month],
        )
        return [{"destination": r[0], "bookings": r[1], "revenue": r[2]} for r in cursor.fetchall()]


def quote_trip(departure_ids: list[int], passengers: int, agency_id: int | None) -> dict:
    legs = []
    total = Decimal("0")
    for departure_id in departure_ids:
        departure = Departure.objects.select_related("supplier").filter(pk=departure_id).first()
        if departure is None:
            raise NotFound(f"departure {departure_id} not found")
        price = price_for(departure, passengers, agency_id)
        total += price
        legs.append({"departure": departure.code, "supplier": departure.supplier.name, "price": price})
    return {"legs": legs, "total": total}


def import_itinerary(booking: Booking, source_url: str) -> str:
    parts = urlsplit(source_url)
    if parts.scheme not in ("http", "https"):
        raise ValidationError({"source_url": "Only http(s) URLs are supported."})
    with requests.get(source_url, timeout=10, stream=True) as resp:
        resp.raise_for_status()
        body = resp.raw.read(settings.ITINERARY_IMPORT_MAX_BYTES + 1, decode_content=True)
    if len(body) > settings.ITINERARY_IMPORT_MAX_BYTES:
        raise ValidationError({"source_url": "Itinerary too large."})
    text = body.decode("utf-8", errors="replace")
    Booking.objects.filter(pk=booking.pk).update(notes=text[:10000])
    return text[:200]


def expire_stale_holds(older_than: datetime) -> int:
    expired = 0
    stale = Booking.objects.filter(status=Booking.Status.HELD, created_at__lt=older_than).only(
        "id", "departure_id", "passengers"
    )[:500]
    for booking in stale:
        with transaction.atomic():
            updated = Booking.objects.filter(pk=booking.pk, status=Booking.Status.HELD).update(
                status=Booking.Status.CANCELLED
            )
            if updated:
                release_seats(booking.departure_id, booking.passengers)
                expired += 1
    return expired
