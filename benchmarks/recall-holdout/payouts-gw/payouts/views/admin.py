from flask import Blueprint, current_app, jsonify, request
from flask.views import MethodView
from sqlalchemy import select, update

from ..auth import require_admin_token
from ..db import get_conn
from ..tables import merchants, payouts

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require_admin_token)


class FailedPayoutsAPI(MethodView):
    def get(self):
        limit = min(request.args.get("limit", 100, type=int), current_app.config["MAX_PAGE_SIZE"])
        before_id = request.args.get("before_id", type=int)
        stmt = select(payouts).where(payouts.c.status == "failed")
        if before_id:
            stmt = stmt.where(payouts.c.id < before_id)
        rows = get_conn().execute(stmt.order_by(payouts.c.id.desc()).limit(limit)).mappings()
        return jsonify([{k: str(v) for k, v in r.items()} for r in rows])


class MerchantStatusAPI(MethodView):
    def put(self, merchant_id: int):
        status = request.get_json(force=True).get("status")
        if status not in ("active", "suspended", "closed"):
            return jsonify({"error": "invalid status"}), 400
        get_conn().execute(update(merchants).where(merchants.c.id == merchant_id).values(status=status))
        return jsonify({"merchant_id": merchant_id, "status": status})


bp.add_url_rule("/payouts/failed", view_func=FailedPayoutsAPI.as_view("failed_payouts"))
bp.add_url_rule("/merchants/<int:merchant_id>/status", view_func=MerchantStatusAPI.as_view("merchant_status"))
