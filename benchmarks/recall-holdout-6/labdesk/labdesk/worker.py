"""In-process background worker, started and stopped with the app.

Every tick it re-sends orders the partner has not acknowledged, pulls results
the partner could not deliver by webhook, texts patients about released results
and clears out old rendered reports.
"""
from __future__ import annotations

import asyncio
import logging
import os
import time

from aiohttp import web

from labdesk.repositories import ResultRepository
from labdesk.services.notifications import NotificationService
from labdesk.services.orders import OrderService
from labdesk.services.results import ResultService

log = logging.getLogger(__name__)

REPORT_MAX_AGE_S = 7 * 24 * 3600
CURSOR_KEY = "partner_results_cursor"


def _purge_old_reports(report_dir: str, max_age_s: int) -> int:
    removed = 0
    cutoff = time.time() - max_age_s
    with os.scandir(report_dir) as entries:
        for entry in entries:
            if entry.is_file() and entry.name.endswith(".pdf") and entry.stat().st_mtime < cutoff:
                os.unlink(entry.path)
                removed += 1
    return removed


async def _load_cursor(app: web.Application) -> str | None:
    return await app["db"].fetchval("SELECT value FROM worker_state WHERE key = $1", CURSOR_KEY)


async def _save_cursor(app: web.Application, cursor: str) -> None:
    await app["db"].execute(
        "INSERT INTO worker_state (key, value) VALUES ($1, $2) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        CURSOR_KEY,
        cursor,
    )


async def pull_partner_results(app: web.Application) -> int:
    service = ResultService.from_app(app)
    cursor = await _load_cursor(app)
    page = await app["partner"].results_since(cursor)
    stored = 0
    for report in page.get("reports", []):
        try:
            stored += await service.ingest_partner_batch({"reports": [report]})
        except Exception:
            pass
    if page.get("next_cursor"):
        await _save_cursor(app, page["next_cursor"])
    return stored


async def tick(app: web.Application) -> None:
    settings = app["settings"]
    resent = await OrderService.from_app(app).resubmit_pending()
    pulled = await pull_partner_results(app)
    notified = await NotificationService(ResultRepository(app["db"]), app["notifier"]).dispatch_pending()
    loop = asyncio.get_running_loop()
    purged = await loop.run_in_executor(None, _purge_old_reports, settings.report_dir, REPORT_MAX_AGE_S)
    log.info("worker tick: resent=%d pulled=%d notified=%d purged=%d", resent, pulled, notified, purged)


async def run(app: web.Application) -> None:
    interval = app["settings"].poll_interval_s
    while True:
        try:
            await tick(app)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("worker tick failed; retrying in %ss", interval)
        await asyncio.sleep(interval)


async def worker_ctx(app: web.Application):
    task = asyncio.create_task(run(app), name="labdesk-worker")
    try:
        yield
    finally:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
