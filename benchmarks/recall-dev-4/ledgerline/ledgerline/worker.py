"""arq worker: `arq ledgerline.worker.WorkerSettings`."""
import csv
import io
import logging
import random
from datetime import date, timedelta

import anyio
import httpx
from arq import Retry, cron
from arq.connections import RedisSettings
from sqlalchemy import select, update

from .config import get_settings
from .db import SessionLocal
from .models import Export, Invoice, InvoiceStatus, Payment, PaymentStatus
from .payments.provider import PaymentProviderError, build_payco_client

logger = logging.getLogger(__name__)

SYNC_MAX_TRIES = 5


async def startup(ctx: dict) -> None:
    settings = get_settings()
    ctx["http"] = httpx.AsyncClient(timeout=httpx.Timeout(15.0, connect=3.0))
    ctx["payco"] = build_payco_client(settings)


async def shutdown(ctx: dict) -> None:
    await ctx["http"].aclose()


async def mark_overdue(ctx: dict) -> int:
    async with SessionLocal() as session:
        result = await session.execute(
            update(Invoice)
            .where(Invoice.status == InvoiceStatus.open, Invoice.due_date < date.today() - timedelta(days=180))
            .values(status=InvoiceStatus.uncollectible)
        )
        await session.commit()
        return result.rowcount


async def sync_pending_payment(ctx: dict, payment_id: int) -> str:
    """Ask the provider about a charge whose webhook never arrived."""
    async with SessionLocal() as session:
        payment = await session.get(Payment, payment_id, with_for_update=True)
        if payment is None or payment.status != PaymentStatus.pending or not payment.provider_charge_id:
            return "skipped"
        try:
            charge = await ctx["payco"].retrieve_charge(payment.provider_charge_id)
        except (httpx.HTTPError, PaymentProviderError) as exc:
            if ctx["job_try"] >= SYNC_MAX_TRIES:
                logger.error("giving up on payment %s after %s tries: %s", payment_id, ctx["job_try"], exc)
                return "gave-up"
            raise Retry(defer=ctx["job_try"] * 30 + random.uniform(0, 10))
        if charge.status in ("succeeded", "failed"):
            payment.status = PaymentStatus(charge.status)
            await session.commit()
        return charge.status


async def build_export(ctx: dict, export_id: str) -> None:
    settings = get_settings()
    async with SessionLocal() as session:
        export = await session.get(Export, export_id)
        if export is None:
            return
        rows = await session.stream_scalars(
            select(Invoice).where(Invoice.org_id == export.org_id).order_by(Invoice.id).execution_options(yield_per=500)
        )
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["number", "status", "issue_date", "due_date", "currency", "total", "amount_paid"])
        async for invoice in rows:
            writer.writerow(
                [invoice.number, invoice.status.value, invoice.issue_date, invoice.due_date,
                 invoice.currency, invoice.total, invoice.amount_paid]
            )
        filename = f"{export.id}.csv"
        path = anyio.Path(settings.exports_dir) / str(export.org_id) / filename
        await path.parent.mkdir(parents=True, exist_ok=True)
        await path.write_text(buffer.getvalue())
        export.filename = filename
        export.status = "ready"
        await session.commit()


class WorkerSettings:
    functions = [sync_pending_payment, build_export]
    cron_jobs = [cron(mark_overdue, hour=3, minute=15)]
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = RedisSettings.from_dsn(get_settings().redis_url)
    max_tries = SYNC_MAX_TRIES
    job_timeout = 300
