import logging
import uuid
from datetime import date, timedelta
from smtplib import SMTPException

from flask import current_app, render_template, render_template_string
from flask_mail import Message
from sqlalchemy.orm import joinedload

from .celery_app import celery
from .extensions import db, mail
from .models import Charge, Lease, NoticeTemplate, User
from .services import payments

log = logging.getLogger(__name__)

REMINDER_DAYS_BEFORE_DUE = (7, 3, 1)


def _send_mail(to, subject, html):
    msg = Message(subject=subject, recipients=[to], html=html, sender=current_app.config["MAIL_FROM"])
    mail.send(msg)


@celery.task(
    bind=True,
    autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def send_password_reset_email(self, user_id, token):
    user = db.session.get(User, user_id)
    if user is None:
        return
    html = render_template("email/password_reset.html", user=user, token=token)
    _send_mail(user.email, "Reset your Leasehold password", html)


@celery.task(bind=True, max_retries=5)
def send_notice_email(self, template_id, lease_id):
    tpl = db.session.get(NoticeTemplate, template_id)
    lease = db.session.get(Lease, lease_id)
    if tpl is None or lease is None:
        return
    html = render_template("email/notice.html", subject=tpl.subject, body=tpl.body, lease=lease)
    try:
        _send_mail(lease.tenant.email, tpl.subject, html)
    except SMTPException as exc:
        log.warning("notice %s to lease %s failed: %s", template_id, lease_id, exc)
        raise self.retry(exc=exc, countdown=60 * (2 ** self.request.retries))


@celery.task
def post_rent_for_all_leases():
    period = date.today().strftime("%Y-%m")
    already = {
        lease_id
        for (lease_id,) in db.session.query(Charge.lease_id).filter_by(kind="rent", period=period).all()
    }
    leases = Lease.query.filter(Lease.status == "active", Lease.start_date <= date.today()).all()
    posted = 0
    for lease in leases:
        if lease.id in already:
            continue
        payments.post_monthly_rent(lease, period)
        posted += 1
    log.info("posted rent for %d leases in %s", posted, period)


@celery.task
def send_rent_reminders():
    today = date.today()
    next_due = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    days_left = (next_due - today).days
    if days_left not in REMINDER_DAYS_BEFORE_DUE:
        return
    leases = (
        Lease.query.join(User, Lease.tenant_id == User.id)
        .options(joinedload(Lease.unit))
        .add_columns(User.email, User.full_name)
        .filter(Lease.status == "active")
        .all()
    )
    for lease, email, full_name in leases:
        try:
            html = render_template("email/rent_reminder.html", name=full_name, lease=lease, due=next_due)
            _send_mail(email, f"Rent is due in {days_left} days", html)
        except Exception:
            pass


@celery.task(
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=False,
    max_retries=None,
    default_retry_delay=5,
)
def charge_autopay(self, lease_id, amount):
    lease = db.session.get(Lease, lease_id)
    if lease is None or not lease.autopay_token:
        return None
    result = payments.charge_card(lease, amount, idempotency_key=uuid.uuid4().hex)
    log.info("autopay charge %s submitted for lease %s", result.get("id"), lease_id)
    return result.get("id")


@celery.task
def run_autopay():
    leases = Lease.query.filter(Lease.autopay_token.isnot(None), Lease.balance > 0, Lease.status == "active")
    for lease in leases.yield_per(200):
        charge_autopay.delay(lease.id, str(lease.balance))


RECEIPT_TEMPLATE = """
<p>Hi {{ name }},</p>
<p>We received your payment of {{ amount }} on {{ received_on }}. Thank you!</p>
"""


@celery.task(bind=True, autoretry_for=(SMTPException,), retry_backoff=True, max_retries=5)
def send_receipt(self, payment_id):
    from .models import Payment

    payment = db.session.get(Payment, payment_id)
    if payment is None:
        return
    tenant = payment.lease.tenant
    html = render_template_string(
        RECEIPT_TEMPLATE, name=tenant.full_name, amount=payment.amount, received_on=payment.received_on
    )
    _send_mail(tenant.email, "Payment received", html)
