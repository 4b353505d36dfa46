import os

from flask import current_app, g, send_from_directory
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from werkzeug.utils import secure_filename

from ..auth.tokens import account_required
from ..db import get_session
from ..repositories import OrderRepository, PartRepository
from ..schemas import LabelRequestSchema, OrderCreateSchema, OrderListArgs, OrderSchema, OrderSummarySchema
from ..services.labels import print_label
from ..services.ordering import OrderingService

blp = Blueprint("orders", __name__, url_prefix="/api/v1/orders", description="Orders")


def _service():
    session = get_session()
    return OrderingService(session, OrderRepository(session), PartRepository(session))


@blp.route("/")
class OrderList(MethodView):
    decorators = [account_required()]

    @blp.arguments(OrderListArgs, location="query")
    @blp.response(200, OrderSummarySchema(many=True))
    def get(self, args):
        items, total = OrderRepository(get_session()).list_for_account(
            g.account_id, status=args.get("status"), sort=args["sort"], page=args["page"], per_page=args["per_page"]
        )
        return items, {"X-Total-Count": str(total)}

    @blp.arguments(OrderCreateSchema)
    @blp.response(201, OrderSchema)
    def post(self, payload):
        if g.role not in ("buyer", "account_admin"):
            abort(403, message="Only buyers can place orders.")
        return _service().place_order(g.account_id, g.user_id, payload)


@blp.route("/<int:order_id>")
class OrderDetail(MethodView):
    decorators = [account_required()]

    @blp.response(200, OrderSchema)
    def get(self, order_id):
        order = OrderRepository(get_session()).get(order_id)
        if order is None:
            abort(404, message="Order not found.")
        return order


@blp.route("/<int:order_id>/cancel")
class OrderCancel(MethodView):
    decorators = [account_required(roles=("buyer", "account_admin"))]

    @blp.response(200, OrderSchema)
    def post(self, order_id):
        repo = OrderRepository(get_session())
        order = repo.get_for_account(order_id, g.account_id)
        if order is None:
            abort(404, message="Order not found.")
        return _service().cancel_order(order)


@blp.route("/<int:order_id>/label")
class OrderLabel(MethodView):
    """Warehouse staff print the shipping label when an order is packed."""

    decorators = [account_required(roles=("warehouse", "staff"))]

    @blp.arguments(LabelRequestSchema)
    def post(self, payload, order_id):
        session = get_session()
        order = OrderRepository(session).get(order_id)
        if order is None:
            abort(404, message="Order not found.")
        order.tracking_number = print_label(order, payload["printer"], payload["copies"])
        session.commit()
        return {"tracking_number": order.tracking_number}


@blp.route("/<int:order_id>/attachments/<string:name>")
class OrderAttachment(MethodView):
    decorators = [account_required()]

    def get(self, order_id, name):
        order = OrderRepository(get_session()).get_for_account(order_id, g.account_id)
        if order is None:
            abort(404, message="Order not found.")
        directory = os.path.join(current_app.config["ATTACHMENT_DIR"], str(order.id))
        return send_from_directory(directory, secure_filename(name), as_attachment=True)


@blp.route("/spend")
class MonthlySpend(MethodView):
    decorators = [account_required(roles=("account_admin",))]

    def get(self):
        return {"months": OrderRepository(get_session()).monthly_spend(g.account_id)}
