"""Seller-facing webhook endpoints: registration and delivery."""
from __future__ import annotations

import asyncio
import ipaddress
import json
import random
import socket
import string
import time
from urllib.parse import urlsplit

import httpx

from app.config import get_settings
from app.models import WebhookEndpoint
from app.security import sign_outbound

settings = get_settings()

SIGNATURE_HEADER = "SellerPay-Signature"
_SECRET_ALPHABET = string.ascii_letters + string.digits


class UnsafeWebhookUrl(ValueError):
    pass


def new_endpoint_secret() -> str:
    return "whsec_" + "".join(random.choices(_SECRET_ALPHABET, k=32))


async def ensure_public_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise UnsafeWebhookUrl("webhook URLs must be https")
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UnsafeWebhookUrl("host does not resolve") from exc
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved or addr.is_multicast:
            raise UnsafeWebhookUrl("webhook host resolves to a non-public address")


async def deliver(
    http: httpx.AsyncClient, endpoint: WebhookEndpoint, event_type: str, data: dict
) -> int:
    await ensure_public_url(endpoint.url)
    now = int(time.time())
    body = json.dumps({"type": event_type, "data": data, "created": now}).encode()
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign_outbound(endpoint.secret, body, now),
    }
    resp = await http.post(
        endpoint.url,
        content=body,
        headers=headers,
        timeout=settings.webhook_delivery_timeout_seconds,
        follow_redirects=False,
    )
    return resp.status_code
