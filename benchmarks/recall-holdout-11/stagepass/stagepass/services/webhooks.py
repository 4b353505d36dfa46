import hashlib
import hmac
import json
import logging
import time

from stagepass.repositories import OrderRepository
from stagepass.services import InvalidInput
from stagepass.services.orders import issue_tickets

log = logging.getLogger(__name__)

TOLERANCE_SECONDS = 300


class PayGateWebhookService:
    def __init__(self, db, settings):
        self.db = db
        self.secret = settings.paygate_webhook_secret.encode("utf-8")

    def verify(self, raw_body, signature_header):
        parts = dict(
            item.split("=", 1) for item in (signature_header or "").split(",") if "=" in item
        )
        try:
            timestamp = int(parts.get("t", ""))
        except ValueError:
            return False
        if abs(time.time() - timestamp) > TOLERANCE_SECONDS:
            return False
        expected = hmac.new(self.secret, f"{timestamp}.".encode() + raw_body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, parts.get("v1", ""))

    def handle(self, raw_body):
        try:
            event = json.loads(raw_body)
            kind, charge_id = event["type"], event["data"]["charge"]
        except (ValueError, KeyError, TypeError):
            raise InvalidInput("Malformed event")
        if kind != "charge.succeeded":
            return "ignored"
        with self.db.transaction() as conn:
            orders = OrderRepository(conn)
            order = orders.lock_by_charge(charge_id)
            if order is None:
                log.warning("charge %s does not belong to any order", charge_id)
                return "unknown"
            if orders.mark_paid(order["id"]) is None:
                return "duplicate"
            issue_tickets(conn, order)
        return "processed"
