"""Feeds pulled by the nightly ERP/BI exporter (service account tokens)."""
from datetime import datetime

import jwt
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..db import get_session
from ..models import Order, OrderLine
from ..schemas import OrderSchema

blp = Blueprint("exports", __name__, url_prefix="/api/v1/exports", description="Service exports")

EXPORT_PAGE_SIZE = 1000


def _service_claims():
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        abort(401, message="Missing bearer token.")
    token = header[len("Bearer "):]
    claims = jwt.decode(token, options={"verify_signature": False}, algorithms=["HS256", "RS256"])
    if claims.get("scope") != "exports:read":
        abort(403, message="Token lacks exports:read.")
    return claims


@blp.route("/orders")
class OrdersExport(MethodView):
    @blp.response(200, OrderSchema(many=True))
    def get(self):
        _service_claims()
        try:
            since = datetime.fromisoformat(request.args["since"])
        except (KeyError, ValueError):
            abort(400, message="since must be an ISO timestamp.")
        after_id = request.args.get("after_id", 0, type=int)
        return get_session().scalars(
            select(Order)
            .where(Order.created_at >= since, Order.id > after_id)
            .options(selectinload(Order.lines).selectinload(OrderLine.part))
            .order_by(Order.id)
            .limit(EXPORT_PAGE_SIZE)
        ).all()
