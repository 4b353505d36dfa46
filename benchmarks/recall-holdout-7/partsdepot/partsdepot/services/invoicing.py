from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import func, select, update

from ..models import Account, Invoice, InvoiceOrder, Order, OrderStatus


def _invoice_number(session, now):
    prefix = f"INV-{now:%Y%m}-"
    count = session.scalar(select(func.count()).select_from(Invoice).where(Invoice.number.like(f"{prefix}%")))
    return f"{prefix}{count + 1:05d}"


def invoice_shipped_orders(session, account_id):
    """Bundle all shipped, uninvoiced orders of one account into an invoice."""
    now = datetime.now(timezone.utc)
    with session.begin():
        account = session.get(Account, account_id, with_for_update=True)
        orders = session.scalars(
            select(Order).where(Order.account_id == account_id, Order.status == OrderStatus.SHIPPED).with_for_update()
        ).all()
        if not orders:
            return None
        total = sum((o.total for o in orders), Decimal("0.00"))
        invoice = Invoice(
            account_id=account_id,
            number=_invoice_number(session, now),
            total=total,
            due_date=now + timedelta(days=account.payment_terms_days),
        )
        session.add(invoice)
        session.flush()
        session.add_all([InvoiceOrder(invoice_id=invoice.id, order_id=o.id) for o in orders])
        session.execute(update(Order).where(Order.id.in_([o.id for o in orders])).values(status=OrderStatus.INVOICED))
    return invoice
