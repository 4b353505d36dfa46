import logging
from decimal import Decimal

from fastapi import HTTPException, status
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import InvoiceStatus
from ..repositories import CustomerRepository, InvoiceRepository
from .invoices import outstanding

logger = logging.getLogger(__name__)


async def apply_credit(
    session: AsyncSession, org_id: int, customer_id: int, invoice_id: int, amount: Decimal
) -> Decimal:
    """Move part of a customer's credit balance onto one of their open invoices."""
    customers = CustomerRepository(session)
    invoices = InvoiceRepository(session)
    customer = await customers.get_for_org(org_id, customer_id)
    invoice = await invoices.get_for_org(org_id, invoice_id)
    if invoice.customer_id != customer.id:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "Invoice belongs to another customer")
    if amount > customer.credit_balance:
        raise HTTPException(status.HTTP_409_CONFLICT, "Not enough credit")
    amount = min(amount, outstanding(invoice))
    customer.credit_balance = customer.credit_balance - amount
    invoice.amount_paid = invoice.amount_paid + amount
    if outstanding(invoice) == 0:
        invoice.status = InvoiceStatus.paid
    await session.commit()
    logger.info("applied credit %s to invoice %s (org %s)", amount, invoice.id, org_id)
    return customer.credit_balance
