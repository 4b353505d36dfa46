import asyncio
import ipaddress
import json
import logging
import socket
from email.message import EmailMessage
from urllib.parse import urlsplit

import aiosmtplib
import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.clients import get_client
from app.config import get_settings
from app.models import User, WebhookSubscription
from app.security import sign_payload
from app.services import ServiceError

log = logging.getLogger(__name__)
_settings = get_settings()

MAX_SUBSCRIPTIONS = 10


async def _is_public_https(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return False
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return False
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved:
            return False
    return True


class WebhookService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_for(self, user: User) -> list[WebhookSubscription]:
        stmt = (
            select(WebhookSubscription)
            .where(WebhookSubscription.user_id == user.id)
            .order_by(WebhookSubscription.id)
            .limit(MAX_SUBSCRIPTIONS)
        )
        return list((await self.session.scalars(stmt)).all())

    async def subscribe(self, user: User, url: str, events: list[str], secret: str) -> WebhookSubscription:
        if not await _is_public_https(url):
            raise ServiceError("webhook url must be a public https endpoint")
        if len(await self.list_for(user)) >= MAX_SUBSCRIPTIONS:
            raise ServiceError("too many webhook subscriptions")
        sub = WebhookSubscription(user_id=user.id, url=url, events=",".join(events), secret=secret)
        self.session.add(sub)
        await self.session.commit()
        return sub

    async def send_test_event(self, user: User, url: str, event: str) -> dict:
        """Lets merchants check their endpoint before subscribing."""
        body = json.dumps({"event": event, "test": True, "merchant_id": user.id}).encode()
        client = get_client("webhooks")
        try:
            resp = await client.post(url, content=body, headers={"Content-Type": "application/json"})
        except httpx.HTTPError as exc:
            return {"delivered": False, "error": type(exc).__name__}
        return {"delivered": resp.is_success, "status": resp.status_code, "body": resp.text[:2000]}


async def deliver(sub: WebhookSubscription, event: str, payload: dict) -> int:
    body = json.dumps({"event": event, "data": payload}, default=str).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Parcelhub-Signature": sign_payload(sub.secret, body),
    }
    resp = await get_client("webhooks").post(sub.url, content=body, headers=headers)
    return resp.status_code


RESET_URL = "https://merchant.parcelhub.example.com/reset?token={token}"


async def send_reset_email(to: str, token: str) -> None:
    msg = EmailMessage()
    msg["From"] = "no-reply@parcelhub.example.com"
    msg["To"] = to
    msg["Subject"] = "Reset your ParcelHub password"
    msg.set_content(
        "Someone asked to reset your password. If it was you, open:\n\n"
        + RESET_URL.format(token=token)
        + "\n\nThe link expires in 30 minutes."
    )
    try:
        await aiosmtplib.send(msg, hostname=_settings.smtp_host, port=_settings.smtp_port, timeout=10)
    except aiosmtplib.SMTPException:
        log.exception("reset email to user failed")
        raise
