import logging
from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from .models import Event, Order, OrderItem, Payout, Ticket, TicketType, Wallet
from .payments import GatewayError, gateway

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(SMTPException,), retry_backoff=30, retry_backoff_max=600, retry_jitter=True, max_retries=5)
def send_ticket_email(ticket_id: int) -> None:
    ticket = Ticket.objects.select_related("ticket_type__event__venue").get(pk=ticket_id)
    event = ticket.ticket_type.event
    send_mail(
        subject=f"Your ticket for {event.title}",
        message=(
            f"Hi {ticket.attendee_name},\n\n"
            f"{event.title} - {event.starts_at:%d %b %Y %H:%M} at {event.venue.name}\n"
            f"Ticket: {ticket.ticket_type.name}\nCode: {ticket.code}\n"
        ),
        from_email=None,
        recipient_list=[ticket.attendee_email],
    )


@shared_task
def release_expired_holds() -> int:
    """Give the stock of unpaid orders whose hold expired back to their ticket types."""
    released = 0
    expired = Order.objects.filter(status=Order.Status.PENDING, hold_expires_at__lt=timezone.now())
    for order_id in expired.values_list("id", flat=True)[:500]:
        with transaction.atomic():
            order = Order.objects.select_for_update(skip_locked=True).filter(
                pk=order_id, status=Order.Status.PENDING
            ).first()
            if order is None:
                continue
            for item in OrderItem.objects.filter(order=order):
                TicketType.objects.filter(pk=item.ticket_type_id).update(remaining=F("remaining") + item.quantity)
            if order.paid_from_wallet:
                Wallet.objects.filter(user_id=order.user_id).update(balance=F("balance") + order.paid_from_wallet)
            order.status = Order.Status.EXPIRED
            order.save(update_fields=["status"])
            released += 1
    return released


@shared_task
def schedule_payouts() -> None:
    cutoff = timezone.now() - timedelta(days=3)
    events = Event.objects.filter(ends_at__lt=cutoff, status=Event.Status.PUBLISHED, payout__isnull=True)
    for event_id in events.values_list("id", flat=True):
        pay_out_event.delay(event_id)


@shared_task(bind=True, autoretry_for=(GatewayError,), retry_backoff=60, max_retries=8)
def pay_out_event(self, event_id: int) -> None:
    event = Event.objects.select_related("organizer__profile").get(pk=event_id)
    profile = event.organizer.profile
    if not profile.payout_verified:
        logger.warning("event %s: organiser payout account not verified", event_id)
        return
    gross = Order.objects.filter(event=event, status=Order.Status.PAID).aggregate(total=Sum("total"))["total"]
    if not gross:
        return
    fee = float(gross) * settings.PLATFORM_FEE_PERCENT / 100
    amount = round(float(gross) - fee, 2)
    result = gateway().transfer(amount=amount, iban=profile.payout_iban, reference=f"payout-event-{event.id}")
    Payout.objects.create(
        organizer=event.organizer, event=event, amount=amount, status="sent", transfer_id=result["id"]
    )
