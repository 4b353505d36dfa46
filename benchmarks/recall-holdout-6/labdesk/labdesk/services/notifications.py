"""Tells patients that a released result is available in the portal."""
from __future__ import annotations

import logging

from labdesk.clients import NotifierClient
from labdesk.repositories import ResultRepository
from labdesk.util import mask_phone

log = logging.getLogger(__name__)

MAX_NOTIFY_ATTEMPTS = 5


class NotificationService:
    def __init__(self, results: ResultRepository, notifier: NotifierClient):
        self.results = results
        self.notifier = notifier

    async def dispatch_pending(self) -> int:
        sent = 0
        for n in await self.results.pending_notifications(limit=100):
            to = n["phone"] if n["channel"] == "sms" else n["email"]
            if not to:
                await self.results.mark_notification(n["id"], "skipped")
                continue
            log.info(
                "notifying patient %s (%s) of %s result via %s",
                n["full_name"], to, n["test_code"], n["channel"],
            )
            try:
                await self.notifier.send(
                    n["channel"], to, "result-ready", {"name": n["full_name"]},
                    dedupe_key=f"notification-{n['id']}",
                )
            except Exception:
                state = "failed" if n["attempts"] + 1 >= MAX_NOTIFY_ATTEMPTS else "pending"
                log.exception("notification %s failed (to %s), now %s", n["id"], mask_phone(n["phone"]), state)
                await self.results.mark_notification(n["id"], state)
                continue
            await self.results.mark_notification(n["id"], "sent")
            sent += 1
        return sent
