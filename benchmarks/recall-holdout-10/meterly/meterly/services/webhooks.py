import asyncio
import ipaddress
import json
import logging
import time
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from meterly.models import WebhookEndpoint
from meterly.security import new_webhook_secret, sign_payload

log = logging.getLogger(__name__)


class UnsafeWebhookUrl(ValueError):
    pass


async def ensure_public_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise UnsafeWebhookUrl("webhook URLs must be https")
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(parts.hostname, parts.port or 443)
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved:
            raise UnsafeWebhookUrl("webhook URL resolves to a non-public address")


class WebhookService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def register(self, org_id: int, url: str) -> WebhookEndpoint:
        await ensure_public_url(url)
        endpoint = WebhookEndpoint(org_id=org_id, url=url, secret=new_webhook_secret())
        self.session.add(endpoint)
        await self.session.commit()
        return endpoint

    async def list_for_org(self, org_id: int) -> list[WebhookEndpoint]:
        return list(
            await self.session.scalars(
                select(WebhookEndpoint)
                .where(WebhookEndpoint.org_id == org_id)
                .order_by(WebhookEndpoint.id)
                .limit(25)
            )
        )

    async def get_for_org(self, org_id: int, endpoint_id: int) -> WebhookEndpoint | None:
        return await self.session.scalar(
            select(WebhookEndpoint).where(
                WebhookEndpoint.id == endpoint_id, WebhookEndpoint.org_id == org_id
            )
        )


async def send_test_event(http: httpx.AsyncClient, url: str) -> dict:
    """Send a sample payload to a URL the customer is about to register."""
    resp = await http.post(url, json={"type": "meterly.test", "data": {}})
    return {"status_code": resp.status_code, "body": resp.text[:2000]}


async def deliver_event(endpoint: WebhookEndpoint, event_type: str, data: dict) -> bool:
    body = json.dumps({"type": event_type, "data": data}, default=str).encode()
    timestamp = str(int(time.time()))
    headers = {
        "content-type": "application/json",
        "meterly-timestamp": timestamp,
        "meterly-signature": sign_payload(endpoint.secret, timestamp, body),
    }
    async with httpx.AsyncClient(timeout=httpx.Timeout(5.0, connect=2.0)) as client:
        try:
            resp = await client.post(endpoint.url, content=body, headers=headers)
        except httpx.HTTPError:
            log.warning("webhook delivery failed", extra={"endpoint_id": endpoint.id})
            return False
    return resp.is_success


async def fan_out(session: AsyncSession, org_id: int, event_type: str, data: dict) -> int:
    endpoints = await session.scalars(
        select(WebhookEndpoint).where(
            WebhookEndpoint.org_id == org_id, WebhookEndpoint.active.is_(True)
        ).limit(25)
    )
    delivered = 0
    for endpoint in endpoints:
        if await deliver_event(endpoint, event_type, data):
            delivered += 1
    return delivered
