"""arq worker: payout submission, webhook fan-out, FX refresh and housekeeping.

Run with ``arq app.worker.WorkerSettings``.
"""
from __future__ import annotations

import logging
import httpx
from arq import Retry, cron
from arq.connections import RedisSettings
from sqlalchemy import text

from app.cache import create_redis
from app.config import get_settings
from app.db import SessionFactory, engine
from app.models import BankAccount, Payout, PayoutStatus, Seller, WebhookEndpoint
from app.repositories.payouts import PayoutRepository
from app.services import fx
from app.services.provider import PaystreamClient, ProviderError
from app.services.webhooks import UnsafeWebhookUrl, deliver

logger = logging.getLogger("sellerpay.worker")
settings = get_settings()

MAINTENANCE_TABLES = ("payouts", "ledger_entries", "payout_events")
WEBHOOK_BACKOFF_SECONDS = (5, 30, 120, 600, 1800, 3600, 7200, 14400)


async def startup(ctx: dict) -> None:
    ctx["cache"] = create_redis()
    ctx["provider_http"] = httpx.AsyncClient(
        base_url=settings.provider_base_url,
        headers={"Authorization": f"Bearer {settings.provider_api_key.get_secret_value()}"},
        timeout=httpx.Timeout(settings.provider_timeout_seconds, connect=settings.provider_connect_timeout_seconds),
    )
    ctx["webhook_http"] = httpx.AsyncClient(timeout=settings.webhook_delivery_timeout_seconds)
    ctx["fx_http"] = httpx.AsyncClient(base_url=settings.fx_base_url, timeout=5.0)


async def shutdown(ctx: dict) -> None:
    for name in ("provider_http", "webhook_http", "fx_http"):
        await ctx[name].aclose()
    await ctx["cache"].aclose()
    await engine.dispose()


async def submit_approved_payouts(ctx: dict, payout_ids: list[str]) -> dict:
    provider = PaystreamClient(ctx["provider_http"])
    submitted, failed = 0, 0
    async with SessionFactory() as session:
        repo = PayoutRepository(session)
        for payout_id in payout_ids:
            payout = await session.get(Payout, payout_id)
            if payout is None or payout.status != PayoutStatus.approved or payout.instant:
                continue
            seller = await session.get(Seller, payout.seller_id)
            account = await session.get(BankAccount, payout.bank_account_id)
            try:
                transfer = await provider.create_transfer(
                    account_id=seller.provider_account_id,
                    destination=account.provider_token,
                    amount=payout.amount - payout.fee,
                    currency=payout.currency,
                    reference=payout.id,
                    idempotency_key=f"payout:{payout.id}",
                )
            except ProviderError as exc:
                logger.warning("payout %s rejected by provider: %s", payout.id, exc.code)
                payout.failure_reason = exc.code or "provider_error"
                failed += 1
                continue
            payout.provider_transfer_id = transfer["id"]
            payout.status = PayoutStatus.submitted
            repo.add_event(payout, PayoutStatus.submitted.value, {"transfer": transfer["id"]})
            submitted += 1
        await session.commit()
    return {"submitted": submitted, "failed": failed}


async def deliver_webhook(ctx: dict, endpoint_id: str, event_type: str, data: dict) -> None:
    async with SessionFactory() as session:
        endpoint = await session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or not endpoint.active:
        return
    try:
        code = await deliver(ctx["webhook_http"], endpoint, event_type, data)
    except UnsafeWebhookUrl:
        logger.warning("endpoint %s now resolves to a non-public address; skipping", endpoint_id)
        return
    except httpx.HTTPError as exc:
        code = None
        logger.info("delivery to endpoint %s failed: %s", endpoint_id, type(exc).__name__)
    if code is not None and 200 <= code < 300:
        return
    attempt = ctx["job_try"]
    if attempt >= settings.webhook_max_attempts:
        logger.warning("giving up on endpoint %s after %s attempts", endpoint_id, attempt)
        return
    raise Retry(defer=WEBHOOK_BACKOFF_SECONDS[min(attempt - 1, len(WEBHOOK_BACKOFF_SECONDS) - 1)])


async def refresh_fx(ctx: dict) -> None:
    count = await fx.refresh_common_pairs(ctx["cache"], ctx["fx_http"])
    logger.info("refreshed %d fx pairs", count)


async def nightly_maintenance(ctx: dict) -> None:
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        for table in MAINTENANCE_TABLES:
            await conn.execute(text(f"ANALYZE {table}"))


class WorkerSettings:
    functions = [submit_approved_payouts, deliver_webhook]
    cron_jobs = [
        cron(refresh_fx, minute=set(range(0, 60, 5))),
        cron(nightly_maintenance, hour={3}, minute={15}),
    ]
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = RedisSettings.from_dsn(settings.redis_url)
    queue_name = settings.arq_queue_name
    max_tries = 8
    job_timeout = 120
