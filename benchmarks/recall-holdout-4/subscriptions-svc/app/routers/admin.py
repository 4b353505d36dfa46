import csv
import io
from datetime import datetime, timedelta, timezone

from fastapi import APIRouter, Depends, HTTPException, Query, status
from fastapi.responses import StreamingResponse

from app.deps import AdminUser, Billing, InvoiceRepo, SubscriptionRepo, UserRepo, require_admin
from app.schemas import CreditGrant, InvoiceOut, Page, RefundIn, UserOut
from app.services.billing import BillingError

router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_admin)])


@router.get("/users", response_model=Page[UserOut])
async def list_users(users: UserRepo, limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0),
                     sort: str | None = Query(None, pattern="^(created|email|name)$")):
    return Page(items=await users.page(limit, offset, sort), limit=limit, offset=offset)


@router.get("/subscriptions/export")
async def export_subscriptions(subscriptions: SubscriptionRepo, status_filter: str = Query("active", alias="status")):
    rows = await subscriptions.by_status(status_filter)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["id", "user_id", "plan", "status", "current_period_end"])
    for sub in rows:
        writer.writerow([sub.id, sub.user_id, sub.plan.code, sub.status, sub.current_period_end.isoformat()])
    buf.seek(0)
    return StreamingResponse(iter([buf.getvalue()]), media_type="text/csv",
                             headers={"Content-Disposition": 'attachment; filename="subscriptions.csv"'})


@router.get("/reports/plan-mix")
async def plan_mix(subscriptions: SubscriptionRepo, days: int = Query(30, ge=1, le=365)) -> dict:
    since = datetime.now(timezone.utc) - timedelta(days=days)
    return {"since": since.isoformat(), "plans": dict(await subscriptions.count_by_plan(since))}


@router.post("/credits/grant")
async def grant_credit(body: CreditGrant, admin: AdminUser, billing: Billing) -> dict:
    granted = await billing.grant_credit(body.user_ids, body.amount)
    return {"granted": granted, "by": admin.id}


@router.post("/invoices/{invoice_id}/refund", response_model=InvoiceOut)
async def refund_invoice(invoice_id: int, body: RefundIn, invoices: InvoiceRepo, billing: Billing):
    invoice = await invoices.get(invoice_id)
    if invoice is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "invoice not found")
    try:
        return await billing.refund(invoice, body.reason)
    except BillingError as exc:
        raise HTTPException(exc.status_code, str(exc))
