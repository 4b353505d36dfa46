import logging
from decimal import ROUND_HALF_UP, Decimal

from rq import Retry

from stagepass.money import CENT, service_fee, to_minor_units, to_money
from stagepass.repositories import EventRepository, OrderRepository, PromoRepository, TicketRepository
from stagepass.security import new_order_reference, new_ticket_code
from stagepass.services import Conflict, InvalidInput, NotFound

log = logging.getLogger(__name__)


def issue_tickets(conn, order):
    rows = []
    for line in OrderRepository(conn).lines_for(order["id"]):
        for _ in range(line["quantity"]):
            rows.append((order["id"], order["event_id"], line["tier_id"], new_ticket_code()))
    TicketRepository(conn).insert_many(rows)
    return len(rows)


class OrderService:
    def __init__(self, db, settings, paygate, queue):
        self.db = db
        self.settings = settings
        self.paygate = paygate
        self.queue = queue

    def _validate_items(self, items):
        if not isinstance(items, list) or not items:
            raise InvalidInput("items must be a non-empty list")
        total_quantity = 0
        for item in items:
            if not isinstance(item, dict):
                raise InvalidInput("each item needs tier_id and quantity")
            tier_id, quantity = item.get("tier_id"), item.get("quantity")
            if not isinstance(tier_id, int) or not isinstance(quantity, int) or quantity < 1:
                raise InvalidInput("each item needs tier_id and quantity")
            total_quantity += quantity
        if total_quantity > self.settings.max_tickets_per_order:
            raise InvalidInput(f"at most {self.settings.max_tickets_per_order} tickets per order")

    def create_order(self, user_id, event_id, items, promo_code, idempotency_key):
        self._validate_items(items)
        with self.db.transaction() as conn:
            orders = OrderRepository(conn)
            existing = orders.by_idempotency_key(user_id, idempotency_key)
            if existing is not None:
                return existing, False
            events = EventRepository(conn)
            tiers = events.tiers_by_ids({item["tier_id"] for item in items})
            lines, subtotal, currencies = [], Decimal("0.00"), set()
            for item in items:
                tier = tiers.get(item["tier_id"])
                if tier is None or tier["event_id"] != event_id or tier["status"] != "published":
                    raise InvalidInput(f"tier {item['tier_id']} is not on sale for this event")
                if events.reserve(tier["id"], item["quantity"]) is None:
                    raise Conflict(f"tier {item['tier_id']} does not have enough tickets left")
                unit_price = to_money(tier["price"])
                subtotal += unit_price * item["quantity"]
                currencies.add(tier["currency"])
                lines.append({"tier_id": tier["id"], "quantity": item["quantity"], "unit_price": unit_price})
            if len(currencies) != 1:
                raise InvalidInput("all tiers of an order must share one currency")

            discount, promo_id = Decimal("0.00"), None
            if promo_code:
                promos = PromoRepository(conn)
                promo = promos.get_active(event_id, promo_code)
                if promo is None:
                    raise InvalidInput("Unknown promo code")
                if promo["uses"] >= promo["max_uses"]:
                    raise Conflict("Promo code has been used up")
                promos.set_uses(promo["id"], promo["uses"] + 1)
                discount = (subtotal * promo["percent_off"] / 100).quantize(CENT, rounding=ROUND_HALF_UP)
                promo_id = promo["id"]

            fee = service_fee(subtotal - discount, self.settings.service_fee_rate)
            order = orders.create(
                reference=new_order_reference(), user_id=user_id, event_id=event_id, subtotal=subtotal,
                fee=fee, discount=discount, total=subtotal - discount + fee, currency=currencies.pop(),
                idempotency_key=idempotency_key, hold_minutes=self.settings.hold_minutes, promo_id=promo_id,
            )
            if order is None:
                raise Conflict("A request with this Idempotency-Key is already in progress")
            orders.add_lines(order["id"], lines)
        return order, True

    def list_orders(self, user_id, after_id, limit):
        with self.db.connection() as conn:
            orders = OrderRepository(conn)
            rows = orders.list_for_user(user_id, after_id, limit)
            for row in rows:
                row["lines"] = orders.lines_for(row["id"])
        return rows

    def get_order(self, user_id, order_id):
        with self.db.connection() as conn:
            orders = OrderRepository(conn)
            order = orders.get_for_user(order_id, user_id)
            if order is None:
                raise NotFound("Order not found")
            order["lines"] = orders.lines_for(order_id)
            order["tickets"] = TicketRepository(conn).for_order(order_id)
        return order

    def pay_order(self, user_id, order_id, source):
        from stagepass.jobs import send_order_confirmation

        if not isinstance(source, str) or not source.startswith("tok_"):
            raise InvalidInput("source must be a PayGate card token")
        with self.db.transaction() as conn:
            orders = OrderRepository(conn)
            order = orders.lock_for_user(order_id, user_id)
            if order is None:
                raise NotFound("Order not found")
            if order["status"] != "pending":
                raise Conflict("Order is not awaiting payment")
            charge = self.paygate.charge(amount_minor=to_minor_units(order["total"]), currency=order["currency"],
                                         source=source, reference=order["reference"])
            orders.set_charge(order["id"], charge["id"])
            paid = charge.get("status") == "succeeded"
            if paid:
                orders.mark_paid(order["id"])
                issue_tickets(conn, order)
        if paid:
            self.queue.enqueue(send_order_confirmation, order_id, retry=Retry(max=3, interval=[30, 120, 600]))
        return {"order_id": order_id, "status": "paid" if paid else "processing"}

    def ticket_pdf(self, order_id):
        with self.db.connection() as conn:
            order = OrderRepository(conn).get(order_id)
        if order is None or order["status"] != "paid":
            raise NotFound("Order not found")
        return order
