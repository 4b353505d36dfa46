from flask import Blueprint
from flask_restful import Api

bp = Blueprint("payments", __name__)
api = Api(bp)

from . import resources  # noqa: E402

api.add_resource(resources.PayOrderResource, "/orders/<int:order_id>/pay")
api.add_resource(resources.PaymentStatusResource, "/orders/<int:order_id>/payment")
api.add_resource(resources.PayGateWebhookResource, "/payments/webhook")
