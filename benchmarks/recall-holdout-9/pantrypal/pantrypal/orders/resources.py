from flask import abort, request
from flask_jwt_extended import current_user
from flask_restful import Resource
from marshmallow import ValidationError

from ..auth.decorators import active_user_required, store_staff_required
from ..common.pagination import paginate
from ..schemas import checkout_schema
from . import serializers, service


class CheckoutResource(Resource):
    method_decorators = [active_user_required]

    def get(self):
        return paginate(service.orders_for_customer(current_user), serializers.order_detail)

    def post(self):
        try:
            data = checkout_schema.load(request.get_json() or {})
        except ValidationError as err:
            abort(422, description=err.messages)
        order = service.place_order(current_user, data)
        return serializers.order_detail(order), 201


class OrderResource(Resource):
    method_decorators = [active_user_required]

    def get(self, order_id):
        return serializers.order_detail(service.get_order_for_customer(current_user, order_id))


class OrderReceiptResource(Resource):
    method_decorators = [active_user_required]

    def get(self, order_id):
        return service.build_receipt(order_id)


class OrderCancelResource(Resource):
    method_decorators = [active_user_required]

    def post(self, order_id):
        order = service.cancel_order(current_user, order_id)
        return serializers.order_summary(order)


class StoreOrdersResource(Resource):
    method_decorators = [store_staff_required]

    def get(self, store_id):
        orders = service.orders_for_store(store_id, request.args.get("status"))
        return {"items": [serializers.staff_order_row(o) for o in orders]}


class StoreOrderStatusResource(Resource):
    method_decorators = [store_staff_required]

    def patch(self, store_id, order_id):
        new_status = (request.get_json() or {}).get("status")
        order = service.change_status(store_id, order_id, new_status)
        return serializers.order_summary(order)


class PickupResource(Resource):
    method_decorators = [store_staff_required]

    def post(self, store_id):
        code = (request.get_json() or {}).get("code", "")
        order = service.collect(store_id, code)
        return serializers.order_summary(order)
