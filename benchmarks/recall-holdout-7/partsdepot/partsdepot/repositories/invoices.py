from sqlalchemy import select

from ..models import Invoice, Payment
from .base import Repository


class InvoiceRepository(Repository):
    model = Invoice

    def get_for_account(self, invoice_id, account_id):
        return self.session.scalars(
            select(Invoice).where(Invoice.id == invoice_id, Invoice.account_id == account_id)
        ).first()

    def list_for_account(self, account_id, page=1, per_page=50):
        return self.session.scalars(
            select(Invoice)
            .where(Invoice.account_id == account_id)
            .order_by(Invoice.created_at.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()

    def payment_by_key(self, invoice_id, kind, idempotency_key):
        return self.session.scalars(
            select(Payment).where(
                Payment.invoice_id == invoice_id, Payment.kind == kind, Payment.idempotency_key == idempotency_key
            )
        ).first()
