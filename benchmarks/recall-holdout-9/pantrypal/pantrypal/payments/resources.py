import logging

from flask import abort, current_app, request
from flask_jwt_extended import current_user
from flask_restful import Resource

from ..auth.decorators import active_user_required
from ..extensions import limiter
from . import service
from .client import verify_webhook

log = logging.getLogger(__name__)


class PayOrderResource(Resource):
    method_decorators = [active_user_required]

    def post(self, order_id):
        payment = service.pay_order(current_user, order_id)
        if payment is None:
            return {"status": "paid", "amount": "0.00"}, 201
        return {"status": payment.status, "amount": f"{payment.amount:.2f}"}, 201


class PaymentStatusResource(Resource):
    method_decorators = [active_user_required]

    def get(self, order_id):
        payment = service.latest_payment(current_user, order_id)
        if payment is None:
            abort(404)
        return {"status": payment.status, "amount": f"{payment.amount:.2f}", "currency": payment.currency}


class PayGateWebhookResource(Resource):
    decorators = [limiter.exempt]

    def post(self):
        raw = request.get_data(cache=True)
        header = request.headers.get("PayGate-Signature", "")
        if not verify_webhook(raw, header, current_app.config["PAYGATE_WEBHOOK_SECRET"]):
            abort(400, description="bad signature")
        event = request.get_json(force=True)
        service.handle_event(event)
        return {"received": True}
