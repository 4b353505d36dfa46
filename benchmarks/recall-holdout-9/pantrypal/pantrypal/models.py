from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, UniqueConstraint

from .extensions import db


def utcnow():
    return datetime.now(timezone.utc)


class TimestampMixin:
    created_at = db.Column(db.DateTime(timezone=True), default=utcnow, nullable=False)
    updated_at = db.Column(db.DateTime(timezone=True), default=utcnow, onupdate=utcnow, nullable=False)


class User(TimestampMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), unique=True, nullable=False, index=True)
    password_hash = db.Column(db.String(128), nullable=False)
    full_name = db.Column(db.String(120), nullable=False)
    phone = db.Column(db.String(32))
    role = db.Column(db.String(16), nullable=False, default="customer")  # customer | staff | admin
    store_id = db.Column(db.Integer, db.ForeignKey("stores.id"), nullable=True)
    is_active = db.Column(db.Boolean, nullable=False, default=True)
    marketing_opt_in = db.Column(db.Boolean, nullable=False, default=False)
    reset_token = db.Column(db.String(64), index=True)
    reset_expires_at = db.Column(db.DateTime(timezone=True))

    store = db.relationship("Store", foreign_keys=[store_id])


class Store(TimestampMixin, db.Model):
    __tablename__ = "stores"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(120), nullable=False)
    slug = db.Column(db.String(80), unique=True, nullable=False)
    address = db.Column(db.String(255), nullable=False)
    is_open = db.Column(db.Boolean, nullable=False, default=True)
    delivery_fee = db.Column(db.Numeric(8, 2), nullable=False, default=Decimal("0.00"))
    commission_rate = db.Column(db.Numeric(5, 4), nullable=False, default=Decimal("0.1200"))


class Product(TimestampMixin, db.Model):
    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("store_id", "sku"),
        CheckConstraint("stock >= 0", name="ck_products_stock_nonneg"),
        Index("ix_products_store_category", "store_id", "category"),
    )

    id = db.Column(db.Integer, primary_key=True)
    store_id = db.Column(db.Integer, db.ForeignKey("stores.id"), nullable=False)
    sku = db.Column(db.String(64), nullable=False)
    name = db.Column(db.String(160), nullable=False)
    description = db.Column(db.Text)
    category = db.Column(db.String(64), nullable=False)
    price = db.Column(db.Numeric(10, 2), nullable=False)
    stock = db.Column(db.Integer, nullable=False, default=0)
    is_active = db.Column(db.Boolean, nullable=False, default=True)
    image_key = db.Column(db.String(255))

    store = db.relationship("Store")


class Order(TimestampMixin, db.Model):
    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_store_status_created", "store_id", "status", "created_at"),)

    id = db.Column(db.Integer, primary_key=True)
    customer_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    store_id = db.Column(db.Integer, db.ForeignKey("stores.id"), nullable=False)
    status = db.Column(db.String(20), nullable=False, default="pending")
    subtotal = db.Column(db.Numeric(10, 2), nullable=False)
    delivery_fee = db.Column(db.Numeric(8, 2), nullable=False)
    credit_applied = db.Column(db.Numeric(10, 2), nullable=False, default=Decimal("0.00"))
    total = db.Column(db.Numeric(10, 2), nullable=False)
    pickup_code = db.Column(db.String(12))
    delivery_address = db.Column(db.String(255))
    notes = db.Column(db.String(500))

    customer = db.relationship("User")
    store = db.relationship("Store")
    items = db.relationship("OrderItem", back_populates="order", lazy="select")


class OrderItem(db.Model):
    __tablename__ = "order_items"

    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id"), nullable=False, index=True)
    product_id = db.Column(db.Integer, db.ForeignKey("products.id"), nullable=False)
    quantity = db.Column(db.Integer, nullable=False)
    unit_price = db.Column(db.Numeric(10, 2), nullable=False)

    order = db.relationship("Order", back_populates="items")
    product = db.relationship("Product")


class Payment(TimestampMixin, db.Model):
    __tablename__ = "payments"

    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id"), nullable=False, index=True)
    provider_ref = db.Column(db.String(64))
    amount = db.Column(db.Numeric(10, 2), nullable=False)
    currency = db.Column(db.String(3), nullable=False, default="EUR")
    status = db.Column(db.String(20), nullable=False, default="pending")
    idempotency_key = db.Column(db.String(64), unique=True)

    order = db.relationship("Order")


class Refund(TimestampMixin, db.Model):
    __tablename__ = "refunds"

    id = db.Column(db.Integer, primary_key=True)
    payment_id = db.Column(db.Integer, db.ForeignKey("payments.id"), nullable=False, index=True)
    amount = db.Column(db.Numeric(10, 2), nullable=False)
    reason = db.Column(db.String(255))
    provider_ref = db.Column(db.String(64))


class StoreCredit(db.Model):
    __tablename__ = "store_credits"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), primary_key=True)
    balance = db.Column(db.Float, nullable=False, default=0.0)


class CreditEntry(TimestampMixin, db.Model):
    __tablename__ = "credit_entries"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    amount = db.Column(db.Numeric(10, 2), nullable=False)
    reason = db.Column(db.String(120), nullable=False)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id"))


class ProcessedEvent(db.Model):
    __tablename__ = "processed_events"

    event_id = db.Column(db.String(80), primary_key=True)
    received_at = db.Column(db.DateTime(timezone=True), default=utcnow, nullable=False)


class AuditLog(db.Model):
    __tablename__ = "audit_log"

    id = db.Column(db.Integer, primary_key=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    action = db.Column(db.String(64), nullable=False)
    target = db.Column(db.String(120))
    created_at = db.Column(db.DateTime(timezone=True), default=utcnow, nullable=False)
