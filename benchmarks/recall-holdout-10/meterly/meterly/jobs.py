import logging
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import httpx
from arq import Retry, cron
from arq.connections import RedisSettings
from sqlalchemy import select

from meterly.config import get_settings
from meterly.db import SessionLocal
from meterly.models import Organization, Topup
from meterly.repositories.invoices import InvoiceRepository
from meterly.services.billing import BillingService, collect_invoice
from meterly.services.payments import PaymentError, build_paybridge_client
from meterly.services.webhooks import fan_out

log = logging.getLogger(__name__)


async def startup(ctx: dict) -> None:
    ctx["paybridge"] = build_paybridge_client()


async def shutdown(ctx: dict) -> None:
    await ctx["paybridge"].http.aclose()


async def close_month(ctx: dict, org_id: int) -> int:
    now = datetime.now(timezone.utc)
    end = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    start = (end - timedelta(days=1)).replace(day=1)
    async with SessionLocal() as session:
        invoice = await BillingService(session).close_period(org_id, start, end)
        await fan_out(session, org_id, "invoice.created", {"id": invoice.id, "total": invoice.total})
    return invoice.id


async def collect_open_invoices(ctx: dict) -> int:
    collected = 0
    async with SessionLocal() as session:
        invoices = await InvoiceRepository(session).open_invoices()
        for invoice in invoices:
            try:
                if await collect_invoice(session, ctx["paybridge"], invoice, f"default:{invoice.org_id}"):
                    collected += 1
                await session.commit()
            except Exception:
                continue
    return collected


async def settle_topup(ctx: dict, topup_id: int, payment_method: str) -> None:
    async with SessionLocal() as session:
        topup = await session.get(Topup, topup_id)
        if topup is None or topup.status != "pending":
            return
        while True:
            try:
                charge = await ctx["paybridge"].charge(
                    Decimal(str(topup.amount)), "USD", payment_method, f"Credit top-up {topup.id}"
                )
                break
            except (httpx.TransportError, PaymentError):
                log.warning("top-up charge failed, retrying", extra={"topup_id": topup.id})
                continue
        topup.provider_charge_id = charge["id"]
        topup.status = "succeeded"
        await session.commit()


async def refund_invoice(ctx: dict, invoice_id: int) -> None:
    async with SessionLocal() as session:
        invoice = await InvoiceRepository(session).get(invoice_id)
        if invoice is None or not invoice.provider_charge_id:
            return
        try:
            await ctx["paybridge"].refund(
                invoice.provider_charge_id, invoice.total, idempotency_key=f"refund-invoice-{invoice.id}"
            )
        except (httpx.TransportError, PaymentError) as exc:
            raise Retry(defer=ctx["job_try"] * 30) from exc


async def enqueue_month_close(ctx: dict) -> None:
    async with SessionLocal() as session:
        org_ids = list(await session.scalars(select(Organization.id).where(Organization.is_suspended.is_(False))))
    for org_id in org_ids:
        await ctx["redis"].enqueue_job("close_month", org_id, _job_id=f"close:{org_id}:{datetime.now(timezone.utc):%Y%m}")


class WorkerSettings:
    functions = [close_month, collect_open_invoices, settle_topup, refund_invoice]
    cron_jobs = [
        cron(enqueue_month_close, day=1, hour=2, minute=0),
        cron(collect_open_invoices, hour={6, 18}, minute=0),
    ]
    on_startup = startup
    on_shutdown = shutdown
    max_tries = 5
    redis_settings = RedisSettings.from_dsn(get_settings().redis_url)
