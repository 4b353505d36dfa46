from decimal import Decimal, InvalidOperation

from flask import abort, request
from flask_jwt_extended import current_user, jwt_required
from flask_restful import Resource
from marshmallow import ValidationError
from sqlalchemy import func

from ..auth.decorators import roles_required
from ..common.pagination import paginate
from ..extensions import db
from ..models import AuditLog, Order, Store, User
from ..payments import service as payment_service
from ..schemas import refund_schema, user_out

ASSIGNABLE_ROLES = ("customer", "staff", "admin")
DASHBOARD_STATUSES = ("pending", "paid", "preparing", "ready")


class AdminUsersResource(Resource):
    method_decorators = [roles_required("admin")]

    def get(self):
        query = User.query.order_by(User.id)
        if request.args.get("email"):
            query = query.filter(User.email.ilike(f"%{request.args['email']}%"))
        return paginate(query, user_out.dump)


class AdminUserRoleResource(Resource):
    method_decorators = [roles_required("admin")]

    def patch(self, user_id):
        body = request.get_json() or {}
        role = body.get("role")
        if role not in ASSIGNABLE_ROLES:
            abort(422, description="unknown role")
        user = db.session.get(User, user_id) or abort(404)
        user.role = role
        user.store_id = body.get("store_id") if role == "staff" else None
        db.session.add(AuditLog(actor_id=current_user.id, action="user.role", target=f"{user_id}:{role}"))
        db.session.commit()
        return user_out.dump(user)


class AdminRefundResource(Resource):
    method_decorators = [roles_required("admin")]

    def post(self, payment_id):
        try:
            data = refund_schema.load(request.get_json() or {})
        except ValidationError as err:
            abort(422, description=err.messages)
        refund = payment_service.refund_payment(current_user, payment_id, data["amount"], data.get("reason"))
        return {"id": refund.id, "amount": f"{refund.amount:.2f}"}, 201


class AdminCreditResource(Resource):
    method_decorators = [jwt_required()]

    def post(self, user_id):
        body = request.get_json() or {}
        try:
            amount = Decimal(str(body["amount"]))
        except (KeyError, InvalidOperation):
            abort(422, description="amount required")
        if amount <= 0 or amount > 500:
            abort(422, description="amount out of range")
        if db.session.get(User, user_id) is None:
            abort(404)
        credit = payment_service.refund_to_credit(current_user, user_id, amount, body.get("order_id"))
        return {"user_id": user_id, "balance": round(credit.balance, 2)}, 201


class AdminDashboardResource(Resource):
    method_decorators = [roles_required("admin")]

    def get(self):
        counts = {}
        for status in DASHBOARD_STATUSES:
            counts[status] = Order.query.filter_by(status=status).count()
        revenue = db.session.query(func.coalesce(func.sum(Order.total), 0)).filter(Order.status == "collected").scalar()
        return {"orders": counts, "revenue": f"{revenue:.2f}", "stores": Store.query.count()}


class AdminAuditResource(Resource):
    method_decorators = [roles_required("admin")]

    def get(self):
        query = AuditLog.query.order_by(AuditLog.created_at.desc())
        return paginate(query, lambda a: {"actor": a.actor_id, "action": a.action, "target": a.target})
