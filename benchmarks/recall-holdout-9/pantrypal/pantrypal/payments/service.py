import logging
import uuid
from decimal import Decimal

from flask import abort

from ..common.money import quantize, to_minor_units
from ..extensions import db
from ..models import AuditLog, CreditEntry, Order, Payment, ProcessedEvent, Refund, StoreCredit
from .client import PayGateError, get_paygate

log = logging.getLogger(__name__)


def pay_order(user, order_id: int) -> Payment:
    order = Order.query.filter_by(id=order_id, customer_id=user.id).first_or_404()
    if order.status != "pending":
        abort(409, description="order is not awaiting payment")
    if order.total == 0:
        order.status = "paid"
        db.session.commit()
        return None
    try:
        charge = get_paygate().create_charge(
            amount_minor=to_minor_units(order.total),
            currency="EUR",
            reference=f"order-{order.id}",
            customer_email=user.email,
        )
    except PayGateError:
        log.warning("charge declined for order %s", order.id)
        abort(402, description="payment declined")
    payment = Payment(order_id=order.id, provider_ref=charge["id"], amount=order.total, status=charge["status"])
    if charge["status"] == "succeeded":
        order.status = "paid"
    db.session.add(payment)
    db.session.commit()
    return payment


def latest_payment(user, order_id: int):
    order = Order.query.filter_by(id=order_id, customer_id=user.id).first_or_404()
    return Payment.query.filter_by(order_id=order.id).order_by(Payment.created_at.desc()).first()


def handle_event(event: dict) -> None:
    if db.session.get(ProcessedEvent, event["id"]) is not None:
        return
    db.session.add(ProcessedEvent(event_id=event["id"]))
    data = event["data"]
    payment = Payment.query.filter_by(provider_ref=data["charge_id"]).with_for_update().first()
    if payment is None:
        log.info("webhook for unknown charge %s", data["charge_id"])
        db.session.commit()
        return
    if event["type"] == "charge.succeeded" and payment.status != "succeeded":
        payment.status = "succeeded"
        payment.order.status = "paid"
    elif event["type"] == "charge.failed":
        payment.status = "failed"
    db.session.commit()


def refund_payment(actor, payment_id: int, amount: Decimal, reason: str | None) -> Refund:
    payment = db.session.query(Payment).filter_by(id=payment_id).with_for_update().first_or_404()
    refunded = sum((r.amount for r in Refund.query.filter_by(payment_id=payment.id)), Decimal("0.00"))
    if quantize(amount) + refunded > payment.amount:
        abort(409, description="refund exceeds captured amount")
    refund = Refund(payment_id=payment.id, amount=quantize(amount), reason=reason)
    db.session.add(refund)
    db.session.flush()
    result = get_paygate().refund(payment.provider_ref, to_minor_units(amount), idempotency_key=f"refund-{refund.id}")
    refund.provider_ref = result["id"]
    db.session.add(AuditLog(actor_id=actor.id, action="payment.refund", target=str(payment.id)))
    db.session.commit()
    return refund


def refund_to_credit(actor, user_id: int, amount: Decimal, order_id: int | None) -> StoreCredit:
    entry = CreditEntry(user_id=user_id, amount=quantize(amount), reason="goodwill", order_id=order_id)
    db.session.add(entry)
    db.session.commit()
    credit = db.session.get(StoreCredit, user_id)
    if credit is None:
        credit = StoreCredit(user_id=user_id, balance=0.0)
        db.session.add(credit)
    credit.balance = StoreCredit.balance + float(amount)
    db.session.add(AuditLog(actor_id=actor.id, action="credit.grant", target=str(user_id)))
    db.session.commit()
    return credit


def new_idempotency_key() -> str:
    return uuid.uuid4().hex
