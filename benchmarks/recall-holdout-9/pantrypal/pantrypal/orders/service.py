import logging
import random
import string
from decimal import Decimal

from flask import abort
from sqlalchemy.orm import selectinload

from ..common.money import quantize
from ..extensions import db
from ..models import CreditEntry, Order, OrderItem, Product, Store, StoreCredit
from ..tasks import notify_store_new_order, refund_order_payment

log = logging.getLogger(__name__)

OPEN_STATUSES = ("pending", "paid", "preparing")
STAFF_TRANSITIONS = {
    "paid": {"preparing", "cancelled"},
    "preparing": {"ready"},
    "ready": {"collected"},
}


def _pickup_code() -> str:
    return "".join(random.choices(string.ascii_uppercase + string.digits, k=6))


def place_order(user, data: dict) -> Order:
    store = db.session.get(Store, data["store_id"])
    if store is None or not store.is_open:
        abort(404, description="store not available")

    order = Order(
        customer_id=user.id,
        store_id=store.id,
        status="pending",
        delivery_fee=store.delivery_fee,
        delivery_address=data.get("delivery_address"),
        notes=data.get("notes"),
        subtotal=Decimal("0.00"),
        total=Decimal("0.00"),
    )
    subtotal = Decimal("0.00")
    for line in data["lines"]:
        product = db.session.get(Product, line["product_id"])
        if product is None or product.store_id != store.id or not product.is_active:
            abort(422, description=f"product {line['product_id']} unavailable")
        if product.stock < line["quantity"]:
            abort(409, description=f"only {product.stock} left of {product.name}")
        product.stock = product.stock - line["quantity"]
        order.items.append(OrderItem(product_id=product.id, quantity=line["quantity"], unit_price=product.price))
        subtotal += product.price * line["quantity"]

    order.subtotal = quantize(subtotal)
    total = order.subtotal + order.delivery_fee
    if data.get("use_credit"):
        credit = db.session.get(StoreCredit, user.id)
        applied = min(Decimal(str(credit.balance)), total) if credit else Decimal("0.00")
        if applied > 0:
            credit.balance = credit.balance - float(applied)
            order.credit_applied = applied
            total -= applied
    order.total = quantize(total)
    order.pickup_code = _pickup_code()
    db.session.add(order)
    db.session.commit()
    notify_store_new_order.delay(order.id)
    return order


def orders_for_customer(user):
    return (
        Order.query.filter_by(customer_id=user.id)
        .options(selectinload(Order.items).selectinload(OrderItem.product))
        .order_by(Order.created_at.desc())
    )


def get_order_for_customer(user, order_id: int) -> Order:
    return (
        Order.query.filter_by(id=order_id, customer_id=user.id)
        .options(selectinload(Order.items).selectinload(OrderItem.product))
        .first_or_404()
    )


def build_receipt(order_id: int) -> dict:
    order = db.session.get(Order, order_id)
    if order is None:
        abort(404)
    return {
        "order_id": order.id,
        "store": order.store.name,
        "customer": order.customer.full_name,
        "email": order.customer.email,
        "delivery_address": order.delivery_address,
        "pickup_code": order.pickup_code,
        "lines": [
            {"name": i.product.name, "quantity": i.quantity, "unit_price": f"{i.unit_price:.2f}"} for i in order.items
        ],
        "total": f"{order.total:.2f}",
    }


def cancel_order(user, order_id: int) -> Order:
    order = (
        Order.query.filter_by(id=order_id, customer_id=user.id)
        .with_for_update()
        .first_or_404()
    )
    if order.status not in ("pending", "paid"):
        abort(409, description="order can no longer be cancelled")
    was_paid = order.status == "paid"
    for item in order.items:
        db.session.execute(
            db.update(Product).where(Product.id == item.product_id).values(stock=Product.stock + item.quantity)
        )
    if order.credit_applied > 0:
        db.session.execute(
            db.update(StoreCredit)
            .where(StoreCredit.user_id == user.id)
            .values(balance=StoreCredit.balance + float(order.credit_applied))
        )
        db.session.add(CreditEntry(user_id=user.id, amount=order.credit_applied, reason="order cancelled", order_id=order.id))
    order.status = "cancelled"
    db.session.commit()
    if was_paid:
        refund_order_payment.delay(order.id)
    return order


def orders_for_store(store_id: int, status: str | None):
    query = Order.query.filter_by(store_id=store_id)
    if status:
        query = query.filter_by(status=status)
    return query.order_by(Order.created_at.desc()).all()


def change_status(store_id: int, order_id: int, new_status: str) -> Order:
    order = Order.query.filter_by(id=order_id, store_id=store_id).with_for_update().first_or_404()
    if new_status not in STAFF_TRANSITIONS.get(order.status, set()):
        abort(409, description=f"cannot move from {order.status} to {new_status}")
    order.status = new_status
    db.session.commit()
    return order


def collect(store_id: int, code: str) -> Order:
    order = (
        Order.query.filter_by(store_id=store_id, pickup_code=code.upper(), status="ready")
        .with_for_update()
        .first_or_404()
    )
    order.status = "collected"
    db.session.commit()
    return order
