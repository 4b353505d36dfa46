import csv
import hashlib
import io

from flask import Blueprint, abort, current_app, g, jsonify, make_response, request
from flask.views import MethodView

from .. import repo, services
from ..auth import authenticate_api_key, owned_or_404
from ..db import get_conn, get_engine
from ..tables import bank_events, merchants
from sqlalchemy import select

bp = Blueprint("api", __name__, url_prefix="/v1")
bp.before_request(authenticate_api_key)


def _serialize(p: dict, beneficiary: dict | None = None) -> dict:
    out = {
        "id": p["id"],
        "merchant_ref": p["merchant_ref"],
        "amount": str(p["amount"]),
        "fee": str(p["fee"]),
        "currency": p["currency"],
        "status": p["status"],
        "created_at": p["created_at"].isoformat() if p.get("created_at") else None,
    }
    if beneficiary is not None:
        out["beneficiary"] = {"id": beneficiary["id"], "name": beneficiary["name"]}
    return out


class PayoutListAPI(MethodView):
    def get(self):
        cfg = current_app.config
        limit = min(request.args.get("limit", cfg["DEFAULT_PAGE_SIZE"], type=int), cfg["MAX_PAGE_SIZE"])
        offset = max(request.args.get("offset", 0, type=int), 0)
        conn = get_conn()
        rows = repo.list_payouts(
            conn, g.merchant["id"], request.args.get("status"), request.args.get("sort", "newest"), limit, offset
        )
        items = []
        for p in rows:
            items.append(_serialize(p, repo.get_beneficiary(conn, p["beneficiary_id"])))
        return jsonify({"items": items, "limit": limit, "offset": offset})

    def post(self):
        payload = request.get_json(force=True)
        for field in ("beneficiary_id", "amount", "merchant_ref"):
            if field not in payload:
                abort(400, f"{field} is required")
        beneficiary = repo.get_beneficiary(get_conn(), int(payload["beneficiary_id"]))
        if beneficiary is None or beneficiary["merchant_id"] != g.merchant["id"]:
            abort(404)
        try:
            payout_id = services.create_payout(g.merchant, payload, current_app.extensions["rq_queue"])
        except repo.InsufficientFunds:
            return jsonify({"error": "insufficient_funds"}), 402
        except services.ValidationError as exc:
            return jsonify({"error": str(exc)}), 422
        return jsonify({"id": payout_id, "status": "pending"}), 201


class PayoutAPI(MethodView):
    def get(self, payout_id: int):
        payout = repo.get_payout(get_conn(), payout_id)
        if payout is None:
            abort(404)
        return jsonify(_serialize(payout))


class PayoutEventsAPI(MethodView):
    def get(self, payout_id: int):
        conn = get_conn()
        payout = owned_or_404(repo.get_payout(conn, payout_id))
        events = conn.execute(
            select(bank_events.c.event_id, bank_events.c.type, bank_events.c.received_at)
            .where(bank_events.c.payout_id == payout["id"])
            .order_by(bank_events.c.received_at)
        ).mappings()
        return jsonify(
            {
                "payout": _serialize(payout),
                "events": [{"type": e["type"], "at": e["received_at"].isoformat()} for e in events],
            }
        )


class BalanceAPI(MethodView):
    def get(self):
        return jsonify(repo.balances_summary(get_conn(), g.merchant["id"]))


class PayoutSearchAPI(MethodView):
    def get(self):
        ref = request.args.get("ref", "")
        if len(ref) < 3:
            abort(400, "ref must be at least 3 characters")
        return jsonify({"items": repo.search_payouts(get_conn(), g.merchant["id"], ref)})


class FeeQuoteAPI(MethodView):
    def get(self):
        return jsonify(services.quote_fee(g.merchant, request.args.get("amount", "0")))


class MerchantSettingsAPI(MethodView):
    def put(self):
        changes = request.get_json(force=True) or {}
        unknown = set(changes) - set(merchants.c.keys())
        if unknown:
            abort(400, f"unknown fields: {', '.join(sorted(unknown))}")
        repo.update_merchant(get_conn(), g.merchant["id"], changes)
        return "", 204


class MerchantLimitsAPI(MethodView):
    def post(self, merchant_id: int):
        body = request.get_json(force=True)
        repo.update_merchant(get_conn(), merchant_id, {"daily_limit": body["daily_limit"]})
        return jsonify({"merchant_id": merchant_id, "daily_limit": str(body["daily_limit"])})


class StatementAPI(MethodView):
    def get(self):
        raw = get_engine().raw_connection()
        try:
            cur = raw.cursor()
            cur.execute(
                "SELECT id, merchant_ref, amount, fee, currency, status, created_at FROM payouts "
                "WHERE merchant_id = %s AND created_at >= now() - interval '31 days' ORDER BY id",
                (g.merchant["id"],),
            )
            buf = io.StringIO()
            writer = csv.writer(buf)
            writer.writerow([d[0] for d in cur.description])
            writer.writerows(cur.fetchall())
        finally:
            raw.close()
        body = buf.getvalue()
        etag = hashlib.sha1(body.encode()).hexdigest()
        if request.if_none_match.contains(etag):
            return "", 304
        resp = make_response(body)
        resp.headers["Content-Type"] = "text/csv"
        resp.set_etag(etag)
        return resp


bp.add_url_rule("/payouts", view_func=PayoutListAPI.as_view("payouts"))
bp.add_url_rule("/payouts/search", view_func=PayoutSearchAPI.as_view("payout_search"))
bp.add_url_rule("/payouts/<int:payout_id>", view_func=PayoutAPI.as_view("payout"))
bp.add_url_rule("/payouts/<int:payout_id>/events", view_func=PayoutEventsAPI.as_view("payout_events"))
bp.add_url_rule("/balances", view_func=BalanceAPI.as_view("balances"))
bp.add_url_rule("/fees/quote", view_func=FeeQuoteAPI.as_view("fee_quote"))
bp.add_url_rule("/merchant/settings", view_func=MerchantSettingsAPI.as_view("merchant_settings"))
bp.add_url_rule("/merchants/<int:merchant_id>/limits", view_func=MerchantLimitsAPI.as_view("merchant_limits"))
bp.add_url_rule("/statements/current.csv", view_func=StatementAPI.as_view("statement"))
