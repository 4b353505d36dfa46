"""arq worker: `arq app.worker.WorkerSettings`."""
import asyncio
import logging
import os
from typing import Any

import httpx
from arq import Retry, create_pool
from arq.connections import ArqRedis, RedisSettings
from sqlalchemy import select

from app.clients.carrier import CarrierClient, CarrierError
from app.clients import close_clients, init_clients
from app.config import get_settings
from app.models import (
    ExportJob,
    Order,
    OrderItem,
    OrderStatus,
    Product,
    SessionLocal,
    WebhookSubscription,
)
from app.services.reporting import ExportService
from app.services.notifications import deliver

log = logging.getLogger(__name__)
_settings = get_settings()
_pool: ArqRedis | None = None

MAX_DELIVERY_TRIES = 6


def _write_file(directory: str, name: str, data: bytes) -> None:
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as fh:
        fh.write(data)


async def enqueue(job: str, *args: Any) -> None:
    global _pool
    if _pool is None:
        _pool = await create_pool(RedisSettings.from_dsn(_settings.redis_url))
    await _pool.enqueue_job(job, *args)


async def create_shipping_label(ctx: dict, order_id: int) -> str | None:
    async with SessionLocal() as session:
        order = await session.get(Order, order_id)
        if order is None or order.status != OrderStatus.paid or order.tracking_number:
            return None
        rows = await session.execute(
            select(Product.weight_grams, OrderItem.quantity)
            .join(OrderItem, OrderItem.product_id == Product.id)
            .where(OrderItem.order_id == order.id)
        )
        weight = sum(grams * qty for grams, qty in rows.all())
        carrier = CarrierClient()
        try:
            label = await carrier.create_label(
                order_ref=order.public_id, address=order.shipping_address, weight_grams=weight
            )
            pdf = await carrier.download_label(label["id"])
        except (CarrierError, httpx.HTTPError) as exc:
            log.warning("label for order %s failed (try %s): %s", order.id, ctx["job_try"], exc)
            raise Retry(defer=ctx["job_try"] * 30) from exc

        user_dir = os.path.join(_settings.label_dir, str(order.user_id))
        await asyncio.to_thread(_write_file, user_dir, f"{order.public_id}.pdf", pdf)
        order.tracking_number = label["tracking_number"]
        order.status = OrderStatus.shipped
        await session.commit()
        return order.tracking_number


async def notify_subscribers(ctx: dict, user_id: int, event: str, payload: dict) -> int:
    async with SessionLocal() as session:
        subs = (
            await session.scalars(
                select(WebhookSubscription).where(
                    WebhookSubscription.user_id == user_id, WebhookSubscription.active.is_(True)
                )
            )
        ).all()
    delivered = 0
    failed = False
    for sub in subs:
        if event not in sub.events.split(","):
            continue
        try:
            code = await deliver(sub, event, payload)
        except httpx.HTTPError as exc:
            log.info("webhook %s delivery error: %s", sub.id, type(exc).__name__)
            failed = True
            continue
        if 200 <= code < 300:
            delivered += 1
        else:
            failed = True
    if failed and ctx["job_try"] < MAX_DELIVERY_TRIES:
        raise Retry(defer=min(3600, 2 ** ctx["job_try"] * 10))
    return delivered


async def build_export(ctx: dict, job_id: str) -> None:
    async with SessionLocal() as session:
        svc = ExportService(session)
        job = await session.get(ExportJob, job_id)
        if job is None:
            return
        try:
            content = await svc.build_csv(job_id)
            await asyncio.to_thread(
                _write_file, _settings.export_dir, job.filename, content.encode("utf-8")
            )
        except Exception:
            log.exception("export %s failed", job_id)
            job.status = "failed"
            await session.commit()
            raise
        job.status = "done"
        await session.commit()


async def startup(ctx: dict) -> None:
    init_clients()


async def shutdown(ctx: dict) -> None:
    await close_clients()


class WorkerSettings:
    functions = [create_shipping_label, notify_subscribers, build_export]
    redis_settings = RedisSettings.from_dsn(_settings.redis_url)
    on_startup = startup
    on_shutdown = shutdown
    max_tries = MAX_DELIVERY_TRIES
    job_timeout = 300
