import uuid
from datetime import date
from decimal import Decimal

from lunchline import settings
from lunchline.clients.payrail import PaymentDeclined, build_payrail_client
from lunchline.db import transaction
from lunchline.models import Payment
from lunchline.repositories import (
    LedgerRepository, MenuRepository, OrderRepository, PaymentRepository, StudentRepository,
)
from lunchline.services import Conflict, InsufficientFunds, NotFound, ServiceError
from lunchline.services.ordering import to_money


class WalletService:
    def __init__(self, session, payrail=None):
        self.session = session
        self.students = StudentRepository(session)
        self.ledger = LedgerRepository(session)
        self.payments = PaymentRepository(session)
        self.orders = OrderRepository(session)
        self.menus = MenuRepository(session)
        self.payrail = payrail or build_payrail_client()

    def top_up(self, guardian_id, student_id, amount: Decimal):
        amount = to_money(amount)
        if amount <= 0 or amount > settings.MAX_TOPUP:
            raise ServiceError("amount out of range", code="invalid_amount")
        student = self.students.get_for_guardian(student_id, guardian_id)
        if student is None:
            raise NotFound("student not found")
        try:
            charge = self.payrail.charge(
                customer_ref=f"guardian-{guardian_id}",
                amount=amount,
                description=f"Lunchline top-up for {student.first_name}",
            )
        except PaymentDeclined as exc:
            raise ServiceError(f"card declined: {exc}", code="declined", status=402)
        with transaction(self.session):
            self.payments.add(Payment(student_id=student.id, guardian_id=guardian_id, amount=amount,
                                      status="pending", provider_ref=charge["id"]))
        return charge["id"]

    def apply_payment_webhook(self, provider_ref, status):
        with transaction(self.session):
            payment = self.payments.by_provider_ref(provider_ref, lock=True)
            if payment is None:
                raise NotFound("unknown payment")
            if payment.status != "pending":
                return payment
            payment.status = status
            if status == "succeeded":
                student = self.students.get(payment.student_id)
                self.students.credit(payment.student_id, payment.amount)
                self.ledger.record(student_id=payment.student_id, school_id=student.school_id,
                                   amount=payment.amount, kind="topup", reference=f"payment:{payment.id}")
            return payment

    def auto_top_up(self, student):
        key = f"autotopup:{student.id}:{date.today().isoformat()}"
        payment = self.payments.by_idempotency_key(key)
        if payment is not None and payment.provider_ref:
            return None
        guardian = student.guardianships[0].guardian_id if student.guardianships else None
        if guardian is None:
            return None
        if payment is None:
            with transaction(self.session):
                payment = self.payments.add(Payment(student_id=student.id, guardian_id=guardian,
                                                    amount=student.auto_topup_amount, idempotency_key=key))
        charge = self.payrail.charge(customer_ref=f"guardian-{guardian}", amount=payment.amount,
                                     description="Lunchline automatic top-up", idempotency_key=key)
        with transaction(self.session):
            payment.provider_ref = charge["id"]
        return charge["id"]

    def kiosk_purchase(self, terminal_school_id, terminal_id, card_number, lines):
        student = self.students.by_card(card_number, terminal_school_id)
        if student is None:
            raise NotFound("card not recognised")
        items = self.menus.items_by_ids(terminal_school_id, [l["menu_item_id"] for l in lines])
        if len(items) != len({l["menu_item_id"] for l in lines}):
            raise ServiceError("unknown menu item", code="unknown_item")
        total = to_money(sum((items[l["menu_item_id"]].price * l["quantity"] for l in lines), Decimal("0")))
        if student.balance < total:
            raise InsufficientFunds("balance too low")
        student.balance = student.balance - total
        self.ledger.record(student_id=student.id, school_id=student.school_id, amount=-total,
                           kind="kiosk", reference=f"kiosk:{terminal_id}:{uuid.uuid4().hex}")
        self.session.commit()
        return student.balance

    def sync_offline_sales(self, school_id, terminal_id, sales):
        applied = 0
        with transaction(self.session):
            for sale in sales:
                student = self.students.by_card(sale["card_number"], school_id)
                if student is None:
                    continue
                total = Decimal("0")
                for line in sale["items"]:
                    item = self.menus.get_item(line["menu_item_id"])
                    if item is None or item.school_id != school_id:
                        continue
                    total += item.price * line["quantity"]
                total = to_money(total)
                self.students.credit(student.id, -total)
                self.ledger.record(student_id=student.id, school_id=school_id, amount=-total,
                                   kind="kiosk-offline", reference=f"offline:{terminal_id}:{sale['sale_id']}")
                applied += 1
        return applied

    def refund_order(self, order_id, guardian_id):
        order = self.orders.lock_for_guardian(order_id, guardian_id)
        if order is None:
            raise NotFound("order not found")
        if order.status != "placed":
            raise Conflict("order cannot be refunded")
        if order.service_date <= date.today():
            raise Conflict("meals are refundable until the day before service")
        order.status = "refunded"
        self.session.commit()
        self.students.credit(order.student_id, order.total)
        self.session.commit()
        self.ledger.record(student_id=order.student_id, school_id=order.school_id, amount=order.total,
                           kind="refund", reference=f"refund:{order.id}")
        self.session.commit()
        return order
