import logging
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from lunchline import settings
from lunchline.db import transaction
from lunchline.models import Order, OrderLine, School
from lunchline.repositories import LedgerRepository, MenuRepository, OrderRepository, StudentRepository
from lunchline.services import InsufficientFunds, NotFound, ServiceError

log = logging.getLogger(__name__)

MAX_LINES = 10
ORDER_HORIZON_DAYS = 28
CENT = Decimal("0.01")


def to_money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def unit_price(item, *, sibling_discount=False) -> Decimal:
    if not sibling_discount:
        return to_money(item.price)
    discounted = round(float(item.price) * (1 - float(settings.SIBLING_DISCOUNT)), 2)
    return Decimal(str(discounted))


def order_total(lines) -> Decimal:
    total = sum((line.unit_price * line.quantity for line in lines), Decimal("0"))
    return to_money(total)


class OrderingService:
    def __init__(self, session):
        self.session = session
        self.orders = OrderRepository(session)
        self.students = StudentRepository(session)
        self.menus = MenuRepository(session)
        self.ledger = LedgerRepository(session)

    def place_order(self, guardian_id, payload, idempotency_key):
        service_date = payload["service_date"]
        if isinstance(service_date, str):
            service_date = date.fromisoformat(service_date)
        if not date.today() < service_date <= date.today() + timedelta(days=ORDER_HORIZON_DAYS):
            raise ServiceError("service date outside the ordering window", code="invalid_date")
        requested = payload["items"]
        if not requested or len(requested) > MAX_LINES:
            raise ServiceError("between 1 and 10 items per order", code="invalid_items")

        with transaction(self.session):
            existing = self.orders.by_idempotency_key(guardian_id, idempotency_key)
            if existing is not None:
                return existing, False
            student = self.students.get_for_guardian(payload["student_id"], guardian_id, lock=True)
            if student is None:
                raise NotFound("student not found")
            school = self.session.get(School, student.school_id)
            items = self.menus.items_by_ids(student.school_id, [r["menu_item_id"] for r in requested])
            sibling = school.sibling_discount_enabled and len(self.students.for_guardian(guardian_id)) > 1

            lines = []
            for r in requested:
                item = items.get(r["menu_item_id"])
                if item is None or not item.available:
                    raise ServiceError(f"menu item {r['menu_item_id']} is not available", code="unavailable")
                lines.append(OrderLine(menu_item_id=item.id, quantity=r["quantity"],
                                       unit_price=unit_price(item, sibling_discount=sibling)))
            total = order_total(lines)
            if student.balance < total:
                raise InsufficientFunds("balance too low for this order")
            student.balance = student.balance - total
            order = self.orders.add(Order(guardian_id=guardian_id, student_id=student.id,
                                          school_id=student.school_id, service_date=service_date,
                                          total=total, idempotency_key=idempotency_key, lines=lines))
            self.ledger.record(student_id=student.id, school_id=student.school_id, amount=-total,
                               kind="preorder", reference=f"order:{order.id}")
        log.info("order %s placed for student %s", order.id, student.id)
        return order, True
