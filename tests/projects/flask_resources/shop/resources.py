from flask import jsonify, request
from flask.views import MethodView
from flask_restful import Resource

from shop.auth import cached, login_required, token_required


def health():
    return jsonify({"status": "ok"})


def resource_payload(order):
    """A helper with a route-like name: never an endpoint."""
    return {"id": order.id}


class OrderList(Resource):
    method_decorators = [token_required]

    def get(self):
        return jsonify([])

    def post(self):
        return jsonify(request.get_json()), 201


class OrderItem(Resource):
    @cached
    def get(self, order_id):
        return jsonify({"id": order_id})

    def delete(self, order_id):
        return "", 204

    def describe(self):
        return "not a verb: not an endpoint"


class ReportView(MethodView):
    decorators = [login_required]

    def get(self):
        return jsonify([])

    def post(self):
        return jsonify(request.get_json()), 201


class OrderStatus(Resource):
    def post(self, order_id):
        return jsonify({"id": order_id, "status": request.get_json()["status"]})


class Register(Resource):
    def post(self):
        data = request.get_json()
        if not data.get("invite_token"):
            return {"error": "an invitation is required"}, 403
        return {"id": 1}, 201
