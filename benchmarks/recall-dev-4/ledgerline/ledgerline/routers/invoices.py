from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Query, Request, status
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from ..cache import cached_json, get_redis, store_json
from ..config import get_settings
from ..db import get_session
from ..models import Invoice, InvoiceStatus
from ..pdf import render_invoice_pdf
from ..repositories import InvoiceRepository
from ..schemas import AgingBucket, InvoiceCreate, InvoiceOut, InvoiceSummary, InvoiceUpdate
from ..security import OrgAccountant, OrgMember, get_api_key_org
from ..services.invoices import aging_bucket, create_invoice, outstanding
from ..services.notifications import send_invoice_email

router = APIRouter(prefix="/orgs/{org_id}/invoices", tags=["invoices"])

SessionDep = Annotated[AsyncSession, Depends(get_session)]

DASHBOARD_STATUSES = (InvoiceStatus.draft, InvoiceStatus.open, InvoiceStatus.paid)


def get_invoice_repo(session: SessionDep) -> InvoiceRepository:
    return InvoiceRepository(session)


InvoiceRepo = Annotated[InvoiceRepository, Depends(get_invoice_repo)]


@router.get("", response_model=list[InvoiceOut])
async def list_invoices(
    ctx: OrgMember,
    repo: InvoiceRepo,
    status_filter: Annotated[InvoiceStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    offset: Annotated[int, Query(ge=0)] = 0,
):
    return await repo.page(ctx.org_id, status_filter=status_filter, limit=limit, offset=offset)


@router.post("", response_model=InvoiceOut, status_code=status.HTTP_201_CREATED)
async def create(body: InvoiceCreate, ctx: OrgAccountant, session: SessionDep, repo: InvoiceRepo):
    invoice = await create_invoice(session, ctx.org_id, body)
    return await repo.get_for_org(ctx.org_id, invoice.id)


@router.get("/dashboard")
async def dashboard(ctx: OrgMember, repo: InvoiceRepo, request: Request):
    redis = get_redis(request)
    key = f"dash:{ctx.org_id}"
    cached = await cached_json(redis, key)
    if cached is not None:
        return cached
    counts = {}
    for status_value in DASHBOARD_STATUSES:
        counts[status_value.value] = await repo.count_by_status(ctx.org_id, status_value)
    await store_json(redis, key, counts, ttl_seconds=60)
    return counts


@router.get("/aging", response_model=list[AgingBucket])
async def aging_report(ctx: OrgMember, repo: InvoiceRepo):
    today = date.today()
    buckets: dict[str, AgingBucket] = {}
    for invoice in await repo.open_for_org(ctx.org_id):
        payments = await invoice.awaitable_attrs.payments
        pending = sum(p.amount_cents for p in payments if p.status.value == "pending")
        name = aging_bucket(invoice.due_date, today)
        bucket = buckets.setdefault(name, AgingBucket(bucket=name, invoices=0, outstanding=0))
        bucket.invoices += 1
        bucket.outstanding += outstanding(invoice) - Decimal(pending) / 100
    return list(buckets.values())


@router.get("/{invoice_id}", response_model=InvoiceOut)
async def get_invoice(invoice_id: int, ctx: OrgMember, repo: InvoiceRepo):
    return await repo.get_for_org(ctx.org_id, invoice_id)


@router.patch("/{invoice_id}", response_model=InvoiceOut)
async def update_invoice(
    invoice_id: int, body: InvoiceUpdate, ctx: OrgAccountant, repo: InvoiceRepo, session: SessionDep
):
    invoice = await repo.get_for_org(ctx.org_id, invoice_id)
    if invoice.status != InvoiceStatus.draft:
        raise HTTPException(status.HTTP_409_CONFLICT, "Only drafts can be edited")
    for field, value in body.model_dump(exclude_unset=True).items():
        setattr(invoice, field, value)
    await session.commit()
    return invoice


@router.post("/{invoice_id}/send", response_model=InvoiceSummary)
async def send_invoice(
    invoice_id: int,
    ctx: OrgAccountant,
    repo: InvoiceRepo,
    session: SessionDep,
    background: BackgroundTasks,
    request: Request,
):
    invoice = await repo.get_for_org(ctx.org_id, invoice_id)
    if invoice.status == InvoiceStatus.draft:
        invoice.status = InvoiceStatus.open
        await session.commit()
    link = f"{get_settings().public_base_url}/i/{invoice.public_token}"
    background.add_task(send_invoice_email, request.app.state.http, invoice.customer.email, invoice.number, link)
    return invoice


@router.get("/{invoice_id}/pdf")
async def invoice_pdf(invoice_id: int, ctx: OrgMember, session: SessionDep):
    invoice = await session.get(Invoice, invoice_id)
    if invoice is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Invoice not found")
    await session.refresh(invoice, attribute_names=["lines", "customer"])
    pdf = await render_invoice_pdf(invoice)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="invoice-{invoice.number}.pdf"'},
    )


# machine-to-machine access for accounting integrations (X-API-Key header)
api_router = APIRouter(prefix="/api/v1/invoices", tags=["api"])


@api_router.get("/{invoice_id}", response_model=InvoiceOut)
async def api_get_invoice(
    invoice_id: int, org_id: Annotated[int, Depends(get_api_key_org)], repo: InvoiceRepo
):
    return await repo.get_for_org(org_id, invoice_id)
