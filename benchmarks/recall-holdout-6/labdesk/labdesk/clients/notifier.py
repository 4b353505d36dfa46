"""Client for the messaging service that texts and emails patients."""
from __future__ import annotations

import asyncio
import logging
import random

import aiohttp

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 4


class NotifierError(Exception):
    pass


class NotifierClient:
    def __init__(self, session: aiohttp.ClientSession):
        self.session = session

    async def send(self, channel: str, to: str, template: str, params: dict, dedupe_key: str) -> str:
        payload = {"channel": channel, "to": to, "template": template, "params": params}
        delay = 0.5
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                async with self.session.post(
                    "/v1/messages", json=payload, headers={"Idempotency-Key": dedupe_key}
                ) as resp:
                    if resp.status in (429, 502, 503, 504):
                        raise NotifierError(f"transient {resp.status}")
                    resp.raise_for_status()
                    body = await resp.json()
                    return body["message_id"]
            except (aiohttp.ClientError, asyncio.TimeoutError, NotifierError):
                if attempt == MAX_ATTEMPTS:
                    raise
                await asyncio.sleep(delay + random.uniform(0, delay))
                delay *= 2
        raise NotifierError("unreachable")
