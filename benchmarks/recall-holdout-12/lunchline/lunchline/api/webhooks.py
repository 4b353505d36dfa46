import hashlib
import hmac
import logging
import time

from flask import request
from werkzeug.exceptions import Unauthorized

from lunchline import settings
from lunchline.db import session
from lunchline.services.wallet import WalletService

log = logging.getLogger(__name__)

TOLERANCE_SECONDS = 300
STATUS_MAP = {"charge.succeeded": "succeeded", "charge.failed": "failed"}


def _verify(raw, header):
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        ts, signature = int(parts["t"]), parts["v1"]
    except (KeyError, ValueError):
        raise Unauthorized("malformed signature")
    if abs(time.time() - ts) > TOLERANCE_SECONDS:
        raise Unauthorized("stale signature")
    expected = hmac.new(settings.PAYRAIL_WEBHOOK_SECRET.encode(), f"{ts}.".encode() + raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise Unauthorized("bad signature")


def payrail_webhook(body):
    _verify(request.get_data(cache=True), request.headers.get("PayRail-Signature", ""))
    status = STATUS_MAP.get(body.get("type"))
    if status is None:
        return {"ignored": body.get("type")}, 200
    payment = WalletService(session).apply_payment_webhook(body["data"]["id"], status)
    log.info("payrail event %s applied to payment %s", body.get("id"), payment.id)
    return {"received": True}, 200
