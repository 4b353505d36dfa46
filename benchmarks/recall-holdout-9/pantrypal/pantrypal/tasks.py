import csv
import logging
import os
import smtplib
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage

import requests
from flask import current_app

from .extensions import celery, db

log = logging.getLogger(__name__)

SMTP_TIMEOUT = 10


@celery.task(autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=True, max_retries=5)
def send_email(to: str, subject: str, body: str) -> None:
    msg = EmailMessage()
    msg["From"] = "PantryPal <no-reply@pantrypal.example>"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    with smtplib.SMTP(os.environ.get("SMTP_HOST", "localhost"), 587, timeout=SMTP_TIMEOUT) as smtp:
        smtp.starttls()
        smtp.login(os.environ["SMTP_USER"], os.environ["SMTP_PASSWORD"])
        smtp.send_message(msg)


@celery.task
def notify_store_new_order(order_id: int) -> None:
    from .models import Order, User

    order = db.session.get(Order, order_id)
    if order is None:
        return
    staff = User.query.filter_by(store_id=order.store_id, role="staff", is_active=True).limit(20).all()
    for member in staff:
        send_email.delay(member.email, f"New order #{order.id}", f"Total {order.total:.2f} EUR")


@celery.task(
    bind=True,
    autoretry_for=(requests.RequestException,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def refund_order_payment(self, order_id: int) -> None:
    from .common.money import to_minor_units
    from .models import Payment, Refund
    from .payments.client import get_paygate

    payment = Payment.query.filter_by(order_id=order_id, status="succeeded").first()
    if payment is None:
        return
    if Refund.query.filter_by(payment_id=payment.id, reason="order cancelled").first():
        return
    result = get_paygate().refund(
        payment.provider_ref, to_minor_units(payment.amount), idempotency_key=f"cancel-{order_id}"
    )
    db.session.add(Refund(payment_id=payment.id, amount=payment.amount, reason="order cancelled", provider_ref=result["id"]))
    payment.status = "refunded"
    db.session.commit()


@celery.task
def reconcile_pending_payments() -> int:
    from .models import Payment
    from .payments.client import get_paygate

    cutoff = datetime.now(timezone.utc) - timedelta(minutes=10)
    pending = (
        Payment.query.filter(Payment.status == "pending", Payment.created_at < cutoff)
        .order_by(Payment.id)
        .limit(500)
        .all()
    )
    updated = 0
    for payment in pending:
        try:
            charge = get_paygate().get_charge(payment.provider_ref)
            if charge["status"] != payment.status:
                payment.status = charge["status"]
                if charge["status"] == "succeeded":
                    payment.order.status = "paid"
                db.session.commit()
                updated += 1
        except Exception:
            pass
    return updated


@celery.task
def cancel_unpaid_orders() -> int:
    from .models import Order

    cutoff = datetime.now(timezone.utc) - timedelta(hours=2)
    result = db.session.execute(
        db.update(Order)
        .where(Order.status == "pending", Order.created_at < cutoff)
        .values(status="expired")
    )
    db.session.commit()
    return result.rowcount


@celery.task
def export_store_orders(store_id: int) -> str:
    from .models import Order

    out_dir = os.path.join(current_app.config["INVOICE_DIR"], "reports", str(store_id))
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f"orders-{datetime.now(timezone.utc):%Y%m%d-%H%M%S}.csv")
    fh = open(path, "w", newline="")
    writer = csv.writer(fh)
    writer.writerow(["order_id", "created_at", "status", "subtotal", "delivery_fee", "total"])
    query = Order.query.filter_by(store_id=store_id).order_by(Order.id).yield_per(1000)
    for order in query:
        writer.writerow([order.id, order.created_at.isoformat(), order.status, order.subtotal, order.delivery_fee, order.total])
    fh.close()
    return path
