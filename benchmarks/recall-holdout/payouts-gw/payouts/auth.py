import hashlib
import hmac
from functools import wraps

from flask import abort, current_app, g, request, session

from . import repo
from .db import get_conn


def authenticate_api_key() -> None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Key "):
        abort(401)
    key_hash = hashlib.sha256(header[4:].strip().encode()).hexdigest()
    merchant = repo.merchant_by_key_hash(get_conn(), key_hash)
    if merchant is None:
        abort(401)
    g.merchant = merchant


def require_admin_token() -> None:
    expected = current_app.config.get("ADMIN_API_TOKEN")
    supplied = request.headers.get("X-Admin-Token", "")
    if not expected or not hmac.compare_digest(supplied, expected):
        abort(403)


def dashboard_login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        merchant_id = session.get("merchant_id")
        if merchant_id is None:
            abort(401)
        g.dashboard_merchant_id = merchant_id
        return view(*args, **kwargs)

    return wrapped


def owned_or_404(row: dict | None) -> dict:
    if row is None or row["merchant_id"] != g.merchant["id"]:
        abort(404)
    return row
