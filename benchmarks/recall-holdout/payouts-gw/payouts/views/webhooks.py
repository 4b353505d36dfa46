import hashlib
import hmac
import logging

from flask import Blueprint, abort, current_app, request
from flask.views import MethodView

from .. import repo
from ..db import get_conn

log = logging.getLogger(__name__)

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")

STATUS_BY_EVENT = {
    "transfer.settled": "settled",
    "transfer.returned": "returned",
    "transfer.rejected": "failed",
}


class BankWebhookView(MethodView):
    def post(self):
        secret = current_app.config["BANK_WEBHOOK_SECRET"].encode()
        expected = hmac.new(secret, request.get_data(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, request.headers.get("X-Bank-Signature", "")):
            abort(401)
        event = request.get_json()
        new_status = STATUS_BY_EVENT.get(event["type"])
        if new_status is None:
            return "", 204
        conn = get_conn()
        payout_id = int(event["data"]["end_to_end_id"].removeprefix("PGW"))
        if not repo.record_bank_event(conn, event["id"], payout_id, event["type"]):
            return "", 200
        repo.set_payout_status(conn, payout_id, new_status)
        log.info("payout %s -> %s (%s)", payout_id, new_status, event["id"])
        return "", 204


bp.add_url_rule("/bank", view_func=BankWebhookView.as_view("bank"))
