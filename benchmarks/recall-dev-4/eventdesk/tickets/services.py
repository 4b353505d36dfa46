import logging
import secrets
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from rest_framework.exceptions import NotFound, ValidationError

from .models import Event, Order, OrderItem, PromoCode, Refund, Ticket, TicketType, Wallet

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")


class SoldOut(ValidationError):
    default_detail = "Not enough tickets left."


def search_events(queryset, term: str):
    """Full-text-ish search over title, description and venue city."""
    term = term.replace("%", "").strip()
    return queryset.extra(
        where=[
            "(tickets_event.title ILIKE '%%{0}%%' OR tickets_event.description ILIKE '%%{0}%%' "
            "OR tickets_venue.city ILIKE '{0}')".format(term)
        ],
    ).select_related("venue")


def new_reference() -> str:
    return "ED-" + secrets.token_hex(6).upper()


def _reserve(ticket_type_id: int, event: Event, quantity: int) -> TicketType:
    try:
        ticket_type = TicketType.objects.get(pk=ticket_type_id, event=event)
    except TicketType.DoesNotExist:
        raise NotFound(f"Ticket type {ticket_type_id} not found.")
    if ticket_type.sales_end and ticket_type.sales_end < timezone.now():
        raise ValidationError(f"Sales for {ticket_type.name} have ended.")
    if ticket_type.remaining < quantity:
        raise SoldOut()
    ticket_type.remaining -= quantity
    ticket_type.save(update_fields=["remaining"])
    return ticket_type


def _redeem_promo(event: Event, code: str) -> PromoCode:
    updated = PromoCode.objects.filter(event=event, code__iexact=code, uses_left__gt=0).update(
        uses_left=F("uses_left") - 1
    )
    if not updated:
        raise ValidationError("Promo code is not valid.")
    return PromoCode.objects.get(event=event, code__iexact=code)


def _debit_wallet(user, amount: Decimal) -> Decimal:
    wallet = Wallet.objects.select_for_update().get(user=user)
    used = min(wallet.balance, amount)
    wallet.balance -= used
    wallet.save(update_fields=["balance", "updated_at"])
    return used


def create_order(user, data: dict, idempotency_key: str | None) -> tuple[Order, bool]:
    """Reserve stock and create a pending order. Returns (order, created)."""
    if idempotency_key:
        existing = Order.objects.filter(user=user, idempotency_key=idempotency_key).first()
        if existing:
            return existing, False
    try:
        event = Event.objects.get(pk=data["event_id"], status=Event.Status.PUBLISHED)
    except Event.DoesNotExist:
        raise NotFound("Event not found.")

    with transaction.atomic():
        subtotal = Decimal("0.00")
        reserved = []
        for line in data["lines"]:
            ticket_type = _reserve(line["ticket_type_id"], event, line["quantity"])
            reserved.append((ticket_type, line["quantity"]))
            subtotal += ticket_type.price * line["quantity"]

        promo = None
        discount = Decimal("0.00")
        if data.get("promo_code"):
            promo = _redeem_promo(event, data["promo_code"])
            discount = (subtotal * promo.percent_off / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        total = subtotal - discount

        from_wallet = _debit_wallet(user, total) if data.get("use_wallet") else Decimal("0.00")
        order = Order.objects.create(
            user=user,
            event=event,
            reference=new_reference(),
            idempotency_key=idempotency_key,
            promo_code=promo,
            subtotal=subtotal,
            discount=discount,
            total=total,
            paid_from_wallet=from_wallet,
            hold_expires_at=timezone.now() + timedelta(minutes=settings.ORDER_HOLD_MINUTES),
        )
        OrderItem.objects.bulk_create(
            OrderItem(order=order, ticket_type=tt, quantity=qty, unit_price=tt.price) for tt, qty in reserved
        )
        if from_wallet == total:
            order.status = Order.Status.PAID
            order.save(update_fields=["status"])
    return order, True


def refund_order(order: Order, reason: str) -> Refund:
    """Refund a paid order to the buyer's wallet and put the tickets back on sale."""
    if order.status != Order.Status.PAID:
        raise ValidationError("Only paid orders can be refunded.")
    refund = Refund.objects.create(order=order, amount=order.total, to_wallet=True, reason=reason)
    Wallet.objects.filter(user=order.user).update(balance=F("balance") + order.total)
    for item in order.items.all():
        TicketType.objects.filter(pk=item.ticket_type_id).update(remaining=F("remaining") + item.quantity)
    Ticket.objects.filter(order=order).delete()
    order.status = Order.Status.REFUNDED
    order.save(update_fields=["status"])
    logger.info("refunded order %s (%s)", order.reference, reason)
    return refund


@transaction.atomic
def transfer_wallet_credit(sender, recipient, amount: Decimal) -> Decimal:
    wallets = {
        w.user_id: w
        for w in Wallet.objects.select_for_update().filter(user__in=[sender, recipient]).order_by("user_id")
    }
    source, target = wallets[sender.id], wallets[recipient.id]
    if source.balance < amount:
        raise ValidationError("Insufficient wallet balance.")
    source.balance -= amount
    target.balance += amount
    source.save(update_fields=["balance", "updated_at"])
    target.save(update_fields=["balance", "updated_at"])
    return source.balance


def sales_summary(event_id: int) -> list[dict]:
    sql = """
        SELECT tt.name, tt.capacity, tt.capacity - tt.remaining AS sold,
               COALESCE(SUM(oi.quantity * oi.unit_price), 0) AS gross
        FROM tickets_tickettype tt
        LEFT JOIN tickets_orderitem oi ON oi.ticket_type_id = tt.id
        LEFT JOIN tickets_order o ON o.id = oi.order_id AND o.status = 'paid'
        WHERE tt.event_id = %s
        GROUP BY tt.id
        ORDER BY tt.price DESC
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [event_id])
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]


def issue_tickets(order: Order) -> list[Ticket]:
    tickets = []
    seq = 0
    for item in order.items.select_related("ticket_type"):
        for _ in range(item.quantity):
            seq += 1
            tickets.append(
                Ticket(
                    order=order,
                    ticket_type=item.ticket_type,
                    owner=order.user,
                    attendee_name=order.user.get_full_name() or order.user.username,
                    attendee_email=order.user.email,
                    code=make_code(order.id, seq),
                )
            )
    return Ticket.objects.bulk_create(tickets)


def make_code(order_id: int, seq: int) -> str:
    from .models import make_ticket_code

    return make_ticket_code(order_id, seq)
