"""Transfers between ledger accounts and payouts to external bank accounts."""
import logging
from decimal import Decimal, InvalidOperation

from flask import current_app, g, request
from flask_restful import Resource, abort
from sqlalchemy.exc import IntegrityError

from ..auth import ledger_session_required
from ..clients import FxUnavailable, fx_client
from ..repository import InsufficientFunds, LedgerRepository
from ..tasks import settle_payout

log = logging.getLogger(__name__)


def _parse_amount(raw):
    try:
        amount = Decimal(str(raw)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError):
        abort(400, message="amount must be a decimal string")
    if amount <= 0:
        abort(400, message="amount must be positive")
    return amount


class TransferList(Resource):
    method_decorators = [ledger_session_required]

    def get(self, account_id):
        repo = LedgerRepository()
        account = repo.get_account(account_id)
        if account is None or account.owner_id != g.user_id:
            abort(404)

        limit = current_app.config["STATEMENT_PAGE_SIZE"]
        items = []
        for transfer in repo.recent_transfers(account.id, limit):
            counterparty = transfer.destination
            items.append(
                {
                    "id": transfer.id,
                    "amount": str(transfer.amount),
                    "status": transfer.status,
                    "to_account": counterparty.id,
                    "to_name": counterparty.owner.full_name,
                    "created_at": transfer.created_at.isoformat(),
                }
            )
        return {"transfers": items}

    def post(self, account_id):
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or len(key) > 64:
            abort(400, message="Idempotency-Key header is required")

        repo = LedgerRepository()
        existing = repo.find_transfer_by_key(g.user_id, key)
        if existing is not None:
            return {"id": existing.id, "status": existing.status}, 200

        source = repo.get_account(account_id)
        if source is None or source.owner_id != g.user_id:
            abort(404)
        body = request.get_json(silent=True) or {}
        dest = repo.get_account(body.get("to_account_id"))
        if dest is None or dest.status != "active":
            abort(422, message="destination account not found")

        amount = _parse_amount(body.get("amount"))
        try:
            converted = fx_client(current_app.config["FX_SERVICE_URL"]).convert(
                amount, source.currency, dest.currency
            )
        except FxUnavailable:
            abort(503, message="currency conversion unavailable, try again later")
        dest_amount = Decimal(str(converted))

        try:
            transfer = repo.create_transfer(
                g.user_id, source, dest, amount, dest_amount, key, body.get("memo", "")[:140]
            )
        except InsufficientFunds:
            abort(409, message="insufficient funds")
        except IntegrityError:
            repo.session.rollback()
            existing = repo.find_transfer_by_key(g.user_id, key)
            return {"id": existing.id, "status": existing.status}, 200
        return {"id": transfer.id, "status": transfer.status}, 201


class PayoutList(Resource):
    method_decorators = [ledger_session_required]

    def post(self, account_id):
        repo = LedgerRepository()
        account = repo.get_account(account_id)
        if account is None or account.owner_id != g.user_id:
            abort(404)

        body = request.get_json(silent=True) or {}
        amount = _parse_amount(body.get("amount"))
        iban = (body.get("iban") or "").replace(" ", "").upper()
        if not 15 <= len(iban) <= 34:
            abort(400, message="invalid IBAN")

        try:
            payout = repo.reserve_payout(account, amount, iban)
        except InsufficientFunds:
            abort(409, message="insufficient funds")
        settle_payout.delay(payout.id)
        log.info("payout %s queued for account %s", payout.id, account.id)
        return payout.to_dict(), 202
