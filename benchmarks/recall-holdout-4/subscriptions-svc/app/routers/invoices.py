from fastapi import APIRouter, Depends, HTTPException, Query, status
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from app.clients.payments import PaymentError
from app.deps import Billing, CurrentUser, InvoiceRepo, PaymentsDep, get_current_user
from app.schemas import InvoiceOut, Page
from app.services.billing import BillingError

router = APIRouter(prefix="/invoices", tags=["invoices"], dependencies=[Depends(get_current_user)])


@router.get("", response_model=Page[InvoiceOut])
async def list_invoices(user: CurrentUser, invoices: InvoiceRepo,
                        limit: int = Query(25, ge=1, le=100), offset: int = Query(0, ge=0)):
    return Page(items=await invoices.for_user(user.id, limit, offset), limit=limit, offset=offset)


@router.get("/{invoice_id}", response_model=InvoiceOut)
async def get_invoice(invoice_id: int, invoices: InvoiceRepo):
    invoice = await invoices.get(invoice_id)
    if invoice is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "invoice not found")
    return invoice


@router.get("/{invoice_id}/pdf")
async def invoice_pdf(invoice_id: int, user: CurrentUser, invoices: InvoiceRepo, payments: PaymentsDep):
    invoice = await invoices.get_for_user(invoice_id, user.id)
    if invoice is None or not invoice.provider_invoice_id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "invoice not found")
    try:
        upstream = await payments.open_invoice_pdf(invoice.provider_invoice_id)
    except PaymentError:
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, "invoice document unavailable")
    return StreamingResponse(
        upstream.aiter_bytes(),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="invoice-{invoice.id}.pdf"'},
        background=BackgroundTask(upstream.aclose),
    )


@router.post("/{invoice_id}/pay-with-credit", response_model=InvoiceOut)
async def pay_with_credit(invoice_id: int, user: CurrentUser, invoices: InvoiceRepo, billing: Billing):
    invoice = await invoices.get_for_user(invoice_id, user.id)
    if invoice is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "invoice not found")
    try:
        return await billing.pay_with_credit(user, invoice)
    except BillingError as exc:
        raise HTTPException(exc.status_code, str(exc))
