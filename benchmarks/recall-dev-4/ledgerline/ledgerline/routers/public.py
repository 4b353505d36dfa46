from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from ..db import get_session
from ..models import Organization
from ..repositories import InvoiceRepository
from ..schemas import InvoiceLineOut, PublicInvoiceOut

router = APIRouter(tags=["public"])

SessionDep = Annotated[AsyncSession, Depends(get_session)]


@router.get("/healthz", include_in_schema=False)
async def healthz(session: SessionDep):
    await session.execute(text("SELECT 1"))
    return {"status": "ok"}


@router.get("/public/invoices/{token}", response_model=PublicInvoiceOut)
async def public_invoice(token: str, session: SessionDep):
    """Hosted invoice page: the customer opens the link from the invoice e-mail."""
    invoice = await InvoiceRepository(session).get_by_public_token(token)
    if invoice is None or invoice.status.value == "draft":
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Invoice not found")
    org = await session.get(Organization, invoice.org_id)
    return PublicInvoiceOut(
        number=invoice.number,
        organization=org.name,
        currency=invoice.currency,
        total=invoice.total,
        amount_paid=invoice.amount_paid,
        due_date=invoice.due_date,
        lines=[InvoiceLineOut.model_validate(line) for line in invoice.lines],
    )
