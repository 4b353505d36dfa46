import logging
import uuid
from decimal import Decimal

from django.db import transaction
from rest_framework.exceptions import ValidationError

from bookings.models import Booking
from payments.gateway import GatewayError, PayGateClient
from payments.models import Payment, ProcessedWebhook

logger = logging.getLogger(__name__)


def pay_booking(gateway: PayGateClient, booking: Booking, card_token: str) -> Payment:
    if booking.status == Booking.Status.CANCELLED:
        raise ValidationError({"detail": "Booking is cancelled."})
    payment = Payment.objects.create(booking=booking, amount=booking.total)
    try:
        charge = gateway.charge(booking.total, card_token, idempotency_key=uuid.uuid4().hex)
    except GatewayError:
        logger.warning("charge failed", extra={"payment_id": payment.pk, "booking_id": booking.pk})
        Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.FAILED)
        raise
    Payment.objects.filter(pk=payment.pk).update(
        status=Payment.Status.SUCCEEDED, provider_charge_id=charge["id"]
    )
    payment.refresh_from_db()
    return payment


def refund_payment(gateway: PayGateClient, payment_id: int, amount: Decimal) -> Payment:
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.status != Payment.Status.SUCCEEDED:
            raise ValidationError({"detail": "Only succeeded payments can be refunded."})
        if payment.refunded_amount + amount > payment.amount:
            raise ValidationError({"amount": "Exceeds the refundable amount."})
        gateway.refund(
            payment.provider_charge_id,
            amount,
            idempotency_key=f"refund-{payment.pk}-{payment.refunded_amount + amount}",
        )
        payment.refunded_amount += amount
        if payment.refunded_amount == payment.amount:
            payment.status = Payment.Status.REFUNDED
        payment.save(update_fields=["refunded_amount", "status"])
    return payment


def handle_event(event: dict) -> None:
    with transaction.atomic():
        _, created = ProcessedWebhook.objects.get_or_create(event_id=event["id"])
        if not created:
            return
        if event["type"] == "charge.refunded":
            payment = Payment.objects.select_for_update().filter(provider_charge_id=event["data"]["id"]).first()
            if payment is not None:
                payment.status = Payment.Status.REFUNDED
                payment.refunded_amount = payment.amount
                payment.save(update_fields=["status", "refunded_amount"])
