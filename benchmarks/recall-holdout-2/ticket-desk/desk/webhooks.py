"""Inbound webhooks. Authenticated by signature, not by session (see middleware.EXEMPT_PATHS)."""
import hashlib
import hmac
import json
import logging
import re
import time

from aiohttp import web

from . import billing
from .errors import json_error
from .security import signature_matches

log = logging.getLogger(__name__)

REPLY_ADDRESS = re.compile(r"^support\+(\d+)@", re.IGNORECASE)
BILLING_TOLERANCE_SECONDS = 300


async def inbound_email(request: web.Request) -> web.Response:
    body = await request.read()
    settings = request.app["settings"]
    if not signature_matches(settings.inbound_email_secret, body, request.headers.get("X-Mail-Signature")):
        raise json_error(401, "bad signature")

    msg = json.loads(body)
    match = REPLY_ADDRESS.match(msg.get("to", ""))
    if not match:
        return web.json_response({"status": "ignored"}, status=202)
    ticket_id = int(match.group(1))
    sender = msg.get("from", "").strip().lower()

    pool = request.app["db"]
    author_id = await pool.fetchval(
        "SELECT u.id FROM tickets t JOIN users u ON u.org_id = t.org_id "
        "WHERE t.id = $1 AND u.email = $2 AND u.is_active "
        "AND (u.id = t.requester_id OR u.role IN ('agent', 'admin'))",
        ticket_id, sender,
    )
    if author_id is None:
        log.info("inbound mail for ticket %s from unknown sender dropped", ticket_id)
        return web.json_response({"status": "ignored"}, status=202)

    await pool.execute(
        "INSERT INTO comments (ticket_id, author_id, body, message_id) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (message_id) DO NOTHING",
        ticket_id, author_id, msg.get("text", "")[:50_000], msg["message_id"],
    )
    return web.json_response({"status": "ok"})


def _billing_signature_ok(secret: str, body: bytes, header: str | None) -> bool:
    try:
        parts = dict(item.split("=", 1) for item in (header or "").split(","))
        timestamp, signature = parts["t"], parts["v1"]
        if abs(time.time() - int(timestamp)) > BILLING_TOLERANCE_SECONDS:
            return False
    except (KeyError, ValueError):
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return signature == expected


async def billing_event(request: web.Request) -> web.Response:
    body = await request.read()
    secret = request.app["settings"].billing_webhook_secret
    if not _billing_signature_ok(secret, body, request.headers.get("Billing-Signature")):
        raise json_error(400, "invalid signature")

    event = json.loads(body)
    if event.get("type") != "checkout.completed":
        return web.json_response({"received": True})

    session = event["data"]["object"]
    org_id = int(session["metadata"]["org_id"])
    credits = int(session["metadata"]["credits"])
    async with request.app["db"].acquire() as conn:
        async with conn.transaction():
            await billing.record_purchase(conn, org_id, session["id"], int(session["amount_total"]), credits)
    log.info("org %s bought %s support credits", org_id, credits)
    return web.json_response({"received": True})


def setup_routes(app: web.Application) -> None:
    app.router.add_post("/webhooks/inbound-email", inbound_email)
    app.router.add_post("/webhooks/billing", billing_event)
