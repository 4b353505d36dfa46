"""Internal back-office endpoints for PartsDepot staff."""
import jwt
from flask import g, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from ..auth.tokens import decode_access_token
from ..db import get_session
from ..models import Account
from ..repositories import AccountRepository
from ..schemas import AccountAdminSchema, PaginationArgs
from ..worker.queue import enqueue

blp = Blueprint("admin", __name__, url_prefix="/api/v1/admin", description="Back office")


@blp.before_request
def require_staff():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        abort(401, message="Missing bearer token.")
    try:
        claims = decode_access_token(token.strip())
    except jwt.PyJWTError:
        abort(401, message="Invalid or expired token.")
    if claims.get("role") != "staff":
        abort(403, message="Staff only.")
    g.user_id = int(claims["sub"])
    g.account_id = claims["acct"]
    g.role = claims["role"]


@blp.route("/accounts")
class AccountList(MethodView):
    @blp.arguments(PaginationArgs, location="query")
    @blp.response(200, AccountAdminSchema(many=True))
    def get(self, args):
        return AccountRepository(get_session()).list_all(args["page"], args["per_page"])


@blp.route("/accounts/<int:account_id>/suspend")
class AccountSuspend(MethodView):
    @blp.response(200, AccountAdminSchema)
    def post(self, account_id):
        session = get_session()
        account = session.get(Account, account_id)
        if account is None:
            abort(404, message="Account not found.")
        account.is_suspended = True
        session.commit()
        return account


@blp.route("/supplier-logins/<string:supplier_code>")
class SupplierLogin(MethodView):
    def put(self, supplier_code):
        body = request.get_json(silent=True) or {}
        if not body.get("username") or not body.get("password"):
            abort(400, message="username and password are required.")
        enqueue("partsdepot.worker.jobs.store_supplier_login", supplier_code, body["username"], body["password"])
        return {"queued": True}, 202
