from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from meterly.db import get_session
from meterly.deps import Principal, require_scope
from meterly.repositories.invoices import InvoiceRepository
from meterly.schemas import InvoiceOut
from meterly.services.billing import BillingService
from meterly.services.rendering import render_invoice_pdf

router = APIRouter(prefix="/invoices", tags=["invoices"])


@router.get("", response_model=list[InvoiceOut])
async def list_invoices(
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0),
    principal: Principal = Depends(require_scope("billing:read")),
    session: AsyncSession = Depends(get_session),
):
    return await BillingService(session).list_with_lines(principal.org_id, limit, offset)


@router.get("/{invoice_id}", response_model=InvoiceOut)
async def get_invoice(
    invoice_id: int,
    principal: Principal = Depends(require_scope("billing:read")),
    session: AsyncSession = Depends(get_session),
):
    invoice = await InvoiceRepository(session).get_for_org(principal.org_id, invoice_id)
    if invoice is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "invoice not found")
    return invoice


@router.get("/{invoice_id}/pdf")
async def invoice_pdf(
    invoice_id: int,
    principal: Principal = Depends(require_scope("billing:read")),
    session: AsyncSession = Depends(get_session),
):
    repo = InvoiceRepository(session)
    invoice = await repo.get(invoice_id)
    if invoice is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "invoice not found")
    lines = await repo.lines_for(invoice.id)
    pdf = await render_invoice_pdf(invoice, lines)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="{invoice.number}.pdf"'},
    )


@router.post("/{invoice_id}/pay", response_model=InvoiceOut)
async def pay_invoice(
    invoice_id: int,
    request: Request,
    payment_method: str = Query(..., max_length=64),
    principal: Principal = Depends(require_scope("billing:write")),
    session: AsyncSession = Depends(get_session),
):
    try:
        await BillingService(session).pay_invoice(
            request.app.state.paybridge, principal.org_id, invoice_id, payment_method
        )
    except LookupError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "invoice not found")
    return await InvoiceRepository(session).get_for_org(principal.org_id, invoice_id)
