from flask import Blueprint
from flask_restful import Api

bp = Blueprint("orders", __name__)
api = Api(bp)

from . import resources  # noqa: E402

api.add_resource(resources.CheckoutResource, "/orders")
api.add_resource(resources.OrderResource, "/orders/<int:order_id>")
api.add_resource(resources.OrderReceiptResource, "/orders/<int:order_id>/receipt")
api.add_resource(resources.OrderCancelResource, "/orders/<int:order_id>/cancel")
api.add_resource(resources.StoreOrdersResource, "/stores/<int:store_id>/orders")
api.add_resource(resources.StoreOrderStatusResource, "/stores/<int:store_id>/orders/<int:order_id>/status")
api.add_resource(resources.PickupResource, "/stores/<int:store_id>/pickup")
