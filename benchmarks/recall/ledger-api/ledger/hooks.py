"""Inbound webhooks from the payout PSP."""
import hashlib
import hmac
import os

from flask import Blueprint, abort, jsonify, request

from .tasks import reverse_payout

hooks_bp = Blueprint("hooks", __name__, url_prefix="/hooks")


def _verify_signature():
    secret = os.environ["PAYOUT_WEBHOOK_SECRET"].encode()
    expected = hmac.new(secret, request.get_data(), hashlib.sha256).hexdigest()
    received = request.headers.get("X-Psp-Signature", "")
    if not hmac.compare_digest(expected, received):
        abort(401)


@hooks_bp.post("/payout-status")
def payout_status():
    _verify_signature()
    event = request.get_json(force=True)
    if event.get("type") == "payout.returned":
        reference = event["data"]["reference"]
        payout_id = int(reference.rsplit("-", 1)[-1])
        reverse_payout.delay(payout_id, event["data"].get("reason", "returned by bank"))
    return jsonify(received=True)
