import logging
from decimal import Decimal

from sqlalchemy import update

from ..clients import make_client
from ..clients.payments_api import PaymentDeclined
from ..models import Invoice, Payment

log = logging.getLogger(__name__)


class PaymentError(Exception):
    pass


def _cents(amount):
    return int((Decimal(amount) * 100).quantize(Decimal("1")))


class PaymentService:
    def __init__(self, session, invoices_repo):
        self.session = session
        self.invoices = invoices_repo
        self.client = make_client("payments")

    def charge_invoice(self, invoice, card_token):
        outstanding = invoice.total - invoice.amount_paid
        if outstanding <= 0:
            raise PaymentError("Invoice is already paid.")
        payment = Payment(invoice_id=invoice.id, amount=outstanding, kind="charge", status="pending")
        self.session.add(payment)
        self.session.flush()
        try:
            charge = self.client.create_charge(_cents(outstanding), "EUR", card_token, description=f"Invoice {invoice.number}")
        except PaymentDeclined as exc:
            payment.status = "declined"
            self.session.commit()
            raise PaymentError(str(exc)) from exc

        payment.provider_charge_id = charge["id"]
        payment.status = "succeeded"
        self.session.execute(
            update(Invoice).where(Invoice.id == invoice.id).values(amount_paid=Invoice.amount_paid + outstanding)
        )
        self.session.commit()
        return payment

    def refund(self, invoice, amount, idempotency_key):
        existing = self.invoices.payment_by_key(invoice.id, "refund", idempotency_key)
        if existing is not None:
            return existing
        charge = self.session.query(Payment).filter_by(invoice_id=invoice.id, kind="charge", status="succeeded").first()
        if charge is None or amount > invoice.amount_paid:
            raise PaymentError("Nothing to refund.")
        refund = Payment(invoice_id=invoice.id, amount=-amount, kind="refund", status="pending", idempotency_key=idempotency_key)
        self.session.add(refund)
        self.session.flush()
        result = self.client.create_refund(charge.provider_charge_id, _cents(amount), idempotency_key=f"refund-{invoice.id}-{idempotency_key}")
        refund.provider_charge_id = result["id"]
        refund.status = "succeeded"
        self.session.execute(
            update(Invoice).where(Invoice.id == invoice.id).values(amount_paid=Invoice.amount_paid - amount)
        )
        self.session.commit()
        return refund
