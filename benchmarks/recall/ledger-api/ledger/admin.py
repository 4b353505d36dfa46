"""Back-office endpoints for ledger operators."""
from datetime import datetime, timedelta, timezone

from flask import Blueprint, jsonify, request

from .auth import ensure_ledger_admin
from .extensions import db
from .repository import LedgerRepository

admin_bp = Blueprint("ledger_admin", __name__, url_prefix="/admin")


@admin_bp.before_request
def _require_operator():
    ensure_ledger_admin()


@admin_bp.get("/users")
def list_users():
    offset = max(request.args.get("offset", 0, type=int), 0)
    limit = min(max(request.args.get("limit", 50, type=int), 1), 200)
    users = LedgerRepository().list_users(offset, limit)
    return jsonify(users=[u.public_dict() for u in users], offset=offset, limit=limit)


@admin_bp.post("/accounts/<int:account_id>/freeze")
def freeze_account(account_id):
    repo = LedgerRepository()
    account = repo.get_account(account_id)
    if account is None:
        return jsonify(message="not found"), 404
    account.status = "frozen"
    db.session.commit()
    return jsonify(account.to_dict())


@admin_bp.get("/reports/balances")
def balances_report():
    rows = LedgerRepository().balance_totals_by_currency()
    return jsonify(
        totals=[{"currency": c, "balance": str(total), "accounts": n} for c, total, n in rows]
    )


@admin_bp.get("/reports/entries-per-day")
def entries_per_day():
    days = min(request.args.get("days", 30, type=int), 366)
    since = datetime.now(timezone.utc) - timedelta(days=days)
    rows = LedgerRepository().entry_counts_by_day(since)
    return jsonify(days=[{"day": d.date().isoformat(), "entries": n} for d, n in rows])
