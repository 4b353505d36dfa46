"""SLA monitor: escalates tickets whose response deadline has passed."""
import asyncio
import contextlib
import logging

from aiohttp import web

log = logging.getLogger(__name__)

ESCALATE_SQL = """
UPDATE tickets t
   SET escalated_at = now(), priority = CASE WHEN t.priority = 'urgent' THEN 'urgent' ELSE 'high' END
  FROM organisations o
 WHERE o.id = t.org_id
   AND t.id IN (
        SELECT id FROM tickets
         WHERE escalated_at IS NULL
           AND sla_due_at < now()
           AND status IN ('open', 'pending')
         ORDER BY sla_due_at
         LIMIT 200
         FOR UPDATE SKIP LOCKED)
RETURNING t.id, t.subject, o.name AS org_name
"""


async def escalate_overdue(app: web.Application) -> int:
    rows = await app["db"].fetch(ESCALATE_SQL)
    if rows:
        try:
            await app["notifier"].escalation_digest(rows)
        except Exception:
            pass
    return len(rows)


async def run_sla_monitor(app: web.Application) -> None:
    interval = app["settings"].sla_interval
    while True:
        try:
            escalated = await escalate_overdue(app)
            if escalated:
                log.info("escalated %d overdue tickets", escalated)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("SLA sweep failed; retrying in %ss", interval)
        await asyncio.sleep(interval)


async def start(app: web.Application) -> None:
    app["sla_task"] = asyncio.create_task(run_sla_monitor(app), name="sla-monitor")


async def stop(app: web.Application) -> None:
    task = app.get("sla_task")
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
