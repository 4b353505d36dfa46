import secrets
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from fastapi import HTTPException, status
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Invoice, InvoiceLine, InvoiceStatus, Organization
from ..repositories import CustomerRepository
from ..schemas import InvoiceCreate

CENT = Decimal("0.01")


def line_total(quantity: Decimal, unit_price: Decimal, tax_rate: Decimal) -> Decimal:
    net = (quantity * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)
    tax = (net * tax_rate).quantize(CENT, rounding=ROUND_HALF_UP)
    return net + tax


def to_cents(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def new_public_token() -> str:
    return secrets.token_urlsafe(32)


async def _allocate_number(session: AsyncSession, org_id: int) -> int:
    result = await session.execute(
        update(Organization)
        .where(Organization.id == org_id)
        .values(next_invoice_number=Organization.next_invoice_number + 1)
        .returning(Organization.next_invoice_number - 1, Organization.currency)
    )
    number, _currency = result.one()
    return number


async def create_invoice(session: AsyncSession, org_id: int, payload: InvoiceCreate) -> Invoice:
    if payload.due_date < payload.issue_date:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "due_date before issue_date")
    customer = await CustomerRepository(session).get_for_org(org_id, payload.customer_id)
    org = await session.get(Organization, org_id)
    number = await _allocate_number(session, org_id)
    invoice = Invoice(
        org_id=org_id,
        customer_id=customer.id,
        number=number,
        currency=org.currency,
        issue_date=payload.issue_date,
        due_date=payload.due_date,
        notes=payload.notes,
        public_token=new_public_token(),
    )
    total = Decimal("0.00")
    for position, line in enumerate(payload.lines, start=1):
        invoice.lines.append(
            InvoiceLine(
                position=position,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                tax_rate=line.tax_rate,
            )
        )
        total += line_total(line.quantity, line.unit_price, line.tax_rate)
    invoice.total = total
    session.add(invoice)
    # invoice, lines and the number counter commit together (one transaction)
    await session.commit()
    return invoice


def outstanding(invoice: Invoice) -> Decimal:
    return max(invoice.total - invoice.amount_paid, Decimal("0.00"))


def aging_bucket(due: date, today: date) -> str:
    days = (today - due).days
    if days <= 0:
        return "current"
    if days <= 30:
        return "1-30"
    if days <= 60:
        return "31-60"
    return "60+"


def ensure_payable(invoice: Invoice) -> None:
    if invoice.status != InvoiceStatus.open:
        raise HTTPException(status.HTTP_409_CONFLICT, f"Invoice is {invoice.status.value}")
    if outstanding(invoice) <= 0:
        raise HTTPException(status.HTTP_409_CONFLICT, "Invoice has nothing outstanding")
