import hashlib
import hmac
from datetime import datetime

from flask import Blueprint, current_app, g, jsonify, request

from ..auth import device_token_required
from ..db import request_session
from ..jobs import enqueue_position_sync
from ..models import Position

bp = Blueprint("telemetry", __name__, url_prefix="/telemetry")

MAX_BATCH = 500


def _valid_signature(raw: bytes, signature: str) -> bool:
    secret = current_app.config["TELEMATICS_WEBHOOK_SECRET"].encode()
    if not secret:
        return False
    expected = hmac.new(secret, raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


@bp.post("/webhook")
def provider_webhook():
    if not _valid_signature(request.get_data(), request.headers.get("X-Trakbox-Signature", "")):
        return jsonify(error="bad signature"), 401
    event = request.get_json(force=True)
    if event.get("type") == "device.backlog_ready":
        enqueue_position_sync(event["device_serial"])
    return "", 204


@bp.post("/positions")
@device_token_required
def push_positions():
    points = (request.get_json(force=True) or {}).get("points", [])[:MAX_BATCH]
    session = request_session()
    session.add_all(
        Position(
            vehicle_id=g.device_vehicle_id,
            recorded_at=datetime.fromisoformat(p["at"]),
            lat=float(p["lat"]),
            lon=float(p["lon"]),
            speed_kph=float(p.get("speed", 0.0)),
        )
        for p in points
    )
    session.commit()
    return jsonify(accepted=len(points))
