import hashlib
import hmac
import json
import logging

from aiohttp import web

log = logging.getLogger(__name__)
routes = web.RouteTableDef()


def _valid_signature(secret: str, body: bytes, header: str) -> bool:
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header)


@routes.post("/webhooks/payments")
async def payments_webhook(request: web.Request) -> web.Response:
    raw = await request.read()
    signature = request.headers.get("X-Signature", "")
    if not _valid_signature(request.app["settings"].payments_webhook_secret, raw, signature):
        raise web.HTTPUnauthorized(reason="bad signature")

    event = json.loads(raw)
    if event.get("type") == "charge.refunded":
        async with request.app["pool"].acquire() as conn:
            await conn.execute(
                "UPDATE refunds SET status = 'settled', settled_at = now() WHERE gateway_refund_id = $1",
                event["data"]["refund_id"],
            )
    log.info("payments webhook %s handled", event.get("id"))
    return web.Response(status=204)
