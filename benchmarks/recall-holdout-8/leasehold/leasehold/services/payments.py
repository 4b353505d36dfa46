"""Rent payments, charges and late fees."""
import logging
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app

from ..extensions import db
from ..http import rentpay_session
from ..models import Charge, Lease, Payment
from ..utils import money

log = logging.getLogger(__name__)

LATE_FEE_RATE = Decimal("0.05")
LATE_FEE_MINIMUM = Decimal("50.00")


class PaymentError(Exception):
    pass


def record_payment(lease, amount, method, provider_ref=None, memo=None):
    amount = money(amount)
    if amount <= 0:
        raise PaymentError("Payment amount must be positive")
    payment = Payment(
        lease_id=lease.id,
        amount=amount,
        method=method,
        status="settled",
        provider_ref=provider_ref,
        memo=memo,
    )
    db.session.add(payment)
    db.session.commit()

    Lease.query.filter_by(id=lease.id).update({Lease.balance: Lease.balance - amount})
    db.session.commit()
    log.info("payment %s applied to lease %s", payment.id, lease.id)
    return payment


def post_monthly_rent(lease, period):
    """Create the rent charge for ``period`` (YYYY-MM) and add it to the balance."""
    year, month = (int(x) for x in period.split("-"))
    charge = Charge(
        lease_id=lease.id,
        kind="rent",
        amount=lease.monthly_rent,
        due_on=date(year, month, 1),
        period=period,
    )
    db.session.add(charge)
    Lease.query.filter_by(id=lease.id).update({Lease.balance: Lease.balance + lease.monthly_rent})
    db.session.commit()
    return charge


def late_fee_for(lease, today=None):
    today = today or date.today()
    grace = current_app.config["LATE_FEE_GRACE_DAYS"]
    if lease.balance <= 0 or today.day <= grace:
        return Decimal("0")
    fee = money(lease.monthly_rent * LATE_FEE_RATE)
    return max(fee, LATE_FEE_MINIMUM)


def assess_late_fee(lease, period, today=None):
    fee = late_fee_for(lease, today)
    if fee == 0:
        return None
    due = (today or date.today()) + timedelta(days=1)
    charge = Charge(lease_id=lease.id, kind="late_fee", amount=fee, due_on=due, period=period)
    db.session.add(charge)
    Lease.query.filter_by(id=lease.id).update({Lease.balance: Lease.balance + fee})
    db.session.commit()
    return charge


def charge_card(lease, amount, idempotency_key):
    session = rentpay_session()
    base = current_app.config["RENTPAY_BASE_URL"]
    resp = session.post(
        f"{base}/charges",
        json={
            "merchant": lease.unit.property.organization.rentpay_merchant_id,
            "payment_method": lease.autopay_token,
            "amount": str(money(amount)),
            "currency": "usd",
            "description": f"Rent for lease {lease.id}",
        },
        headers={"Idempotency-Key": idempotency_key},
    )
    if resp.status_code >= 400:
        raise PaymentError(f"gateway declined: {resp.status_code}")
    return resp.json()
