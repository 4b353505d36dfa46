from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask.views import MethodView
from redis import Redis
from werkzeug.security import check_password_hash

from .. import repo
from ..auth import dashboard_login_required
from ..crypto import encrypt_account, mask_iban
from ..db import get_conn

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard", template_folder="templates")

LOGIN_WINDOW_S = 900
LOGIN_MAX_ATTEMPTS = 5


def _redis() -> Redis:
    return current_app.extensions["redis"]


class LoginView(MethodView):
    def get(self):
        return render_template("login.html")

    def post(self):
        email = request.form.get("email", "").strip().lower()
        key = f"login-attempts:{email}:{request.remote_addr}"
        attempts = _redis().incr(key)
        if attempts == 1:
            _redis().expire(key, LOGIN_WINDOW_S)
        if attempts > LOGIN_MAX_ATTEMPTS:
            return render_template("login.html", error="Too many attempts, try again later."), 429
        merchant = repo.merchant_by_email(get_conn(), email)
        if merchant is None or not check_password_hash(
            merchant["dashboard_password_hash"] or "", request.form.get("password", "")
        ):
            return render_template("login.html", error="Invalid email or password."), 401
        _redis().delete(key)
        session.clear()
        session["merchant_id"] = merchant["id"]
        return redirect(url_for("dashboard.payout_account"))


class PayoutAccountView(MethodView):
    decorators = [dashboard_login_required]

    def get(self):
        return render_template("payout_account.html")

    def post(self):
        iban = request.form["iban"].replace(" ", "").upper()
        if not (15 <= len(iban) <= 34 and iban[:2].isalpha()):
            return render_template("payout_account.html", error="Invalid IBAN"), 400
        repo.update_merchant(
            get_conn(), g.dashboard_merchant_id, {"payout_account_enc": encrypt_account(iban)}
        )
        return render_template("payout_account.html", saved=mask_iban(iban))


bp.add_url_rule("/login", view_func=LoginView.as_view("login"))
bp.add_url_rule("/payout-account", view_func=PayoutAccountView.as_view("payout_account"))
