"""Inbound webhooks from the partner lab (results ready, order status)."""
import hashlib
import hmac
import json
import logging

from aiohttp import web

from labdesk.services.results import ResultService

log = logging.getLogger(__name__)
routes = web.RouteTableDef()

SIGNATURE_HEADER = "X-Partner-Signature"
MAX_WEBHOOK_BYTES = 2 * 1024 * 1024


def _expected_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@routes.post("/webhooks/partner")
async def partner_webhook(request: web.Request) -> web.Response:
    if request.content_length is not None and request.content_length > MAX_WEBHOOK_BYTES:
        raise web.HTTPRequestEntityTooLarge(MAX_WEBHOOK_BYTES, request.content_length)
    body = await request.read()
    sent = request.headers.get(SIGNATURE_HEADER, "")
    expected = _expected_signature(request.app["settings"].partner_webhook_secret, body)
    if not hmac.compare_digest(sent, expected):
        raise web.HTTPUnauthorized(reason="bad signature")

    try:
        payload = json.loads(body)
    except ValueError:
        raise web.HTTPBadRequest(reason="body must be JSON")

    if payload.get("type") != "results.ready":
        return web.json_response({"ignored": payload.get("type")})

    service = ResultService.from_app(request.app)
    stored = await service.ingest_partner_batch(payload)
    log.info("partner webhook %s stored %d results", payload.get("delivery_id"), stored)
    return web.json_response({"stored": stored})
