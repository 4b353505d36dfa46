"""Account read endpoints."""
import hashlib
import json
import logging

from flask import current_app, g, request
from flask_restful import Resource, abort

from ..auth import ledger_session_required
from ..clients import FxUnavailable, fx_client
from ..repository import LedgerRepository

log = logging.getLogger(__name__)

ACTIVITY_KINDS = ("entries", "transfers", "payouts")


def _owned_account(repo, account_id):
    account = repo.get_account(account_id)
    if account is None or account.owner_id != g.user_id:
        abort(404)
    return account


class AccountResource(Resource):
    method_decorators = [ledger_session_required]

    def get(self, account_id):
        repo = LedgerRepository()
        account = repo.get_account(account_id)
        if account is None:
            abort(404)
        body = account.to_dict()

        home_currency = request.args.get("display_currency")
        if home_currency:
            fx = fx_client(current_app.config["FX_SERVICE_URL"])
            try:
                body["display_balance"] = str(
                    fx.convert(account.balance, account.currency, home_currency.upper())
                )
            except FxUnavailable:
                log.warning("fx service unavailable; omitting display balance")
                body["display_balance"] = None
        return body


class AccountEntries(Resource):
    method_decorators = [ledger_session_required]

    def get(self, account_id):
        repo = LedgerRepository()
        account = _owned_account(repo, account_id)
        entries = [e.to_dict() for e in repo.entries_for_account(account)]
        payload = {"account_id": account.id, "entries": entries}

        etag = hashlib.sha1(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        if request.if_none_match and etag in request.if_none_match:
            return "", 304
        return payload, 200, {"ETag": f'"{etag}"', "Cache-Control": "private, max-age=0"}


class AccountSearch(Resource):
    method_decorators = [ledger_session_required]

    def get(self, account_id):
        repo = LedgerRepository()
        account = _owned_account(repo, account_id)
        term = request.args.get("q", "").strip()
        if not term:
            return {"results": []}
        limit = min(request.args.get("limit", 20, type=int), 100)
        return {"results": repo.search_entries(account.id, term, limit)}


class AccountActivity(Resource):
    method_decorators = [ledger_session_required]

    def get(self, account_id):
        repo = LedgerRepository()
        account = _owned_account(repo, account_id)
        counts = {}
        for kind in ACTIVITY_KINDS:
            counts[kind] = repo.activity_count(kind, account.id)
        return {"account_id": account.id, "counts": counts}
